"""Stored rows → `Article`s, shared by the SQLite and PostgreSQL stores.

Both stores keep the same columns under the same names; they differ only in how a query is written and in how a
timestamp comes back (ISO text in SQLite, a datetime in PostgreSQL), so each store runs its own three queries and
passes its timestamp conversion in.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, fields, is_dataclass
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any

from storyline.models import Article, Change, DateMention, Entity, LinkDecision, Paragraph, Quote

# A row indexed by column name: sqlite3.Row or a psycopg dict row.
Row = Any

# -- Article → column values (the write path) -------------------------------------------------------------------
# The JSON columns hold exactly what `dataclasses.asdict` gave, but built shallowly: asdict deep-copies every
# nested dict and list first, which was an eighth of the per-article cost of saving (benchmarks/README.md).
_LINK_FIELDS = tuple(f.name for f in fields(LinkDecision))
_PARAGRAPH_FIELDS = tuple(f.name for f in fields(Paragraph))
_link_values = attrgetter(*_LINK_FIELDS)
_paragraph_values = attrgetter(*_PARAGRAPH_FIELDS)


def _nested(value: Any) -> Any:
    """json.dumps fallback: a dataclass nested in a decision (none today) is written as asdict would."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def link_json(link: LinkDecision | None) -> str:
    """The `link` column: the decision's fields as a JSON object (`{}` when unlinked)."""
    if link is None:
        return "{}"
    return json.dumps(dict(zip(_LINK_FIELDS, _link_values(link), strict=True)), ensure_ascii=False, default=_nested)


def paragraphs_json(paragraphs: list[Paragraph]) -> str:
    """The `paragraphs` column: one JSON object per paragraph, fields in declaration order."""
    return json.dumps([dict(zip(_PARAGRAPH_FIELDS, _paragraph_values(p), strict=True)) for p in paragraphs])


def build_articles(
    rows: list[Row],
    entity_rows: Iterable[Row],
    quote_rows: Iterable[Row],
    date_rows: Iterable[Row],
    to_datetime: Callable[[Any], datetime | None],
) -> list[Article]:
    """Articles from their rows plus their extraction rows (each ordered by article id, then position)."""
    ids = [r["id"] for r in rows]
    ents: dict[str, list[Entity]] = {i: [] for i in ids}
    for e in entity_rows:
        ents[e["article_id"]].append(Entity(e["text"], e["type"], e["key"], e["start_char"], e["end_char"]))
    quotes: dict[str, list[Quote]] = {i: [] for i in ids}
    for q in quote_rows:
        quotes[q["article_id"]].append(
            Quote(q["text"], q["kind"], q["speaker"], q["speaker_key"], q["cue"], q["start_char"], q["end_char"])
        )
    dates: dict[str, list[DateMention]] = {i: [] for i in ids}
    for d in date_rows:
        dates[d["article_id"]].append(
            DateMention(d["text"], d["value"], d["granularity"], d["start_char"], d["end_char"], d["anchored"])
        )
    return [_article(r, ents[r["id"]], quotes[r["id"]], dates[r["id"]], to_datetime) for r in rows]


def _article(
    r: Row,
    ents: list[Entity],
    quotes: list[Quote],
    dates: list[DateMention],
    to_datetime: Callable[[Any], datetime | None],
) -> Article:
    link_data = json.loads(r["link"])
    link = LinkDecision(**link_data) if link_data else None
    if link is not None:
        # The stored decision says where the article went when it was linked; a later merge may have moved it,
        # and `Article.story_id` must name the story it is in now.
        link.story_id = r["story_id"]
    return Article(
        id=r["id"],
        source=r["source"],
        url=r["url"],
        title=r["title"],
        text=r["text"],
        paragraphs=[Paragraph(**p) for p in json.loads(r["paragraphs"])],
        published=to_datetime(r["published"]),
        published_precision=r["published_precision"],
        language=r["language"],
        language_confidence=r["language_confidence"],
        fetched=to_datetime(r["fetched"]),
        input_name=r["input_name"],
        meta=json.loads(r["meta"]),
        entities=ents,
        quotes=quotes,
        dates=dates,
        link=link,
    )


def build_changes(rows: Iterable[Row], to_datetime: Callable[[Any], datetime | None]) -> list[Change]:
    """Change-log entries from their rows (the `changes` table has the same columns in both stores)."""
    return [
        Change(
            seq=r["seq"],
            at=to_datetime(r["at"]) or datetime.now(UTC),
            action=r["action"],
            story_id=r["story_id"],
            article_id=r["article_id"],
            other_story_id=r["other_story_id"],
            detail=json.loads(r["detail"]),
        )
        for r in rows
    ]
