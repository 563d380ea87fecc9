"""Clustering and extraction metrics: BCubed and pairwise precision/recall/F1, span P/R/F1.

BCubed follows Bagga & Baldwin (1998) as used by Miranda et al. (2018): per item, precision is the share of its
predicted cluster that shares its gold label, recall the share of its gold cluster that shares its predicted
cluster; both averaged over items. Pairwise counts same-cluster pairs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(_f1(p, r), 4)}


def bcubed(gold: Mapping[str, Hashable], pred: Mapping[str, Hashable]) -> dict[str, float]:
    """BCubed P/R/F1 over the items present in both mappings (item id → cluster label)."""
    items = [i for i in gold if i in pred]
    if not items:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    pair_counts = Counter((gold[i], pred[i]) for i in items)
    gold_sizes = Counter(gold[i] for i in items)
    pred_sizes = Counter(pred[i] for i in items)
    p = sum(pair_counts[(gold[i], pred[i])] / pred_sizes[pred[i]] for i in items) / len(items)
    r = sum(pair_counts[(gold[i], pred[i])] / gold_sizes[gold[i]] for i in items) / len(items)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(_f1(p, r), 4)}


def pairwise(gold: Mapping[str, Hashable], pred: Mapping[str, Hashable]) -> dict[str, float]:
    """Pairwise P/R/F1: a pair is positive when both items share a cluster."""
    items = [i for i in gold if i in pred]

    def pairs(counts: Counter[Hashable]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    both = pairs(Counter((gold[i], pred[i]) for i in items))
    in_pred = pairs(Counter(pred[i] for i in items))
    in_gold = pairs(Counter(gold[i] for i in items))
    return prf(both, in_pred - both, in_gold - both)
