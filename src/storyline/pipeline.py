"""Composes the stages: the only module that knows their order.

A stage is any callable `Article -> Article` with a `name` and the `requires` / `assigns` sets of Article fields
(and optionally `prepare(articles)`, which `Pipeline.run_chunk` calls first to do shared work for a chunk at once).
`Pipeline` checks at build time that every stage's requirements are assigned by ingest or an earlier stage, so a
mis-composed pipeline fails before the first article, not halfway through a batch. At run time a
`StorylineError` in one article turns that article into a rejection (its code and message) and the batch goes on;
an unexpected exception is recorded the same way under `internal.<stage>` so one bad page never stops a batch.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain, islice
from typing import Protocol, runtime_checkable

from storyline.errors import ConfigError, PipelineError, StorylineError
from storyline.models import Article, LinkDecision, Rejection
from storyline.settings import Settings

log = logging.getLogger(__name__)

# What every reader in `storyline.ingest` fills in.
INGEST_ASSIGNS = frozenset(
    {"id", "source", "url", "title", "raw_text", "published", "published_precision", "fetched", "input_name", "meta"}
)


@runtime_checkable
class Stage(Protocol):
    name: str
    requires: frozenset[str]
    assigns: frozenset[str]

    def __call__(self, article: Article) -> Article: ...


@dataclass(frozen=True, slots=True)
class FunctionStage:
    """Wraps a plain function as a stage."""

    name: str
    requires: frozenset[str]
    assigns: frozenset[str]
    func: Callable[[Article], Article]

    def __call__(self, article: Article) -> Article:
        return self.func(article)


def stage(
    name: str, requires: Iterable[str], assigns: Iterable[str]
) -> Callable[[Callable[[Article], Article]], FunctionStage]:
    """Decorator: `@stage("clean", requires={"raw_text"}, assigns={"text", "paragraphs"})`."""

    def wrap(func: Callable[[Article], Article]) -> FunctionStage:
        return FunctionStage(name, frozenset(requires), frozenset(assigns), func)

    return wrap


class Pipeline:
    def __init__(self, stages: Iterable[Stage], provided: frozenset[str] = INGEST_ASSIGNS):
        self.stages: list[Stage] = list(stages)
        available = set(provided)
        for st in self.stages:
            missing = st.requires - available
            if missing:
                raise PipelineError(
                    f"stage {st.name!r} requires {sorted(missing)}, which no earlier stage assigns",
                    hint="put the stage that assigns them earlier in the pipeline",
                )
            available |= st.assigns

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def run_one(self, article: Article) -> Article:
        """Run every stage on one article; a failure becomes `article.rejected`, never an exception."""
        if article.rejected is not None:
            return article
        for st in self.stages:
            article = _run_stage(st, article)
            if article.rejected is not None:
                return article
        return article

    def run_chunk(self, articles: Sequence[Article]) -> list[Article]:
        """`run_one` of each article, stage by stage over all of them, so that a stage with a `prepare(articles)`
        method (extract: the tagger's batches) first does what it can for all of them at once. Each article comes
        out as `run_one` makes it; if `prepare` fails, the stage simply works article by article."""
        out = list(articles)
        for st in self.stages:
            alive = [i for i, article in enumerate(out) if article.rejected is None]
            prepare = getattr(st, "prepare", None)
            if prepare is not None and len(alive) > 1:
                try:
                    prepare([out[i] for i in alive])
                except Exception:  # the stage's own call on each article reports what is wrong with it
                    log.warning("stage %s could not prepare %d articles together; going one by one", st.name,
                                len(alive), exc_info=True)
            for i in alive:
                out[i] = _run_stage(st, out[i])
        return out

    def run(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Every article through every stage, in input order, a chunk at a time (`run_chunk`: the tagger's batches
        make extract about half as costly per article as `run_one`)."""
        for chunk in _chunks(iter(articles)):
            yield from self.run_chunk(chunk)


def _run_stage(st: Stage, article: Article) -> Article:
    """One stage on one article; a failure becomes `article.rejected`, never an exception."""
    try:
        return st(article)
    except StorylineError as exc:
        article.rejected = Rejection(exc.code, exc.full_message)
        return article
    except Exception as exc:  # one bad page never stops a batch: record it and go on
        log.exception("stage %s failed on %s", st.name, article.input_name or article.id)
        article.rejected = Rejection(
            f"internal.{st.name}",
            f"{article.input_name or article.id}: stage {st.name} failed unexpectedly: "
            f"{type(exc).__name__}: {exc} (please report this with the input)",
        )
        return article


def analysis_stages(settings: Settings) -> list[Stage]:
    """clean → detect → extract: everything `storyline analyze` runs (no linking, no storing)."""
    from storyline.clean import CleanStage
    from storyline.detect import DetectStage
    from storyline.extract import ExtractStage

    return [CleanStage(settings), DetectStage(), ExtractStage()]


def analysis_pipeline(settings: Settings | None = None) -> Pipeline:
    return Pipeline(analysis_stages(settings or Settings.load()))


# --- the analysis stages in a local process pool ----------------------------------------------------------------
#
# clean → detect → extract are pure per article (each result depends on that article alone), so they can run in
# other processes while this one links and stores, which must stay sequential. Measured on 2 cores (README's
# speed row): analysis is ~3/4 of an article's CPU time.

# Articles per task: enough to amortise pickling and the queue round trip (~0.2 ms a task) and for the tagger's
# batches (`Pipeline.run_chunk`: extract tags a task's articles together; CPU ms per article for entities on the
# analysis_cpu corpus, one run under load: 2.86 at 8, 2.41 at 32, against 4.7 one at a time), few enough that the
# workers stay balanced and the in-order output rarely waits on one slow task.
_CHUNK = 16
# Tasks in flight per worker: keeps every worker busy while bounding memory on an unbounded stream.
_IN_FLIGHT_PER_WORKER = 4
# Below this many articles a pool costs more than it saves (starting a worker is ~10 ms forked, ~1 s spawned).
MIN_PARALLEL_ARTICLES = 32

_worker_pipeline: Pipeline | None = None


def resolve_workers(workers: int) -> int:
    """The number of analysis processes `workers` asks for: 0 means one per CPU this process may use."""
    if workers < 0:
        raise ConfigError(f"workers must be 0 (one per CPU) or more, not {workers}", code="config.setting",
                          hint="set STORYLINE_WORKERS (or --workers) to 0, 1 (in-process) or more")
    if workers:
        return workers
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def analysed_in_order(
    articles: Iterable[Article],
    settings: Settings,
    workers: int,
    skip: Callable[[Article], bool] = lambda article: False,
    local: Pipeline | None = None,
) -> Iterator[tuple[Article, Article | None]]:
    """`(article, analysed)` for each input article, in input order.

    With `workers` > 1 (and enough articles) the analysis stages run in that many worker processes and
    `analysed` is the analysed copy; `article` is left as it was given, so the caller can still decide on the
    input (already stored?) in order. `analysed` is None where the caller must run `analysis_pipeline` itself:
    always with one worker (no copy is made, nothing runs ahead), and for articles `skip` says need no analysis
    (`skip` is asked when an article is sent, ahead of the caller; ask again when it comes back). Results are the
    same as running the stages in order in this process; if the pool breaks, the rest is analysed here.

    With `local` (the caller's analysis pipeline), what this process must analyse is analysed here a chunk at a
    time with `local.run_chunk` (the tagger's batches: about half the extract cost of one at a time) and comes
    back as `analysed`. No copy is made first, so a stage may have changed `article` too (a failing stage marks
    it rejected); a rejected article is never stored, so the caller's "already stored?" check still answers as
    it would have before the analysis.
    """
    workers = resolve_workers(workers)
    it = iter(articles)
    head = list(islice(it, MIN_PARALLEL_ARTICLES)) if workers > 1 else []
    if workers <= 1 or len(head) < MIN_PARALLEL_ARTICLES:
        yield from _here(_chunks(chain(head, it)), local, skip)
        return
    yield from _pooled(head, it, settings, workers, skip, local)


def _here(chunks: Iterable[list[Article]], local: Pipeline | None,
          skip: Callable[[Article], bool]) -> Iterator[tuple[Article, Article | None]]:
    """Chunks analysed in this process (by `local`, if given; else by the caller)."""
    for chunk in chunks:
        if local is None:
            yield from ((article, None) for article in chunk)
            continue
        sent = [a.rejected is None and not skip(a) for a in chunk]
        done = iter(local.run_chunk([a for a, s in zip(chunk, sent, strict=True) if s]))
        for article, was_sent in zip(chunk, sent, strict=True):
            yield article, next(done) if was_sent else None


def _pooled(head: list[Article], rest: Iterator[Article], settings: Settings, workers: int,
            skip: Callable[[Article], bool], local: Pipeline | None) -> Iterator[tuple[Article, Article | None]]:
    # The first chunk is analysed here before the pool starts: that loads the models, which forked workers then
    # share instead of each loading them again.
    yield from _here([head[:_CHUNK]], local, skip)
    chunks = _chunks(chain(head[_CHUNK:], rest))
    try:
        pool = _start_pool(settings, workers)
    except (OSError, ValueError, RuntimeError) as exc:  # e.g. a daemonic process may not have children
        log.warning("could not start %d analysis workers (%s); analysing in this process", workers, exc)
        yield from _here(chunks, local, skip)
        return
    # Each entry: a chunk, which of its articles were sent, and the task analysing those.
    in_flight: deque[tuple[list[Article], list[bool], Future[list[Article]]]] = deque()
    try:
        while True:
            while len(in_flight) < workers * _IN_FLIGHT_PER_WORKER and (chunk := next(chunks, [])):
                sent = [a.rejected is None and not skip(a) for a in chunk]
                todo = [a for a, s in zip(chunk, sent, strict=True) if s]
                in_flight.append((chunk, sent, pool.submit(_analyse_chunk, todo)))
            if not in_flight:
                return
            chunk, sent, future = in_flight.popleft()
            try:
                done = iter(future.result())
            except Exception as exc:  # a worker died (killed, out of memory): the rest is analysed here, in order
                log.warning("the analysis pool failed (%s: %s); analysing the rest in this process",
                            type(exc).__name__, exc)
                yield from _here((chunk, *(queued for queued, _, _ in in_flight), *chunks), local, skip)
                return
            for article, was_sent in zip(chunk, sent, strict=True):
                yield article, next(done) if was_sent else None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _chunks(articles: Iterator[Article]) -> Iterator[list[Article]]:
    while chunk := list(islice(articles, _CHUNK)):
        yield chunk


def _start_pool(settings: Settings, workers: int) -> ProcessPoolExecutor:
    """Fork where it is safe (POSIX, no other threads yet): the children start at once and share the models this
    process loaded; else spawn, each child loading its own (~1 s)."""
    method = "fork" if sys.platform == "linux" and threading.active_count() == 1 else "spawn"
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                               initializer=_init_worker, initargs=(settings,))


def _init_worker(settings: Settings) -> None:
    global _worker_pipeline
    _worker_pipeline = analysis_pipeline(settings)


def _analyse_chunk(articles: list[Article]) -> list[Article]:
    assert _worker_pipeline is not None, "_init_worker runs first in every worker"
    return _worker_pipeline.run_chunk(articles)


class _Decider(Protocol):
    def decide(self, article: Article) -> LinkDecision: ...


class LinkStage:
    """Online story assignment as a stage: asks the linker for a decision without changing its state.

    The caller commits the article to the linker only after the store saved it, so a failed write never leaves
    the linker's index ahead of the store.
    """

    name = "link"
    requires = frozenset({"text", "title", "language", "published", "entities"})
    assigns = frozenset({"link"})

    def __init__(self, linker: _Decider):
        self.linker = linker

    def __call__(self, article: Article) -> Article:
        article.link = self.linker.decide(article)
        return article
