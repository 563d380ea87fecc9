"""`storyline eval quotes`: quotes found by the extract stage against a gold set of quotes with speakers.

Gold rows carry `quotes: [{"speaker", "kind", "starts_with"}]` (samples/gold.jsonl). A predicted quote matches a
gold one of the same article when its text starts with the gold `starts_with` (whitespace-normalised, ignoring
leading quote marks/dashes). Speaker accuracy is over matched direct quotes: the gold speaker's surname must
appear in the predicted speaker key or name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from anyascii import anyascii

from storyline.eval.datasets import load_samples
from storyline.eval.metrics import prf
from storyline.models import Quote
from storyline.workflows import analyze_articles

_LEAD = re.compile(r"^[\s«»\"“”„'‘’–—-]+")


def _norm(text: str) -> str:
    return " ".join(_LEAD.sub("", text).split()).lower()


def _fold(name: str) -> str:
    return anyascii(name).lower()


def _speaker_ok(gold_speaker: str, quote: Quote) -> bool:
    surname = _fold(gold_speaker.split()[-1])
    return surname in _fold(quote.speaker_key or "") or surname in _fold(quote.speaker or "")


def evaluate_quotes(data: Path) -> dict[str, Any]:
    labelled = load_samples(data)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for article in analyze_articles(labelled.articles):
        if article.rejected:
            continue
        lang = labelled.extra[article.id].get("language", article.language or "?")
        gold = labelled.extra[article.id].get("quotes", [])
        for kind in ("direct", "indirect"):
            g = [q for q in gold if q.get("kind", "direct") == kind]
            p = [q for q in article.quotes if (q.kind == "direct") == (kind == "direct")]
            matched = set()
            for gq in g:
                start = _norm(gq["starts_with"])
                hit = next((i for i, pq in enumerate(p) if i not in matched and _norm(pq.text).startswith(start)),
                           None)
                if hit is None:
                    counts[(kind, lang)]["fn"] += 1  # type: ignore[index]
                    continue
                matched.add(hit)
                counts[(kind, lang)]["tp"] += 1  # type: ignore[index]
                if kind == "direct":
                    counts[(kind, lang)]["speaker_ok"] += _speaker_ok(gq["speaker"], p[hit])  # type: ignore[index]
            counts[(kind, lang)]["fp"] += len(p) - len(matched)  # type: ignore[index]
    return {"task": "quotes", "set": labelled.name, **_summarise(counts)}


def _summarise(counts: dict[Any, dict[str, int]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in ("direct", "indirect"):
        rows = {lang: c for (k, lang), c in counts.items() if k == kind}
        total = {f: sum(c[f] for c in rows.values()) for f in ("tp", "fp", "fn", "speaker_ok")}
        out[kind] = {
            **prf(total["tp"], total["fp"], total["fn"]),
            "gold": total["tp"] + total["fn"],
            "predicted": total["tp"] + total["fp"],
            "per_language": {lang: prf(c["tp"], c["fp"], c["fn"]) for lang, c in sorted(rows.items())},
        }
        if kind == "direct":
            out[kind]["speaker_accuracy"] = round(total["speaker_ok"] / total["tp"], 4) if total["tp"] else 0.0
    return out
