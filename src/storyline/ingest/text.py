"""Plain-text articles: an optional `Key: value` header, else a headline on the first line, then the body.

    Title: Ny bro åbner i Aarhus          (header: keys title, source, published, url, language,
    Source: Avisen                         read up to the first blank line; other keys go to meta)
    Published: 2023-06-24

    Den nye bro over havnen åbner lørdag...

Without a header the first non-empty line is the title only when it reads like a headline: short and not
ending in a full stop. Otherwise the whole text is body and the clean stage may still find a title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from storyline.ingest.dates import Precision, parse_timestamp

_HEADER_START = re.compile(r"^(title|source|published|url|language)\s*:", re.IGNORECASE)
_HEADER_LINE = re.compile(r"^([A-Za-z][\w-]{0,30})\s*:\s*(.*)$")
# A headline is one line of at most this many words; longer first lines are the start of the body.
_HEADLINE_MAX_WORDS = 16
_HEADLINE_MAX_CHARS = 160
_DASHES = ("-", "–", "—")
# First lines that are metadata rather than a headline: bylines, captions, date prefixes and date stamps. The
# clean stage removes them properly; here they only must not be mistaken for the title.
_NOT_HEADLINE = re.compile(
    r"^(?:(?:af|av|by|text|tekst|foto|bild|bilde|photo|publisert|publiceret|publicerad|date)\b)"
    r"|\d{4}-\d{2}|\d{1,2}\.\d{1,2}\.\d{2,4}",
    re.IGNORECASE,
)


@dataclass(slots=True)
class TextFields:
    body: str
    title: str = ""
    source: str = ""
    url: str | None = None
    published: datetime | None = None
    precision: Precision = "unknown"
    meta: dict[str, str] = field(default_factory=dict)


def parse_text(text: str) -> TextFields:
    """Split a decoded text file into header fields, title and body."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    if _HEADER_START.match(lines[first].strip()):
        return _with_header(lines[first:])
    fields = TextFields(body=text.strip())
    _take_headline(fields)
    return fields


def _with_header(lines: list[str]) -> TextFields:
    header: dict[str, str] = {}
    end = len(lines)
    for i, line in enumerate(lines):
        match = _HEADER_LINE.match(line.strip())
        if not line.strip() or not match:
            end = i
            break
        header[match[1].lower()] = match[2].strip()
    fields = TextFields(body="\n".join(lines[end:]).strip())
    fields.title = header.pop("title", "")
    fields.source = header.pop("source", "")
    fields.url = header.pop("url", "") or None
    if lang := header.pop("language", ""):
        fields.meta["lang_hint"] = lang
    if raw := header.pop("published", ""):
        fields.published, fields.precision = parse_timestamp(raw)
        if fields.published is None:
            fields.meta["published_raw"] = raw
    fields.meta.update({key: value for key, value in header.items() if value})
    if not fields.title:
        _take_headline(fields)
    return fields


def _take_headline(fields: TextFields) -> None:
    """Move the first line into `title` when it looks like a headline and a body follows it."""
    head, sep, rest = fields.body.partition("\n")
    head = head.strip()
    if sep and rest.strip() and looks_like_headline(head):
        fields.title = head
        fields.body = rest.strip()


def looks_like_headline(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= _HEADLINE_MAX_WORDS
        and len(line) <= _HEADLINE_MAX_CHARS
        and not line.endswith((".", ",", ";", ":"))
        and not line.startswith(_DASHES)
        and not _NOT_HEADLINE.search(line)
    )
