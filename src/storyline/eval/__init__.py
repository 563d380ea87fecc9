"""Evaluation harness: `storyline eval TASK --data DIR` measures one task and returns its metrics as a dict."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storyline.errors import EvalError


def run_eval(task: str, data: Path) -> dict[str, Any]:
    if not data.exists():
        raise EvalError("data path does not exist", input=str(data),
                        hint="pass --data ../shared/data, samples/, or a labelled JSONL file")
    if task == "langid":
        from storyline.eval.langid import evaluate_langid

        return evaluate_langid(data)
    if task == "link":
        from storyline.eval.link import evaluate_link

        return evaluate_link(data)
    if task == "quotes":
        from storyline.eval.quotes import evaluate_quotes

        return evaluate_quotes(data)
    if task == "clean":
        from storyline.eval.clean import evaluate_clean

        return evaluate_clean(data)
    if task == "ner":
        from storyline.eval.ner import evaluate_ner

        return evaluate_ner(data)
    if task == "keys":
        from storyline.eval.keys import evaluate_keys

        return evaluate_keys(data)
    if task == "claims":
        from storyline.eval.claims import evaluate_claims

        return evaluate_claims(data)
    if task == "dates":
        from storyline.eval.dates import evaluate_dates

        return evaluate_dates(data)
    raise EvalError(f"unknown task {task!r}", code="eval.task",
                    hint="use one of langid, ner, quotes, link, clean, keys")
