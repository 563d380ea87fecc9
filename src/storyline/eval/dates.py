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

The dev set (eval/data/dates_gold_dev.jsonl, the result's "dev" key; tuned on) holds the bare weekdays ("fredag",
"tysdag kveld", "på laurdag") of NorNE nb/nn TRAIN newspaper documents, by the same kind of reference: corpus
`norne-nb-train`/`norne-nn-train`, `sent` = the sentence's position in the rebuilt train file (tokens joined by
`detokenize`), offsets into that text. A document opens at a sentence equal to a title of
norne/documentation/references_newspaper_*.txt (its anchor is that reference's date); documents whose title
also opens a UD dev/test document, and those over 60 sentences (blog or parliament text run on after the last
news title), were left out. Each weekday's direction was read from its context: `"direction"` past, today,
coming (a forecast, plan, schedule or deadline), or none (habitual: "kvar måndag", "kvar fredag kveld"; `value`
null, right when no mention is returned); weekdays with a written date ("tysdag 3. mai") or another anchor
("måndag for to veker sidan") were left out.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from storyline.errors import EvalError
from storyline.eval.quotes import CORPUS_FILES, read_sentences, token_file_sentences
from storyline.extract.dates import find_dates

_GOLD = Path(__file__).parent / "data" / "dates_gold_test.jsonl"
_GOLD_DEV = Path(__file__).parent / "data" / "dates_gold_dev.jsonl"
# The NorNE train files (token<TAB>tag, no sentence ids): corpus name -> (file, language).
_TRAIN_FILES = {"norne-nb-train": ("norne/no_bokmaal-norne-train.tsv", "nb"),
                "norne-nn-train": ("norne/no_nynorsk-norne-train.tsv", "nn")}


@dataclass(frozen=True, slots=True)
class GoldDate:
    corpus: str
    sent: str
    start: int
    end: int
    value: str | None  # None: no single day (a habitual weekday); right when nothing is found
    granularity: str | None
    anchor: date | None


def read_date_gold(path: Path) -> list[GoldDate]:
    out: list[GoldDate] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            anchor = date.fromisoformat(row["anchor"]) if row.get("anchor") else None
            out.append(GoldDate(row["corpus"], str(row["sent"]), int(row["start"]), int(row["end"]),
                                row["value"], row["granularity"], anchor))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise EvalError(f"line {n} is not a date gold row: {exc}", input=str(path), code="eval.gold",
                            hint="each line needs corpus, sent, start, end, value, granularity, anchor") from exc
    return out


def _train_sentences(data: Path, corpus: str) -> dict[str, str]:
    """Sentence texts of a NorNE train file by position, tokens joined as eval/quotes.py joins Klintan's."""
    path = data / _TRAIN_FILES[corpus][0]
    if not path.is_file():
        raise EvalError(f"corpus file for {corpus} not found", input=str(path), code="eval.missing_data",
                        hint="point --data at ../shared/data")
    return {str(i): sentence for i, sentence in enumerate(token_file_sentences(path))}


def evaluate_dates(data: Path, gold_path: Path = _GOLD, dev_path: Path | None = _GOLD_DEV) -> dict[str, Any]:
    """Accuracy on the test set, and on the dev set under "dev" (when `dev_path` is given)."""
    result = _evaluate(data, gold_path)
    if dev_path is not None:
        result["dev"] = _evaluate(data, dev_path)
    return result


def _evaluate(data: Path, gold_path: Path) -> dict[str, Any]:
    if not (data / "norne").is_dir():
        raise EvalError("no date test set for this folder", input=str(data), code="eval.missing_data",
                        hint="pass --data ../shared/data")
    gold = read_date_gold(gold_path)
    texts: dict[str, dict[str, str]] = {}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    errors: list[dict[str, Any]] = []
    for g in gold:
        if g.corpus not in texts:
            texts[g.corpus] = (_train_sentences(data, g.corpus) if g.corpus in _TRAIN_FILES
                               else {s.id: s.text for s, _ in read_sentences(data, g.corpus)})
        text = texts[g.corpus].get(g.sent)
        if text is None:
            raise EvalError(f"sentence {g.sent!r} not found in {g.corpus}", input=str(gold_path), code="eval.gold",
                            hint="the test set and the corpus disagree; check the corpus version in its README")
        lang = _TRAIN_FILES[g.corpus][1] if g.corpus in _TRAIN_FILES else CORPUS_FILES[g.corpus].language
        c = counts[lang]
        c["gold"] += 1
        found = [m for m in find_dates(text, g.anchor, "published", lang) if m.start < g.end and g.start < m.end]
        if (g.value is None and not found) or any(m.value == g.value and m.granularity == g.granularity
                                                  for m in found):
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
