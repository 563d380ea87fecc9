"""`storyline eval dates`: date expressions normalised by extract/dates.py against a test set of real ones.

The test set (eval/data/dates_gold_test.jsonl) holds date expressions from the news corpora in ../shared/data,
stored BY REFERENCE only: corpus, sentence id, character offsets of the expression in the sentence text (as
rebuilt by eval/quotes.py), the expected ISO value, the granularity and the anchor date the value was worked out
from. Anchors: NorNE's newspaper documents carry their publication date (norne/documentation/references_*); DDT
and Klintan carry none, so their rows either need no anchor (`"anchor": null`: a year is written) or state the
anchor assumed: 1991-10-02 for DDT (a Wednesday in the years its texts come from) and 2012-07-01 for Klintan
(Webbnyheter 2012, so a date written without its year is one of 2012). Only expressions whose value follows from
the expression and the anchor were taken; a day-month whose year comes from the story's own time line ("24.
juni" in a report of what happened the year before) was left out.

An expression counts as right when extract/dates.py, run on the sentence with that anchor as the publication
date, returns a mention overlapping it with the same value and granularity.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from storyline.errors import EvalError
from storyline.eval.quotes import CORPUS_FILES, read_sentences
from storyline.extract.dates import find_dates

_GOLD = Path(__file__).parent / "data" / "dates_gold_test.jsonl"


@dataclass(frozen=True, slots=True)
class GoldDate:
    corpus: str
    sent: str
    start: int
    end: int
    value: str
    granularity: str
    anchor: date | None


def read_date_gold(path: Path) -> list[GoldDate]:
    out: list[GoldDate] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            anchor = date.fromisoformat(row["anchor"]) if row.get("anchor") else None
            out.append(GoldDate(row["corpus"], str(row["sent"]), int(row["start"]), int(row["end"]), row["value"],
                                row["granularity"], anchor))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise EvalError(f"line {n} is not a date gold row: {exc}", input=str(path), code="eval.gold",
                            hint="each line needs corpus, sent, start, end, value, granularity, anchor") from exc
    return out


def evaluate_dates(data: Path, gold_path: Path = _GOLD) -> dict[str, Any]:
    if not (data / "norne").is_dir():
        raise EvalError("no date test set for this folder", input=str(data), code="eval.missing_data",
                        hint="pass --data ../shared/data")
    gold = read_date_gold(gold_path)
    texts: dict[str, dict[str, str]] = {}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    errors: list[dict[str, Any]] = []
    for g in gold:
        if g.corpus not in texts:
            texts[g.corpus] = {s.id: s.text for s, _ in read_sentences(data, g.corpus)}
        text = texts[g.corpus].get(g.sent)
        if text is None:
            raise EvalError(f"sentence {g.sent!r} not found in {g.corpus}", input=str(gold_path), code="eval.gold",
                            hint="the test set and the corpus disagree; check the corpus version in its README")
        lang = CORPUS_FILES[g.corpus].language
        c = counts[lang]
        c["gold"] += 1
        found = [m for m in find_dates(text, g.anchor, "published", lang) if m.start < g.end and g.start < m.end]
        if any(m.value == g.value and m.granularity == g.granularity for m in found):
            c["correct"] += 1
            continue
        c["found"] += bool(found)
        errors.append({"corpus": g.corpus, "sent": g.sent, "expression": text[g.start : g.end], "gold": g.value,
                       "predicted": [f"{m.text!r}={m.value} ({m.granularity})" for m in found]})
    total = {f: sum(c[f] for c in counts.values()) for f in ("gold", "correct")}
    return {
        "task": "dates",
        "set": gold_path.name,
        "accuracy": _ratio(total["correct"], total["gold"]),
        "gold": total["gold"],
        "per_language": {lang: {"accuracy": _ratio(c["correct"], c["gold"]), "gold": c["gold"]}
                         for lang, c in sorted(counts.items())},
        "errors": errors,
    }


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0
