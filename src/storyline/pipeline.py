"""Composes the stages: the only module that knows their order.

A stage is any callable `Article -> Article` with a `name` and the `requires` / `assigns` sets of Article fields.
`Pipeline` checks at build time that every stage's requirements are assigned by ingest or an earlier stage, so a
mis-composed pipeline fails before the first article, not halfway through a batch. At run time a
`StorylineError` in one article turns that article into a rejection (its code and message) and the batch goes on;
an unexpected exception is recorded the same way under `internal.<stage>` so one bad page never stops a batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from storyline.errors import PipelineError, StorylineError
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
            try:
                article = st(article)
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
            if article.rejected is not None:
                return article
        return article

    def run(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            yield self.run_one(article)


def analysis_stages(settings: Settings) -> list[Stage]:
    """clean → detect → extract: everything `storyline analyze` runs (no linking, no storing)."""
    from storyline.clean import CleanStage
    from storyline.detect import DetectStage
    from storyline.extract import ExtractStage

    return [CleanStage(settings), DetectStage(), ExtractStage()]


def analysis_pipeline(settings: Settings | None = None) -> Pipeline:
    return Pipeline(analysis_stages(settings or Settings.load()))


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
