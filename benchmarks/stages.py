"""The measured stages: link (pre-analysed, re-skinned articles), end to end (raw articles), and their scoring.

Each stage runs in its own process (`run.py` starts them), so its peak resident memory is its own.
"""

from __future__ import annotations

import contextlib
import cProfile
import hashlib
import json
import os
import resource
import statistics
import tempfile
import time
from array import array
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from synthetic import ArticlePlan, Reskinner, plans, render

from storyline.models import Article, DateMention, Entity, LinkDecision, Paragraph, Quote

ROOT = Path(__file__).resolve().parent.parent
# The analysed pool is cached between runs, keyed by everything that decides its content: the generator and
# the analysis stages' code and data. The cache lives outside the repository.
CACHE = Path(os.environ.get("STORYLINE_BENCH_CACHE", Path(tempfile.gettempdir()) / "storyline-bench"))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- scoring ------------------------------------------------------------------------------------------------
def bcubed(gold: Sequence[int] | np.ndarray, pred: Sequence[int] | np.ndarray) -> dict[str, float]:
    """BCubed P/R/F1 (as storyline.eval.metrics.bcubed) over integer labels, in numpy: 1M items in a second."""
    g = np.asarray(gold, dtype=np.int64)
    p = np.asarray(pred, dtype=np.int64)
    if not len(g):
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    _, gi = np.unique(g, return_inverse=True)
    _, pi = np.unique(p, return_inverse=True)
    _, cell, cell_n = np.unique(gi * (int(pi.max()) + 1) + pi, return_inverse=True, return_counts=True)
    both = cell_n[cell].astype(np.float64)
    precision = float(np.mean(both / np.bincount(pi)[pi]))
    recall = float(np.mean(both / np.bincount(gi)[gi]))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


class Labels:
    """Predicted story and event per article as small integers, following merges (a merged story's articles
    belong to the story it was merged into, a merged event's to the event it was merged into)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.parent: list[int] = []
        self.story = array("q")
        self.event = array("q")

    def _id(self, key: str) -> int:
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = len(self.parent)
            self.parent.append(found)
        return found

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def add(self, link: LinkDecision) -> None:
        sid = self._id(link.story_id)
        for gone in link.merged:
            self.parent[self.find(self._id(gone))] = self.find(sid)
        self.story.append(sid)
        eid = self._id("event:" + (link.event_id or link.story_id))
        for gone in link.event_merged:
            self.parent[self.find(self._id("event:" + gone))] = self.find(eid)
        self.event.append(eid)

    def stories(self) -> np.ndarray:
        return np.fromiter((self.find(s) for s in self.story), dtype=np.int64, count=len(self.story))

    def events(self) -> np.ndarray:
        return np.fromiter((self.find(e) for e in self.event), dtype=np.int64, count=len(self.event))


def quality(gold_story: Sequence[int], gold_event: Sequence[int], labels: Labels) -> dict[str, Any]:
    pred_story = labels.stories()
    pred_event = labels.events()
    story, event = bcubed(gold_story, pred_story), bcubed(gold_event, pred_event)
    return {
        "stories_generated": len(set(gold_story)), "stories_found": len(set(pred_story.tolist())),
        "events_generated": len(set(gold_event)), "events_found": len(set(pred_event.tolist())),
        "story_bcubed_p": story["precision"], "story_bcubed_r": story["recall"], "story_bcubed_f1": story["f1"],
        "event_bcubed_p": event["precision"], "event_bcubed_r": event["recall"], "event_bcubed_f1": event["f1"],
    }


# -- the analysed pool --------------------------------------------------------------------------------------
def _fingerprint() -> str:
    """A hash of the generator and of the analysis stages' code and data: a change there invalidates the pool."""
    digest = hashlib.sha256()
    files = [Path(__file__).with_name("synthetic.py")]
    for part in ("clean", "detect", "extract", "ingest"):
        files += sorted(p for p in (ROOT / "src" / "storyline" / part).rglob("*") if p.is_file()
                        and "__pycache__" not in p.parts)
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def pool_path(seed: int, size: int) -> Path:
    return CACHE / f"pool-{seed}-{size}-{_fingerprint()}.jsonl"


def save_pool(path: Path, articles: Iterable[Article]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps({**a.to_json(), "meta": a.meta}, ensure_ascii=False) + "\n")
    tmp.replace(path)


def _from_json(d: dict[str, Any]) -> Article:
    a = Article(id=d["id"], source=d["source"], url=d["url"], title=d["title"], text=d["text"],
                published=datetime.fromisoformat(d["published"]) if d["published"] else None,
                published_precision=d["published_precision"], language=d["language"],
                language_confidence=d["language_confidence"], input_name=d["input"], meta=d["meta"])
    a.paragraphs = [Paragraph(p["start"], p["end"], p["kind"], p["language"], p["language_confidence"])
                    for p in d["paragraphs"]]
    a.entities = [Entity(**e) for e in d["entities"]]
    a.quotes = [Quote(**q) for q in d["quotes"]]
    a.dates = [DateMention(**m) for m in d["dates"]]
    return a


def load_pool(seed: int, size: int, per_day: float) -> list[tuple[ArticlePlan, Article]]:
    """The analysed pool: cached, else analysed now by the real analysis stages (clean → detect → extract)."""
    path = pool_path(seed, size)
    pool_plans = list(plans(size, seed, per_day))
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            analysed = [_from_json(json.loads(line)) for line in fh]
    else:
        from storyline.pipeline import analysis_pipeline

        pipe = analysis_pipeline()
        analysed = [pipe.run_one(render(p)) for p in pool_plans]
        save_pool(path, (a for a in analysed if a.rejected is None))
        analysed = [a for a in analysed if a.rejected is None]
    by_index = {int(a.input_name.split(":")[1]): a for a in analysed}
    return [(p, by_index[p.index]) for p in pool_plans if p.index in by_index]


# -- stages -------------------------------------------------------------------------------------------------
def _latency_figures(lat: array[float], cpu: array[float], window: int) -> dict[str, Any]:
    ordered = sorted(lat)
    n = len(ordered)
    head = statistics.fmean(lat[:window])
    tail = statistics.fmean(lat[-window:])
    cpu_head = statistics.fmean(cpu[:window])
    cpu_tail = statistics.fmean(cpu[-window:])
    return {
        "link_p50_ms": round(ordered[n // 2] * 1000, 2),
        "link_p99_ms": round(ordered[min(n - 1, int(n * 0.99))] * 1000, 2),
        "link_max_ms": round(ordered[-1] * 1000, 1),
        "cost_window": window,
        "cost_first_ms": round(head * 1000, 3),
        "cost_last_ms": round(tail * 1000, 3),
        "cost_ratio_last_vs_first": round(tail / head, 3) if head else None,
        # the same in CPU time of the link process: what the linker's own cost did, whatever the machine's load
        "cost_cpu_first_ms": round(cpu_head * 1000, 3),
        "cost_cpu_last_ms": round(cpu_tail * 1000, 3),
        "cost_cpu_ratio_last_vs_first": round(cpu_tail / cpu_head, 3) if cpu_head else None,
    }


def link_stage(n: int, seed: int, pool_seed: int, pool_size: int, per_day: float,
               time_limit: float | None = None, batch: int = 0, decisions: str | None = None,
               profile: str | None = None) -> dict[str, Any]:
    """Link `n` re-skinned pre-analysed articles into a SQLite file through `Linker.link_and_save`.

    With `batch` > 0, every `batch` articles share one transaction (`Store.batch()`); the commit that ends a
    batch is timed as part of the call that filled it, so the latency figures carry it. With `time_limit`
    (seconds of linking), stops early and reports how many articles it linked. `decisions` names a file that gets
    every article's decision (one JSON line each, not timed); `profile` a file for cProfile stats of the linking.
    """
    from storyline.link import Linker
    from storyline.settings import Settings
    from storyline.store import open_store
    from storyline.store.rows import link_json

    reskin = Reskinner(load_pool(pool_seed, pool_size, per_day))
    gold_story, gold_event = array("q"), array("q")
    labels = Labels()
    lat = array("d")
    cpu = array("d")  # CPU seconds of this process per timed call: comparable across runs under another load
    rss_at: dict[str, float] = {}
    checkpoints = {n // 10 * k for k in (1, 5)} | {n}
    rss_deciles: list[int] = []  # resident memory now (not peak) after every n/10 articles (fewer if stopped early)
    with tempfile.TemporaryDirectory(prefix="storyline-bench-") as tmp:
        store = open_store(os.path.join(tmp, "link.db"))
        linker = Linker(store, Settings.load())
        start = time.perf_counter()
        linking = 0.0
        open_batch: contextlib.ExitStack | None = None
        dump = open(decisions, "w", encoding="utf-8") if decisions else None  # noqa: SIM115 (closed below)
        profiler = cProfile.Profile() if profile else None
        for i, plan in enumerate(_stream(plans(n, seed, per_day), reskin), 1):
            art, gs, ge = plan
            if profiler is not None:
                profiler.enable()
            c0, t0 = time.process_time(), time.perf_counter()
            if batch and open_batch is None:
                open_batch = contextlib.ExitStack()
                open_batch.enter_context(store.batch())
            linker.link_and_save(art)
            stop = i == n or (time_limit is not None and linking + time.perf_counter() - t0 > time_limit)
            if open_batch is not None and (i % batch == 0 or stop):
                open_batch.close()  # commits the batch
                open_batch = None
            took = time.perf_counter() - t0
            cpu.append(time.process_time() - c0)
            if profiler is not None:
                profiler.disable()
            lat.append(took)
            linking += took
            assert art.link is not None
            labels.add(art.link)
            if dump is not None:
                dump.write(f"{art.id}\t{link_json(art.link)}\n")
            gold_story.append(gs)
            gold_event.append(ge)
            if i in checkpoints:
                rss_at[f"rss_mb_at_{i}"] = round(peak_rss_mb())
            if n >= 10 and i % (n // 10) == 0 and len(rss_deciles) < 10:
                rss_deciles.append(round(rss_mb()))
            if stop:
                break
        wall = time.perf_counter() - start
        if dump is not None:
            dump.close()
        if profiler is not None:
            profiler.dump_stats(profile)
        db_mb = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 2**20
        store.close()
    done = len(lat)
    return {
        "link_articles": done,
        **({"link_stopped_early": f"time limit {time_limit:g} s reached after {done} of {n}"} if done < n else {}),
        "link_batch": batch or "none (one commit per article)",
        "link_articles_per_s": round(done / linking, 1),
        "link_articles_per_cpu_s": round(done / sum(cpu), 1) if sum(cpu) else None,
        "link_cpu_ms_per_article": round(sum(cpu) / done * 1000, 3),
        **_latency_figures(lat, cpu, min(10_000, max(1, done // 10))),
        # what grows with the number of stored articles shows here: the mean CPU cost of each tenth of the run
        "cost_cpu_ms_by_decile": _deciles(cpu),
        "rss_mb_by_decile": rss_deciles,
        "link_wall_s_with_generation": round(wall, 1),
        "link_db_mb": round(db_mb),
        "link_peak_rss_mb": round(peak_rss_mb()),
        **rss_at,
        **{f"link_{k}": v for k, v in quality(gold_story, gold_event, labels).items()},
    }


def rss_mb() -> float:
    """Resident memory now (Linux /proc; peak elsewhere): unlike the peak, it shows memory being given back."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


def _deciles(cpu: array[float]) -> list[float]:
    """Mean CPU ms per article in each tenth of the run, in order."""
    tenth = len(cpu) // 10
    if not tenth:
        return []
    return [round(statistics.fmean(cpu[k * tenth : (k + 1) * tenth]) * 1000, 3) for k in range(10)]


def _stream(source: Iterator[ArticlePlan], reskin: Reskinner) -> Iterator[tuple[Article, int, int]]:
    for plan in source:
        yield reskin(plan), plan.story.index, plan.event.index


def e2e_stage(n: int, seed: int, per_day: float, compare: int | None = None) -> dict[str, Any]:
    """Raw articles through `ingest_articles` (clean → detect → extract → link → store) into a SQLite file.

    The analysed articles are saved as the link stage's pool, so a full run analyses each article once.
    """
    from storyline.settings import Settings
    from storyline.store import open_store
    from storyline.workflows import ingest_articles

    raw = [render(p) for p in plans(n, seed, per_day)]  # rendered before the clock starts
    words = statistics.fmean(len(a.raw_text.split()) for a in raw)
    with tempfile.TemporaryDirectory(prefix="storyline-bench-") as tmp:
        store = open_store(os.path.join(tmp, "e2e.db"))
        start = time.perf_counter()
        report = ingest_articles(raw, store, Settings.load())
        elapsed = time.perf_counter() - start
        store.close()
    stored = sorted(report.stored, key=lambda a: int(a.input_name.split(":")[1]))
    save_pool(pool_path(seed, n), stored)
    labels = Labels()
    for a in stored:
        assert a.link is not None
        labels.add(a.link)
    gold_story = [int(a.meta["story"]) for a in stored]
    gold_event = [int(a.meta["event"]) for a in stored]
    first: dict[str, Any] = {}
    if compare and compare < len(stored):  # the baseline's articles: the first `compare` of this stream
        head = Labels()
        for a in stored[:compare]:
            assert a.link is not None
            head.add(a.link)
        scored = quality(gold_story[:compare], gold_event[:compare], head)
        first = {f"e2e_first{compare}_{k}": v for k, v in scored.items() if "bcubed_f1" in k or "found" in k}
    return {
        "e2e_articles": n,
        "e2e_mean_words": round(words),
        "e2e_rejected": len(report.rejected),
        "e2e_articles_per_s": round(n / elapsed, 1),
        "e2e_peak_rss_mb": round(peak_rss_mb()),
        **{f"e2e_{k}": v for k, v in quality(gold_story, gold_event, labels).items()},
        **first,
    }
