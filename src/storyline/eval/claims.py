"""`storyline eval claims`: quotes grouped into claims (link/claims.py) against a gold set of same-statement quotes.

Gold (`samples/claims_gold.jsonl`), one claim per line, only claims reported more than once:
`{"story", "claim", "speaker", "quotes": [{"input", "starts_with"}]}`; `input` and `starts_with` name a gold quote
of `samples/gold.jsonl`. Every other gold quote is a claim of its own.

Four sets share this layout (`DIR/articles/`, `DIR/gold.jsonl` with quote rows, `DIR/claims_gold.jsonl`):
`samples` (the bundled corpus; the threshold is calibrated here), `samples/claims_test` (21 fictional
same-statement groups in five languages with same-speaker, same-day hard negatives, written before the concept
lexicon), `samples/claims_blind` (10 groups, written after the lexicon's first version) and
`samples/claims_blind2` (10 groups, written after its second). The last three are held out: report on them, never
tune on them (see their READMEs).

The articles go through the real analysis (clean → detect → extract); a predicted quote stands for the gold quote
of the same article whose `starts_with` it begins with (as in `eval quotes`). Claims are aligned inside each
*gold* story, so linking mistakes do not count against claim alignment. Scores are pairwise P/R/F1 over pairs of
matched quotes (a pair is positive when both quotes are one claim) and BCubed; both are reported with the
semantic fallback on and off, so the lexical part can be judged alone.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from storyline.errors import EvalError
from storyline.eval.datasets import load_samples
from storyline.eval.metrics import bcubed, pairwise
from storyline.link.claims import ClaimOptions, Embedder, QuoteRef, align_claims, default_embedder, quote_refs
from storyline.models import Article
from storyline.workflows import analyze_articles

GOLD_FILE = "claims_gold.jsonl"
_LEAD = re.compile(r"^[\s«»\"“”„'‘’–—-]+")


def _norm(text: str) -> str:
    return " ".join(_LEAD.sub("", text).split()).lower()


@dataclass
class ClaimSet:
    """Analysed articles grouped by gold story, and the gold claim of every gold quote (input, starts_with)."""

    stories: dict[str, list[Article]]
    inputs: dict[str, str]  # article id → gold input name
    gold_quotes: dict[str, list[str]]  # gold input → its quotes' starts_with, in text order
    claim_of: dict[tuple[str, str], str]  # (input, starts_with) → gold claim label


def load_claim_set(data: Path) -> ClaimSet:
    gold_path = data / GOLD_FILE
    if not gold_path.is_file():
        raise EvalError(f"no {GOLD_FILE} here", input=str(data), hint="point --data at the samples/ folder")
    labelled = load_samples(data)
    stories: dict[str, list[Article]] = defaultdict(list)
    inputs: dict[str, str] = {}
    gold_quotes: dict[str, list[str]] = {}
    claim_of: dict[tuple[str, str], str] = {}
    for article in analyze_articles(labelled.articles):
        if article.rejected:
            continue
        row = labelled.extra[article.id]
        stories[row["story"]].append(article)
        inputs[article.id] = row["input"]
        gold_quotes[row["input"]] = [q["starts_with"] for q in row.get("quotes", [])]
        for q in gold_quotes[row["input"]]:
            claim_of[(row["input"], q)] = f"{row['input']}|{q}"  # a claim of its own unless listed below
    for n, line in enumerate(gold_path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            claim = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalError(f"line {n} is not JSON: {exc.msg}", input=str(gold_path),
                            hint="each line must be one JSON object") from exc
        for q in claim["quotes"]:
            key = (q["input"], q["starts_with"])
            if key not in claim_of:
                raise EvalError(f"line {n}: {key} is not a gold quote", input=str(gold_path),
                                hint="copy input and starts_with exactly from samples/gold.jsonl")
            claim_of[key] = f"{claim['story']}/{claim['claim']}"
    return ClaimSet(dict(stories), inputs, gold_quotes, claim_of)


def _gold_key(ref: QuoteRef, claim_set: ClaimSet, taken: set[tuple[str, str]]) -> tuple[str, str] | None:
    """The gold quote a predicted quote stands for (each gold quote matched at most once)."""
    name = claim_set.inputs[ref.article_id]
    text = _norm(ref.quote.text)
    for start in claim_set.gold_quotes.get(name, []):
        key = (name, start)
        if key not in taken and text.startswith(_norm(start)):
            taken.add(key)
            return key
    return None


def score_claims(claim_set: ClaimSet, options: ClaimOptions, embedder: Embedder | None) -> dict[str, Any]:
    gold: dict[str, str] = {}
    pred: dict[str, str] = {}
    language: dict[str, str] = {}
    for story, articles in sorted(claim_set.stories.items()):
        taken: set[tuple[str, str]] = set()
        for claim in align_claims(quote_refs(articles), options, embedder):
            for ref in claim.quotes:
                key = _gold_key(ref, claim_set, taken)
                if key is None:
                    continue
                item = f"{key[0]}|{key[1]}"
                gold[item] = claim_set.claim_of[key]
                pred[item] = f"{story}/{claim.id}"
                language[item] = ref.language or "?"
    cross = _cross_language(gold, pred, language)
    return {
        "pairwise": pairwise(gold, pred),
        "bcubed": bcubed(gold, pred),
        "cross_language_pairs": cross,
        "predicted_multi_claims": sum(1 for n in _sizes(pred).values() if n > 1),
    }


def _sizes(labels: dict[str, str]) -> dict[str, int]:
    sizes: dict[str, int] = defaultdict(int)
    for label in labels.values():
        sizes[label] += 1
    return sizes


def _cross_language(gold: dict[str, str], pred: dict[str, str], language: dict[str, str]) -> dict[str, Any]:
    """Recall on gold pairs whose two quotes are in different languages: the pairs this module exists for."""
    members: dict[str, list[str]] = defaultdict(list)
    for item, label in gold.items():
        members[label].append(item)
    pairs = [(a, b) for items in members.values() for a, b in combinations(items, 2) if language[a] != language[b]]
    found = sum(pred[a] == pred[b] for a, b in pairs)
    return {"gold": len(pairs), "found": found, "recall": round(found / len(pairs), 4) if pairs else 0.0}


def _set_name(data: Path) -> str:
    """"samples", "samples/claims_test", …: the folder as given, without a trailing slash or a leading ./"""
    parts = [p for p in data.parts if p not in (".", "")]
    return "/".join(parts[-2:]) if len(parts) > 1 and parts[-2] == "samples" else (parts[-1] if parts else ".")


def evaluate_claims(data: Path) -> dict[str, Any]:
    claim_set = load_claim_set(data)
    embedder = default_embedder()
    gold_multi = len({label for label in claim_set.claim_of.values() if "|" not in label})
    result: dict[str, Any] = {
        "task": "claims",
        "set": _set_name(data),
        "gold_quotes": len(claim_set.claim_of),
        "gold_multi_claims": gold_multi,
        "embedder": embedder.name if embedder else None,
        "threshold": ClaimOptions().threshold,
        **score_claims(claim_set, ClaimOptions(), embedder),
        "lexical_only": score_claims(claim_set, ClaimOptions(semantic=False), None),
    }
    return result
