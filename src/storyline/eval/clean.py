"""`storyline eval clean`: scraped pages and text dumps through the real ingest → clean path, scored against the
article text a person wrote down for each.

A case is an input file (`NAME.txt` or `NAME.html`, read exactly as `storyline ingest` reads it) next to
`NAME.expected.json`:

    {"language": "nb", "outlet": "NRK", "title": "…", "published": "2023-06-24T12:00:00+00:00" | null,
     "published_precision": "exact", "updated": "…" | null,
     "paragraphs": [{"body": "…"}, {"subheading": "…"}, …]}

Scores: exact match of the whole cleaned text; character-level precision/recall/F1 (characters of the longest
common subsequence blocks that difflib finds, over the cleaned and the expected text, micro-averaged over
cases); paragraphs found (exact text) and, of those, how many got the right kind; metadata accuracy (title,
published value + precision, updated). The cases in tests/fixtures/clean/cases are fictional articles written in
the page conventions of Nordic and English outlets.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from storyline.clean import CleanStage
from storyline.errors import EvalError, StorylineError
from storyline.eval.metrics import prf
from storyline.ingest import read_inputs
from storyline.models import Article
from storyline.settings import Settings

_INPUT_SUFFIXES = (".txt", ".html")
_KINDS = ("body", "subheading")


@dataclass(frozen=True, slots=True)
class CleanCase:
    name: str
    path: Path
    language: str
    paragraphs: list[tuple[str, str]]  # (kind, text)
    title: str | None
    published: str | None
    published_precision: str | None
    updated: str | None

    @property
    def text(self) -> str:
        return "\n\n".join(text for _, text in self.paragraphs)


def load_clean_cases(data: Path) -> list[CleanCase]:
    """Every `NAME.txt` / `NAME.html` under `data` that has a `NAME.expected.json` beside it, sorted by name."""
    if data.is_file():
        raise EvalError("is a file; eval clean needs a directory of cases", code="eval.data", input=str(data),
                        hint="pass the folder holding NAME.txt/NAME.html and NAME.expected.json pairs")
    cases = []
    for expected in sorted(data.rglob("*.expected.json")):
        stem = expected.name.removesuffix(".expected.json")
        inputs = [expected.with_name(stem + s) for s in _INPUT_SUFFIXES if expected.with_name(stem + s).is_file()]
        if len(inputs) != 1:
            raise EvalError(f"needs exactly one input file beside it (found {len(inputs)})", code="eval.data",
                            input=str(expected), hint=f"add {stem}.txt or {stem}.html, not both")
        cases.append(_parse_case(expected, inputs[0]))
    if not cases:
        raise EvalError("holds no cleaning cases (NAME.expected.json beside NAME.txt or NAME.html)",
                        code="eval.data", input=str(data), hint="try --data tests/fixtures/clean/cases")
    return cases


def _parse_case(expected: Path, source: Path) -> CleanCase:
    try:
        gold = json.loads(expected.read_text(encoding="utf-8"))
        paragraphs = [_paragraph(p) for p in gold["paragraphs"]]
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise EvalError(f"is not a valid cleaning case ({exc})", code="eval.data", input=str(expected),
                        hint='write {"paragraphs": [{"body": "…"}, {"subheading": "…"}], "title": "…", …}') from exc
    return CleanCase(
        name=source.name, path=source, language=str(gold.get("language", "?")), paragraphs=paragraphs,
        title=gold.get("title"), published=gold.get("published"),
        published_precision=gold.get("published_precision"), updated=gold.get("updated"),
    )


def _paragraph(item: dict[str, str]) -> tuple[str, str]:
    ((kind, text),) = item.items()
    if kind not in _KINDS:
        raise ValueError(f"paragraph kind {kind!r} is not one of {_KINDS}")
    return kind, text


def clean_case(case: CleanCase, settings: Settings) -> Article | None:
    """Read the case's file as ingest does and clean it; None when ingest or clean rejects it."""
    (article,) = list(read_inputs([str(case.path)], settings))
    if article.rejected is not None:
        return None
    try:
        return CleanStage(settings)(article)
    except StorylineError:
        return None


def char_overlap(predicted: str, gold: str) -> int:
    """Characters the two texts share in order (the sizes of difflib's matching blocks)."""
    matcher = SequenceMatcher(None, predicted, gold, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())


def evaluate_clean(data: Path, settings: Settings | None = None) -> dict[str, Any]:
    settings = settings or Settings.load()
    cases = load_clean_cases(data)
    totals: Counter[str] = Counter()
    by_language: dict[str, Counter[str]] = defaultdict(Counter)
    failures = []
    for case in cases:
        article = clean_case(case, settings)
        score = _score_case(case, article)
        totals.update(score)
        by_language[case.language].update(score)
        if not score["exact"]:
            failures.append({"case": case.name, "char_f1": _char_prf(score)["f1"],
                             "rejected": article is None})
    return {
        "task": "clean",
        "set": str(data),
        "cases": len(cases),
        "exact_match": round(totals["exact"] / len(cases), 4),
        "char": _char_prf(totals),
        "paragraphs": {
            **prf(totals["para_tp"], totals["para_pred"] - totals["para_tp"], totals["para_gold"] - totals["para_tp"]),
            "kind_accuracy": _ratio(totals["kind_ok"], totals["para_tp"]),
            "subheading": prf(totals["sub_tp"], totals["sub_pred"] - totals["sub_tp"],
                              totals["sub_gold"] - totals["sub_tp"]),
        },
        "metadata": {field: _ratio(totals[f"{field}_ok"], totals[f"{field}_n"])
                     for field in ("title", "published", "updated")},
        "per_language": {
            lang: {"cases": c["n"], "exact_match": _ratio(c["exact"], c["n"]), "char_f1": _char_prf(c)["f1"]}
            for lang, c in sorted(by_language.items())
        },
        "failures": failures,
    }


def _score_case(case: CleanCase, article: Article | None) -> Counter[str]:
    score: Counter[str] = Counter(n=1, gold_chars=len(case.text))
    if article is None:
        score.update(para_gold=len(case.paragraphs), sub_gold=_count_sub(case.paragraphs))
        return score
    predicted = [(p.kind, article.text[p.start : p.end]) for p in article.paragraphs]
    score["exact"] = int(article.text == case.text)
    score["pred_chars"] = len(article.text)
    score["common_chars"] = char_overlap(article.text, case.text)
    gold_by_text: dict[str, list[str]] = defaultdict(list)
    for kind, text in case.paragraphs:
        gold_by_text[text].append(kind)
    for kind, text in predicted:
        if gold_by_text.get(text):
            gold_kind = gold_by_text[text].pop(0)
            score["para_tp"] += 1
            score["kind_ok"] += kind == gold_kind
            score["sub_tp"] += kind == gold_kind == "subheading"
    score.update(para_gold=len(case.paragraphs), para_pred=len(predicted), sub_gold=_count_sub(case.paragraphs),
                 sub_pred=_count_sub(predicted))
    _score_meta(score, "title", case.title, article.title)
    _score_meta(score, "published", _published(case.published, case.published_precision),
                _published(article.published.isoformat() if article.published else None,
                           article.published_precision if article.published else None))
    _score_meta(score, "updated", case.updated, article.meta.get("updated"))
    return score


def _published(value: str | None, precision: str | None) -> str | None:
    return f"{value} ({precision})" if value else None


def _score_meta(score: Counter[str], field: str, gold: str | None, predicted: str | None) -> None:
    score[f"{field}_n"] += 1
    score[f"{field}_ok"] += (gold or None) == (predicted or None)


def _count_sub(paragraphs: Sequence[tuple[str, str]]) -> int:
    return sum(kind == "subheading" for kind, _ in paragraphs)


def _char_prf(c: Counter[str]) -> dict[str, float]:
    p = _ratio(c["common_chars"], c["pred_chars"])
    r = _ratio(c["common_chars"], c["gold_chars"])
    return {"precision": p, "recall": r, "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def _ratio(num: int, den: int) -> float:
    return round(num / den, 4) if den else 0.0
