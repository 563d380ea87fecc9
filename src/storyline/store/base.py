"""The `Store` interface: everything above the store (linking state, CLI, API, web) talks to this, not SQL.

SQLite is the default implementation (`store/sqlite.py`); PostgreSQL implements the same interface for
multi-user and scale. Both run the one SQL implementation of every operation in `store/sql.py` and differ only
in their dialect (transactions, full-text search, times, placeholders). Every write is one transaction: an
article, its extractions, its story membership and the change-log entries land together or not at all.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from types import TracebackType
from typing import Any, Literal, get_args

from storyline.models import Article, Change, Event, Story

# How a story list can be ordered: "latest" newest news first (by the latest article's publication), "first" the
# most recently begun stories first, "size" the stories with the most articles first.
StoryOrder = Literal["latest", "first", "size"]
STORY_ORDERS: tuple[str, ...] = get_args(StoryOrder)


class Store(ABC):
    url: str

    # -- writing -------------------------------------------------------------------------------------
    @abstractmethod
    def has_article(self, article_id: str) -> bool:
        """True when an article with this content id is already stored (re-ingest is then a no-op)."""

    @abstractmethod
    def save_article(self, article: Article) -> None:
        """Store a linked article (article.link set) with its entities, quotes, dates and story membership.

        Creates the story when `article.link.action == "new"`, updates its title/languages/time range, and
        appends the matching change-log entry, all in one transaction. Raises StoreError and rolls back on
        failure.
        """

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Defer the commits of the writes inside the block to its end (one transaction instead of one each).

        Each write still succeeds or fails alone, and reads see it at once; the trade-off is durability: a crash
        inside the block loses what was saved since it began. A store without batching (this default) commits
        every write as it goes. SQLite and PostgreSQL implement it; see their docstrings for the details.
        """
        yield

    @abstractmethod
    def record_rejection(self, article: Article) -> None:
        """Remember a rejected input (its input name, code and message) so users can list what failed."""

    @abstractmethod
    def merge_stories(self, keep: str, gone: str, detail: dict[str, float] | None = None) -> None:
        """Move every article of `gone` into `keep`, leave a tombstone redirecting `gone`, log a merge."""

    @abstractmethod
    def merge_events(self, keep: str, gone: str, detail: dict[str, Any] | None = None) -> None:
        """Move every article of event `gone` into event `keep` (both of one story), widen `keep`'s days,
        leave a tombstone redirecting `gone` and log an `event_merge` change, in one transaction."""

    @abstractmethod
    def live_event_id(self, event_id: str) -> str:
        """Follow event-merge tombstones to the live event; an unknown id comes back unchanged."""

    # -- reading -------------------------------------------------------------------------------------
    @abstractmethod
    def get_article(self, article_id: str) -> Article:
        """The stored article with extractions and link decision; NotFoundError if absent."""

    @abstractmethod
    def list_stories(self, limit: int = 100, offset: int = 0, order: StoryOrder = "latest") -> list[Story]:
        """Live stories (not merged away) in `order` (see STORY_ORDERS); undated stories last."""

    @abstractmethod
    def get_story(self, story_id: str) -> Story:
        """A story by id, following merge tombstones to the live story; NotFoundError if unknown."""

    @abstractmethod
    def story_articles(self, story_id: str) -> list[Article]:
        """The story's articles, by publication time (unknown times last)."""

    @abstractmethod
    def articles_since(self, since: datetime | None) -> Iterator[Article]:
        """Stored articles published (or, when undated, fetched) at or after `since`, oldest first.

        The linker rebuilds its in-memory active window from this when it starts.
        """

    @abstractmethod
    def latest_published(self) -> datetime | None:
        """The newest publication time of any stored article (None when none is dated): the linker's clock."""

    @abstractmethod
    def search(self, query: str, limit: int = 20) -> list[Article]:
        """Full-text search over titles and texts, best match first."""

    def story_events(self, story_id: str) -> list[Event]:
        """The events of a story (following merge tombstones), earliest reported day first (undated last).

        Not abstract: a store that fills `Story.events` in `get_story` gets this for free.
        """
        return self.get_story(story_id).events

    @abstractmethod
    def changes(self, since: int | datetime = 0) -> list[Change]:
        """Change-log entries with `seq > since` (a number) or recorded after `since` (a time), oldest first."""

    @abstractmethod
    def rejections(self) -> list[tuple[str, str, str]]:
        """(input name, code, message) of every recorded rejection, oldest first."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Number of articles, live stories and rejections."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
