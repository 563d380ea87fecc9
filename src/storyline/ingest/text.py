"""Plain-text articles: an optional `Key: value` header, else a headline on the first line, then the body.

    Title: Ny bro åbner i Aarhus          (header: keys title, source, published, url, language,
    Source: Avisen                         read up to the first blank line; other keys go to meta)
    Published: 2023-06-24

    Den nye bro over havnen åbner lørdag...

Without a header the first non-empty line is the title only when it reads like a headline: short and not
ending in a full stop. Otherwise the whole text is body and the clean stage may still find a title. A site menu
saved above the headline ("Hopp til innhold", "Nyheter", "Sport", "Meny": three or more lines of a word or
three) is passed over when looking for the headline and left in the body, where the clean stage removes it.
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
# A menu is at least this many lines in a row of at most this many words (the clean stage's rule, see
# clean/layout.py); a kicker over a headline is one short line.
_MENU_MIN_LINES = 3
_MENU_ITEM_MAX_WORDS = 3
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
    """Move the first line (after a site menu) into `title` when it looks like a headline and a body follows."""
    lines = fields.body.split("\n")
    start = _after_menu(lines)
    head = next((i for i in range(start, len(lines)) if lines[i].strip()), None)
    if head is None:
        return
    rest = "\n".join(lines[head + 1 :])
    if rest.strip() and looks_like_headline(lines[head].strip()):
        fields.title = lines[head].strip()
        fields.body = "\n".join([*lines[:start], rest]).strip()


def _after_menu(lines: list[str]) -> int:
    """The index after a menu at the top of `lines` (0 when the text does not start with one)."""
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    end = first
    while end < len(lines) and _menu_item(lines[end].strip()):
        end += 1
    return end if end - first >= _MENU_MIN_LINES else 0


def _menu_item(line: str) -> bool:
    return 0 < len(line.split()) <= _MENU_ITEM_MAX_WORDS and line[:1].isupper() and not line.endswith((".", "!", "?"))


def looks_like_headline(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= _HEADLINE_MAX_WORDS
        and len(line) <= _HEADLINE_MAX_CHARS
        and not line.endswith((".", ",", ";", ":"))
        and not line.startswith(_DASHES)
        and not _NOT_HEADLINE.search(line)
    )
