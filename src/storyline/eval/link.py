"""`storyline eval link`: run the real ingest path (clean → detect → extract → link → store in memory) over a
labelled set in stream order and score the stories (and events) against the gold with BCubed and pairwise F1."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from storyline.eval.datasets import LabelledSet, load_ecbplus, load_jsonl_set, load_samples
from storyline.eval.metrics import bcubed, pairwise
from storyline.settings import Settings
from storyline.store import open_store
from storyline.workflows import ingest_articles


def load_link_set(data: Path) -> LabelledSet:
    if data.is_file():
        return load_jsonl_set(data)
    if (data / "gold.jsonl").is_file():
        return load_samples(data)
    return load_ecbplus(data)


def evaluate_link(data: Path, settings: Settings | None = None) -> dict[str, Any]:
    labelled = load_link_set(data)
    store = open_store(":memory:")
    try:
        start = time.perf_counter()
        report = ingest_articles(labelled.articles, store, settings or Settings.load())
        elapsed = time.perf_counter() - start
    finally:
        store.close()
    predicted = {a.id: a.story_id for a in report.stored if a.story_id}
    gold_stories = {k: v for k, v in labelled.story.items() if k in predicted}
    return {
        "task": "link",
        "set": labelled.name,
        "articles": len(labelled.articles),
        "linked": len(predicted),
        "rejected": [a.input_name for a in report.rejected],
        "gold_stories": len(set(gold_stories.values())),
        "predicted_stories": len(set(predicted.values())),
        "story_bcubed": bcubed(gold_stories, predicted),
        "story_pairwise": pairwise(gold_stories, predicted),
        "event_bcubed_vs_stories": bcubed({k: labelled.event[k] for k in predicted}, predicted),
        "articles_per_s_end_to_end": round(len(labelled.articles) / elapsed, 1) if elapsed else None,
    }
