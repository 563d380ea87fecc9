from __future__ import annotations

from storyline.eval.metrics import bcubed, pairwise


def test_metrics_perfect_clustering_scores_one() -> None:
    gold = {"a": 1, "b": 1, "c": 2}
    pred = {"a": "x", "b": "x", "c": "y"}
    assert bcubed(gold, pred)["f1"] == 1.0
    assert pairwise(gold, pred)["f1"] == 1.0


def test_metrics_bcubed_matches_hand_computation() -> None:
    # gold {a,b,c} {d}; predicted {a,b} {c,d}
    gold = {"a": 1, "b": 1, "c": 1, "d": 2}
    pred = {"a": "x", "b": "x", "c": "y", "d": "y"}
    # precision per item: a 1, b 1, c 1/2, d 1/2 → 0.75; recall: a 2/3, b 2/3, c 1/3, d 1 → 2/3
    out = bcubed(gold, pred)
    assert out["precision"] == 0.75
    assert out["recall"] == round(2 / 3, 4)
    # pairs: gold {ab, ac, bc}; predicted {ab, cd}; shared {ab}
    pw = pairwise(gold, pred)
    assert pw["precision"] == 0.5 and pw["recall"] == round(1 / 3, 4)


def test_metrics_all_singletons_have_full_precision() -> None:
    gold = {"a": 1, "b": 1}
    pred = {"a": "x", "b": "y"}
    assert bcubed(gold, pred)["precision"] == 1.0
    assert pairwise(gold, pred)["recall"] == 0.0
