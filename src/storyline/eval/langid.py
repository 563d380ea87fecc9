"""Language identification accuracy and speed on NordicDSL (Wikipedia sentences in dk/sv/nb/nn/is/fo).

The sentences are lower-cased with digits and punctuation removed by the data set's authors, so this measures
the model on short, case-less sentences: a lower bound for real news paragraphs, which are longer and keep
case. NordicDSL is only ever a test set here: nothing in detect/ is trained or tuned on it.
"""

from __future__ import annotations

import csv
import os
import time
from collections import Counter, defaultdict
from pathlib import Path

from storyline.detect.language import decide, score_texts, warm_up
from storyline.errors import EvalError

# The data set labels Danish "dk"; everything else is already the code we emit.
_LABELS = {"dk": "da"}
_CORE = ("da", "nb", "nn", "sv")
# Sentences scored per call, like the paragraphs of a few articles: each is judged alone (see score_texts).
BATCH = 256


def _read(path: Path) -> list[tuple[str, str]]:
    if not path.is_file():
        raise EvalError(
            f"{path} does not exist",
            code="eval.data",
            input=str(path),
            hint="point data_dir at the shared data folder holding nordicdsl-wikipedia/test.csv",
        )
    rows: list[tuple[str, str]] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header != ["language", "sentence"]:
            raise EvalError(
                f"unexpected header {header!r}",
                code="eval.data",
                input=str(path),
                hint="expected the NordicDSL layout: language,sentence",
            )
        for row in reader:
            if len(row) == 2:
                rows.append((_LABELS.get(row[0], row[0]), row[1]))
    return rows


def evaluate_langid(data_dir: Path) -> dict[str, object]:
    """Accuracy overall, per language and on the da/nb/nn/sv core, the confusion matrix and sentences/s.

    Raises EvalError (eval.data) when `<data_dir>/nordicdsl-wikipedia/test.csv` is missing or malformed.
    """
    rows = _read(Path(data_dir) / "nordicdsl-wikipedia" / "test.csv")
    if not rows:
        raise EvalError("no sentences", code="eval.data", input=str(data_dir), hint="the CSV is empty")
    warm_up()  # load every model first, so loading is not timed as detection
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    elapsed: dict[bool, float] = {True: 0.0, False: 0.0}
    cpu: dict[bool, float] = {True: 0.0, False: 0.0}
    # Core (da/nb/nn/sv) and other sentences are timed in separate batches, so the core speed is its own.
    for core in (True, False):
        part = [(gold, sentence) for gold, sentence in rows if (gold in _CORE) == core]
        for start in range(0, len(part), BATCH):
            batch = part[start : start + BATCH]
            texts = [sentence for _, sentence in batch]
            # The calls DetectStage makes for an article's paragraphs, here for BATCH independent sentences.
            begin, begin_cpu = time.perf_counter(), time.process_time()
            predicted = [decide(guess, (), text)[0] for guess, text in zip(score_texts(texts), texts, strict=True)]
            elapsed[core] += time.perf_counter() - begin
            cpu[core] += time.process_time() - begin_cpu
            for (gold, _), pred in zip(batch, predicted, strict=True):
                confusion[gold][pred] += 1
    per_language = {gold: round(c[gold] / sum(c.values()), 4) for gold, c in sorted(confusion.items())}
    correct = sum(c[g] for g, c in confusion.items())
    core_total = sum(sum(confusion[g].values()) for g in _CORE)
    core_correct = sum(confusion[g][g] for g in _CORE)
    return {
        "n": len(rows),
        "accuracy": round(correct / len(rows), 4),
        "accuracy_da_nb_nn_sv": round(core_correct / core_total, 4) if core_total else None,
        "per_language": per_language,
        "confusion": {g: dict(c) for g, c in sorted(confusion.items())},
        "sentences_per_second": round(len(rows) / (elapsed[True] + elapsed[False]), 1),
        "sentences_per_second_da_nb_nn_sv": round(core_total / elapsed[True], 1) if core_total else None,
        # Wall-clock speed depends on what else the machine runs: the CPU-time rate and the load say how much.
        "cpu_sentences_per_second_da_nb_nn_sv": round(core_total / cpu[True], 1) if core_total else None,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "batch": BATCH,
    }

