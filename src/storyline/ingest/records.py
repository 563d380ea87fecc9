"""Turning what a reader found into an `Article`, and a failed input into a rejected one.

Every reader goes through `build_article` so ids, time zones and meta are filled in one way, and every failure
goes through `rejected_article`: a bad input is a result with a code, never an exception that stops a batch.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from storyline.errors import IngestError, StorylineError
from storyline.ingest.dates import Precision
from storyline.models import Article, Rejection, content_id
from storyline.settings import Settings


@dataclass(slots=True)
class Found:
    """What a reader extracted from one input, before it becomes an Article."""

    input_name: str
    body: str
    title: str = ""
    source: str = ""
    url: str | None = None
    published: datetime | None = None
    precision: Precision = "unknown"
    fetched: datetime | None = None
    meta: dict[str, str] = field(default_factory=dict)


def build_article(found: Found) -> Article:
    title = " ".join(found.title.split())
    source = found.source.strip() or _host(found.url) or "unknown"
    published = found.published
    if published is not None and published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return Article(
        id=content_id(source, title, found.body),
        source=source,
        url=found.url or None,
        title=title,
        raw_text=found.body,
        published=published,
        published_precision=found.precision if published is not None else "unknown",
        fetched=found.fetched or datetime.now(UTC),
        input_name=found.input_name,
        meta={k: v for k, v in found.meta.items() if v},
    )


def rejected_article(input_name: str, error: StorylineError) -> Article:
    """A placeholder article that records why `input_name` did not become an article."""
    digest = hashlib.sha256(input_name.encode("utf-8", "surrogateescape")).hexdigest()
    message = error.full_message if error.input else f"{input_name}: {error.full_message}"
    return Article(
        id="r" + digest[:15],
        source=input_name,
        input_name=input_name,
        fetched=datetime.now(UTC),
        rejected=Rejection(error.code, message),
    )


def _host(url: str | None) -> str:
    if not url:
        return ""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def too_large(name: str, size: int, settings: Settings) -> IngestError:
    return IngestError(
        f"is {size:,} bytes, more than max_input_bytes={settings.max_input_bytes:,}",
        code="ingest.too_large",
        input=name,
        hint="split the file, or raise STORYLINE_MAX_INPUT_BYTES if it really is one input",
    )
