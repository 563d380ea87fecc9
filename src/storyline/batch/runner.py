"""`storyline batch`: analysis in parallel on Dask, then linking in publication order in this one process.

Ingest, clean, detect and extract are pure per article, so the inputs are split into tasks and analysed on a Dask
cluster (`batch/analysis.py`): a `distributed.LocalCluster` of worker processes by default, or any running
cluster given its scheduler address. Linking is sequential by nature: each decision depends on every article
linked before it (the stories it may join, the term statistics, the clock of the active window), so it runs
here, in one process, against the store, one transaction per article, exactly as `storyline ingest` does. By
default it links in publication order (undated articles last, input order breaking ties): a batch's input order
is usually arbitrary (a dump sorted by outlet, a feed newest first), and the online linker's active window
assumes time moves forward. `order="input"` links in input order instead and then gives exactly the stories
`storyline ingest` gives for the same inputs.

To bound memory the inputs go to the cluster in chunks of `chunk_units` units; the next chunk is analysed while
this one is linked, and publication order holds within a chunk (all of a batch of up to `chunk_units` files).
"""

from __future__ import annotations

import importlib
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from itertools import islice
from typing import Any, Literal

from storyline.batch.analysis import Unit, analyse_units, split_inputs
from storyline.errors import ConfigError
from storyline.link import Linker
from storyline.models import Article
from storyline.pipeline import LinkStage, Pipeline
from storyline.settings import Settings
from storyline.store.base import Store
from storyline.workflows import IngestReport, SaveBatches, SaveBatching, ingest_one

log = logging.getLogger(__name__)

_UNITS_PER_TASK = 8  # inputs per Dask task: enough to amortise task overhead (~1 ms), small enough to balance
_SCHEDULER_TIMEOUT_S = 30


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """Where the analysis runs. `scheduler` (a Dask scheduler address, tcp://host:8786) wins over `workers`
    (processes of a local cluster; default: one per CPU core). `threads` runs the local workers as threads of
    this process instead (less start-up, but the analysis then shares one interpreter lock)."""

    scheduler: str | None = None
    workers: int | None = None
    threads: bool = False
    chunk_units: int = 2000
    order: Literal["published", "input"] = "published"  # "input": link in input order, exactly as `ingest` does


@dataclass
class BatchReport(IngestReport):
    """An ingest report plus where the time went."""

    workers: int = 0
    analysis_seconds: float = 0.0  # waiting for the cluster (analysis overlapping linking is not counted)
    link_seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {**super().to_json(), "workers": self.workers, "analysis_seconds": round(self.analysis_seconds, 2),
                "link_seconds": round(self.link_seconds, 2)}


def run_batch(
    paths: Sequence[str],
    store: Store,
    settings: Settings | None = None,
    options: BatchOptions | None = None,
    progress: Callable[[Article], None] | None = None,
) -> BatchReport:
    """Analyse `paths` on Dask, then link and store the articles in publication (or input) order in this process;
    rejected inputs are recorded in the store and listed in the report, never raised."""
    settings = settings or Settings.load()
    options = options or BatchOptions()
    if options.chunk_units < 1 or (options.workers is not None and options.workers < 1):
        raise ConfigError(f"batch workers ({options.workers}) and chunk size ({options.chunk_units}) must be at "
                          "least 1", code="batch.options", hint="pass --workers 1 or more, or leave it out")
    linker = Linker(store, settings)
    # Only the link stage runs here; the workers assigned every other field (checked when their pipeline was built).
    link = Pipeline([LinkStage(linker)], provided=frozenset(f.name for f in fields(Article)))
    report = BatchReport()
    units = split_inputs(paths, settings)
    # Saves grouped into store transactions as `storyline ingest` groups them (workflows.SaveBatching): a
    # crash loses only the open batch, and re-running the same inputs stores it.
    with _client(options) as client, SaveBatches(store, SaveBatching()) as batches:
        report.workers = len(client.scheduler_info().get("workers", {}))
        started = time.perf_counter()
        for articles in _analysed_chunks(client, units, settings, options.chunk_units):
            report.analysis_seconds += time.perf_counter() - started
            started = time.perf_counter()
            ordered = articles if options.order == "input" else sorted(articles, key=_publication_order(articles))
            for article in ordered:
                batches.before_save()
                ingest_one(article, store, link, linker, report)
                batches.after_save()
                if progress:
                    progress(article)
            report.link_seconds += time.perf_counter() - started
            started = time.perf_counter()
    return report


def _publication_order(articles: list[Article]) -> Callable[[Article], tuple[bool, datetime, int]]:
    position = {id(a): i for i, a in enumerate(articles)}
    earliest = datetime.min.replace(tzinfo=UTC)

    def key(a: Article) -> tuple[bool, datetime, int]:
        when = a.published
        if when is not None and when.tzinfo is None:
            when = when.replace(tzinfo=UTC)  # naive times are UTC, as in the stores
        return (when is None, when or earliest, position[id(a)])

    return key


def _analysed_chunks(client: Any, units: Iterator[Unit], settings: Settings,
                     chunk_units: int) -> Iterator[list[Article]]:
    """Each chunk's articles in input order; the next chunk is submitted before this one is handed back, so the
    cluster analyses while the caller links, and at most two chunks are in memory."""

    def submit() -> list[Any]:
        chunk = list(islice(units, chunk_units))
        tasks = [chunk[i : i + _UNITS_PER_TASK] for i in range(0, len(chunk), _UNITS_PER_TASK)]
        # pure=False: a task's result is not cached by its arguments (a file may change between runs)
        return list(client.map(analyse_units, tasks, settings=settings, pure=False))

    pending = submit()
    while pending:
        current, pending = pending, submit()
        yield [article for part in client.gather(current) for article in part]


@contextmanager
def _client(options: BatchOptions) -> Iterator[Any]:
    try:  # an optional extra, imported untyped (Any) on purpose: distributed's stubs are partial
        distributed: Any = importlib.import_module("distributed")
    except ImportError as exc:
        raise ConfigError("storyline batch needs Dask (distributed), which is not installed",
                          code="batch.no_dask", hint="install the extra: pip install 'storyline[dask]'") from exc
    if options.scheduler:
        try:
            client = distributed.Client(options.scheduler, timeout=_SCHEDULER_TIMEOUT_S)
        except (OSError, TimeoutError) as exc:
            raise ConfigError(f"cannot reach the Dask scheduler at {options.scheduler}: {exc}",
                              code="batch.scheduler",
                              hint="start it (dask scheduler) or leave --scheduler out to use local workers") from exc
        with client:
            yield client
        return
    workers = options.workers or os.cpu_count() or 1
    # Everything on 127.0.0.1; no dashboard, and the scheduler's small status server on a free port (it would
    # otherwise take 8787 on every interface).
    cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=not options.threads,
                                       host="127.0.0.1", silence_logs=logging.ERROR,
                                       scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"})
    with cluster, distributed.Client(cluster) as client:
        yield client
