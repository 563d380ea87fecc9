"""The vocabulary every stage speaks: one `Article` flows through ingest → clean → detect → extract → link.

Everything here is plain data (dataclasses), imports nothing from the rest of the package, and converts to the
JSON shape that `storyline analyze` prints. That JSON shape is a public contract: fields may be added, never
renamed. Every extracted item carries character offsets into `Article.text` (the cleaned text).
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

EntityType = Literal["PER", "ORG", "LOC", "GPE", "MISC", "DEMONYM"]
QuoteKind = Literal["direct", "indirect", "mixed"]
Granularity = Literal["day", "days", "week", "month", "year", "part_of_day"]
ParagraphKind = Literal["body", "subheading"]


def content_id(source: str, title: str, body: str) -> str:
    """A stable article id: the same source, title and body always give the same id.

    Whitespace is normalised so a re-scrape that only re-wraps lines is still the same article.
    """
    norm = " ".join(body.split())
    digest = hashlib.sha256(f"{source}\x1f{' '.join(title.split())}\x1f{norm}".encode()).hexdigest()
    return "a" + digest[:15]


@dataclass(slots=True)
class Paragraph:
    """A paragraph of the cleaned text: `Article.text[start:end]`."""

    start: int
    end: int
    kind: ParagraphKind = "body"
    language: str | None = None
    language_confidence: float | None = None


@dataclass(slots=True)
class Entity:
    """A mention of a person, organisation, place (or a demonym pointing at a place)."""

    text: str
    type: str
    key: str
    start: int
    end: int


@dataclass(slots=True)
class Quote:
    """Something someone said, with the speaker as written and the speaker's entity key when resolved."""

    text: str
    kind: QuoteKind
    speaker: str | None
    speaker_key: str | None
    cue: str | None
    start: int
    end: int


@dataclass(slots=True)
class DateMention:
    """A date expression normalised to ISO 8601 (`2023-07-11`, `2023-07`, `2023`, or `a/b` for ranges)."""

    text: str
    value: str
    granularity: str
    start: int
    end: int
    anchored: Literal["published", "estimated", "absolute"] = "absolute"


@dataclass(slots=True)
class Rejection:
    """Why an input did not become a stored article: a stable code and a message naming the input."""

    code: str
    message: str


@dataclass(slots=True)
class LinkDecision:
    """Why an article joined (or opened) its story: the score and the features that produced it."""

    story_id: str
    action: Literal["join", "new"]
    score: float
    features: dict[str, float] = field(default_factory=dict)
    candidate_count: int = 0
    # The event inside the story (added with two-level linking; older stored decisions lack these).
    event_id: str | None = None
    event_action: Literal["join", "new"] | None = None
    event_score: float = 0.0
    event_features: dict[str, float] = field(default_factory=dict)
    event_day: str | None = None  # ISO day the article reports on (from its text's dates, else published)
    copy_of: str | None = None  # the original article when this one is a wire copy of it
    merged: list[str] = field(default_factory=list)  # stories this article showed to be this one (merged in)
    event_merged: list[str] = field(default_factory=list)  # events of the story it showed to be its event


@dataclass(slots=True)
class Article:
    """One news article, filled in stage by stage.

    `raw_text` is what ingest read (after decoding/extraction); `text` is the cleaned body every offset points
    into. `published` is the best known publication time; `published_precision` says how much of it is known
    ("day", "month", or "unknown" when absent), so linking can keep the uncertainty.
    """

    id: str
    source: str
    url: str | None = None
    title: str = ""
    raw_text: str = ""
    text: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    published: datetime | None = None
    published_precision: Literal["exact", "day", "month", "unknown"] = "unknown"
    language: str | None = None
    language_confidence: float | None = None
    fetched: datetime | None = None
    input_name: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    link: LinkDecision | None = None
    rejected: Rejection | None = None
    # Set by clean: segments (clean_start, source_start, length) over which `text` and `raw_text` advance
    # together, so any offset into the cleaned text can be followed back to the scraped source.
    source_map: list[tuple[int, int, int]] = field(default_factory=list)

    @property
    def story_id(self) -> str | None:
        return self.link.story_id if self.link else None

    def to_source(self, offset: int) -> int:
        """The `raw_text` offset of the cleaned character at `offset`.

        A character the cleaner added (the space where a cut was made, the blank line between paragraphs) maps
        to the source position just after the previous kept character.
        """
        if not self.source_map:
            raise ValueError("this article has no source map (it has not been through the clean stage)")
        index = bisect_right(self.source_map, offset, key=lambda seg: seg[0]) - 1
        if index < 0:
            return self.source_map[0][1]
        clean_start, source_start, length = self.source_map[index]
        return source_start + min(offset - clean_start, length)

    def source_spans(self, start: int, end: int) -> list[tuple[int, int]]:
        """The `raw_text` spans that the cleaned `text[start:end]` was taken from, in order.

        Joined with spaces, with invisible characters removed and whitespace collapsed, they read as the cleaned
        span; a span boundary is where something (a line break, an explainer box) was cut out between them.
        """
        spans: list[tuple[int, int]] = []
        previous_end = -1
        for clean_start, source_start, length in self.source_map:
            lo, hi = max(start, clean_start), min(end, clean_start + length)
            if lo >= hi:
                continue
            src_lo, src_hi = source_start + lo - clean_start, source_start + hi - clean_start
            if spans and lo == previous_end:  # adjacent in the cleaned text: only whitespace was dropped between
                spans[-1] = (spans[-1][0], src_hi)
            else:
                spans.append((src_lo, src_hi))
            previous_end = hi
        return spans

    def paragraph_texts(self) -> list[str]:
        return [self.text[p.start : p.end] for p in self.paragraphs]

    def to_json(self) -> dict[str, Any]:
        """The `storyline analyze` object for this article (the public JSON contract)."""
        return {
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "language": self.language,
            "language_confidence": self.language_confidence,
            "published": self.published.isoformat() if self.published else None,
            "published_precision": self.published_precision,
            "text": self.text,
            "paragraphs": [
                {"text": self.text[p.start : p.end], **asdict(p)} for p in self.paragraphs
            ],
            "entities": [asdict(e) for e in self.entities],
            "quotes": [asdict(q) for q in self.quotes],
            "dates": [asdict(d) for d in self.dates],
            "story": self.story_id,
            "input": self.input_name,
            "rejected": asdict(self.rejected) if self.rejected else None,
        }


@dataclass(slots=True)
class Event:
    """One happening inside a story, reported within a few days: a timeline entry with its articles.

    `first` / `last` are the days its articles report on (from the dates in their texts where present).
    """

    id: str
    story_id: str
    title: str
    articles: list[str]
    first: str | None = None
    last: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "articles": self.articles, "first": self.first,
                "last": self.last}


@dataclass(slots=True)
class Story:
    """A developing story: articles linked over days or weeks, across languages and outlets."""

    id: str
    title: str
    languages: list[str]
    articles: list[str]
    created: datetime
    updated: datetime
    first_published: datetime | None = None
    last_published: datetime | None = None
    merged_into: str | None = None
    events: list[Event] = field(default_factory=list)  # the story's timeline, earliest first
    reports: int = 0  # articles that are not wire copies of another article in the story
    outlets: list[str] = field(default_factory=list)  # distinct sources that carried the story

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "languages": self.languages,
            "articles": self.articles,
            "updated": self.updated.isoformat(),
            "first_published": self.first_published.isoformat() if self.first_published else None,
            "last_published": self.last_published.isoformat() if self.last_published else None,
            "events": [e.to_json() for e in self.events],
            "reports": self.reports,
            "outlets": self.outlets,
        }


@dataclass(slots=True)
class Change:
    """One entry of the story change log: a story created, an article joined, or two stories merged."""

    seq: int
    at: datetime
    action: Literal["create", "join", "merge", "event_merge"]
    story_id: str
    article_id: str | None = None
    other_story_id: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "action": self.action,
            "story": self.story_id,
            "article": self.article_id,
            "other_story": self.other_story_id,
            "detail": self.detail,
        }
