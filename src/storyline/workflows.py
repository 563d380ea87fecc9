"""The public operations: analyze and ingest. CLI, REST API, web page and batch runs all call these.

`analyze` runs clean → detect → extract without storing; `ingest` runs the whole pipeline, links each article
online into a story and stores it. One bad input never stops a batch: it is returned (and stored) as a rejection
with its code, and everything good is still stored.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from types import TracebackType

from storyline.errors import ConfigError, StoreError
from storyline.ingest import read_inputs
from storyline.link import Linker
from storyline.models import Article, Rejection
from storyline.pipeline import INGEST_ASSIGNS, LinkStage, Pipeline, analysed_in_order, analysis_pipeline
from storyline.settings import Settings
from storyline.store import open_store
from storyline.store.base import Store

# The StoreError code for a batch the store rolled back whole (store/sqlite.py, store/postgres.py).
BATCH_LOST = "store.batch_lost"

__all__ = ["IngestReport", "SaveBatches", "SaveBatching", "analyze", "analyze_articles", "ingest", "ingest_articles",
           "open_store"]


def analyze(paths: Sequence[str], settings: Settings | None = None) -> Iterator[Article]:
    """Read, clean, detect and extract each input, in input order; rejected inputs are yielded too."""
    settings = settings or Settings.load()
    yield from analyze_articles(read_inputs(paths, settings), settings)


def analyze_articles(articles: Iterable[Article], settings: Settings | None = None) -> Iterator[Article]:
    yield from analysis_pipeline(settings).run(articles)


@dataclass
class IngestReport:
    """What one ingest run did. `exit_code` follows the CLI contract (0 all good, 3 some rejected, 1 none)."""

    stored: list[Article] = field(default_factory=list)
    already_stored: list[Article] = field(default_factory=list)
    rejected: list[Article] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if not self.rejected:
            return 0
        return 3 if self.stored or self.already_stored else 1

    def to_json(self) -> dict[str, object]:
        return {
            "stored": len(self.stored),
            "already_stored": len(self.already_stored),
            "rejected": [
                {"input": a.input_name, "code": a.rejected.code, "message": a.rejected.message}
                for a in self.rejected
                if a.rejected
            ],
            "stories": sorted({a.story_id for a in self.stored if a.story_id}),
        }


@dataclass(frozen=True, slots=True)
class SaveBatching:
    """How `ingest_articles` groups its saves into store transactions (`Store.batch()`).

    A save's commit (FTS5 writing an index segment, the pages going to the WAL) cost more than its inserts, so
    saves share a transaction, closed after `articles` saves or `seconds` since its first, whichever comes first.
    The bounds are what a batch holds up: SQLite's write lock is held from a batch's first save to its commit
    (another writer waits up to the store's busy timeout, 10 s) and PostgreSQL's advisory lock likewise; other
    connections see the batch's articles only at its commit; a crash loses the open batch, never an earlier one.
    The lock is also held while the next article is read and analysed, so a slow input (a URL) can stretch a
    batch by one read. `articles=1` commits every save on its own, as before batching.
    """

    articles: int = 256
    seconds: float = 1.0

    def __post_init__(self) -> None:
        if self.articles < 1 or self.seconds <= 0:
            raise ConfigError(
                f"a save batch needs at least 1 article and more than 0 seconds, not {self.articles} and "
                f"{self.seconds}",
                code="config.setting",
                hint="pass SaveBatching(articles=1) to commit every article on its own",
            )


class SaveBatches:
    """Keeps one `store.batch()` open across saves and commits it when `SaveBatching`'s bounds are reached."""

    def __init__(self, store: Store, bounds: SaveBatching, clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.bounds = bounds
        self.clock = clock
        self._open: ExitStack | None = None
        self._opened = 0.0
        self._count = 0

    def before_save(self) -> None:
        if self._open is None and self.bounds.articles > 1:
            self._open = ExitStack()
            self._open.enter_context(self.store.batch())
            self._opened, self._count = self.clock(), 0

    def after_save(self) -> None:
        self._count += 1
        if self._count >= self.bounds.articles or self.clock() - self._opened >= self.bounds.seconds:
            self.close()

    def close(self) -> None:
        """Commit the open batch; raises StoreError `store.batch_lost` when the commit fails."""
        if self._open is not None:
            stack, self._open = self._open, None
            stack.close()

    def __enter__(self) -> SaveBatches:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()  # on an exception too: what was saved before it is complete, so it is kept


def ingest(
    paths: Sequence[str],
    store: Store,
    settings: Settings | None = None,
    progress: Callable[[Article], None] | None = None,
    batching: SaveBatching | None = None,
) -> IngestReport:
    """Read every input and run it through the full pipeline into `store`."""
    settings = settings or Settings.load()
    return ingest_articles(read_inputs(paths, settings), store, settings, progress, batching)


def ingest_articles(
    articles: Iterable[Article],
    store: Store,
    settings: Settings | None = None,
    progress: Callable[[Article], None] | None = None,
    batching: SaveBatching | None = None,
) -> IngestReport:
    """Analyse, link and store `articles` in input order.

    Clean → detect → extract run in `settings.workers` processes (0: one per CPU; 1: all in this process) ahead of
    linking; linking and saving run here, one article at a time in input order, so the stories, the rejections
    and the report are the same for any number of workers. Saves are grouped into store transactions as
    `batching` says (default `SaveBatching()`): `progress` hears of an article when it is saved, and a crash loses
    the articles saved since the open batch began (re-ingesting the inputs stores them; the rest is a no-op). If
    the store loses a batch (StoreError `store.batch_lost`: a full disk, a failed commit), it is raised, since
    this run's linker is then ahead of the store: ingest the same inputs again.
    """
    settings = settings or Settings.load()
    linker = Linker(store, settings)
    analysis = analysis_pipeline(settings)
    # The link stage runs here on articles the analysis stages (here or in a worker) filled in.
    link = Pipeline([LinkStage(linker)], provided=INGEST_ASSIGNS.union(*(st.assigns for st in analysis.stages)))
    report = IngestReport()
    with SaveBatches(store, batching or SaveBatching()) as batches:
        stream = analysed_in_order(articles, settings, settings.workers, skip=_stored_in(store), local=analysis)
        for article, analysed in stream:
            # Asked again here, in input order: an article may have been stored since it was sent (a duplicate).
            if article.rejected is None and store.has_article(article.id):
                report.already_stored.append(article)
                done = article
            else:
                done = link.run_one(analysed if analysed is not None else analysis.run_one(article))
                batches.before_save()
                save_linked(done, store, linker, report)
                batches.after_save()
            if progress:
                progress(done)
    return report


def _stored_in(store: Store) -> Callable[[Article], bool]:
    def stored(article: Article) -> bool:
        return store.has_article(article.id)

    return stored


def ingest_one(article: Article, store: Store, pipeline: Pipeline, linker: Linker, report: IngestReport) -> None:
    """Skip if stored, run `pipeline` (ending in the link stage), save in one transaction, then commit the link;
    a failure anywhere becomes a recorded rejection. `storyline batch` links its analysed articles through here."""
    if article.rejected is None and store.has_article(article.id):
        report.already_stored.append(article)
        return
    save_linked(pipeline.run_one(article), store, linker, report)


def save_linked(article: Article, store: Store, linker: Linker, report: IngestReport) -> None:
    """Save an article that went through the link stage in one transaction (a savepoint inside `Store.batch()`)
    and then commit its link, or record its rejection.

    Inside a batch the linker is committed at once, before the batch is: the store's own reads see the saved
    article, so the next decision is the same as without batching. `store.batch_lost` is raised, not recorded:
    the store lost the articles saved earlier in the batch, which the linker has already seen.
    """
    if article.rejected is None:
        try:
            store.save_article(article)
        except StoreError as exc:
            if exc.code == BATCH_LOST:
                raise
            # The store rolled this article's writes back; the linker has not seen the article (decide() does not
            # mutate), so state stays consistent and the batch goes on.
            article.rejected = Rejection(exc.code, exc.full_message)
        else:
            linker.commit(article)
            report.stored.append(article)
            return
    store.record_rejection(article)
    report.rejected.append(article)
