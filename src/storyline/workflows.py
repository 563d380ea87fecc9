"""The public operations: analyze and ingest. CLI, REST API, web page and batch runs all call these.

`analyze` runs clean → detect → extract without storing; `ingest` runs the whole pipeline, links each article
online into a story and stores it. One bad input never stops a batch: it is returned (and stored) as a rejection
with its code, and everything good is still stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from storyline.errors import StoreError
from storyline.ingest import read_inputs
from storyline.link import Linker
from storyline.models import Article, Rejection
from storyline.pipeline import INGEST_ASSIGNS, LinkStage, Pipeline, analysed_in_order, analysis_pipeline
from storyline.settings import Settings
from storyline.store import open_store
from storyline.store.base import Store

__all__ = ["IngestReport", "analyze", "analyze_articles", "ingest", "ingest_articles", "open_store"]


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


def ingest(
    paths: Sequence[str],
    store: Store,
    settings: Settings | None = None,
    progress: Callable[[Article], None] | None = None,
) -> IngestReport:
    """Read every input and run it through the full pipeline into `store`."""
    settings = settings or Settings.load()
    return ingest_articles(read_inputs(paths, settings), store, settings, progress)


def ingest_articles(
    articles: Iterable[Article],
    store: Store,
    settings: Settings | None = None,
    progress: Callable[[Article], None] | None = None,
) -> IngestReport:
    """Analyse, link and store `articles` in input order.

    Clean → detect → extract run in `settings.workers` processes (0: one per CPU; 1: all in this process) ahead of
    linking; linking and saving run here, one article at a time in input order, so the stories, the rejections
    and the report are the same for any number of workers.
    """
    settings = settings or Settings.load()
    linker = Linker(store, settings)
    analysis = analysis_pipeline(settings)
    # The link stage runs here on articles the analysis stages (here or in a worker) filled in.
    link = Pipeline([LinkStage(linker)], provided=INGEST_ASSIGNS.union(*(st.assigns for st in analysis.stages)))
    report = IngestReport()
    for article, analysed in analysed_in_order(articles, settings, settings.workers, skip=_stored_in(store)):
        # Asked again here, in input order: an article may have been stored since it was sent (a duplicate input).
        if article.rejected is None and store.has_article(article.id):
            report.already_stored.append(article)
            done = article
        else:
            done = link.run_one(analysed if analysed is not None else analysis.run_one(article))
            save_linked(done, store, linker, report)
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
    """Save an article that went through the link stage in one transaction and then commit its link, or record
    its rejection.

    This is where a batched save would go: the linker's next decision only needs `linker.commit` of this one,
    so saves could be queued here and written a batch per transaction, provided each article is committed to
    the linker only once its batch is written (a failed batch must not leave the linker ahead of the store).
    """
    if article.rejected is None:
        try:
            store.save_article(article)
        except StoreError as exc:
            # The store rolled the transaction back; the linker has not seen the article (decide() does not
            # mutate), so state stays consistent and the batch goes on.
            article.rejected = Rejection(exc.code, exc.full_message)
        else:
            linker.commit(article)
            report.stored.append(article)
            return
    store.record_rejection(article)
    report.rejected.append(article)
