"""Dates as news sites print them next to an article: `24.06.2023 12:00`, `24. juni 2023 kl. 12.00`,
`2023-06-24`, `June 24, 2023`, and the scraper prefix `2023-06`.

Month names come from Babel (wide and abbreviated, da/nb/nn/sv/en), so "juni", "jun.", "maj", "mars", "okt."
all work without a word list of our own. A printed time has no zone; it is taken as UTC like every zoneless
time in storyline, and the precision says what was printed ("exact" with a time, "day", "month").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Literal

from babel.dates import get_month_names

Precision = Literal["exact", "day", "month"]
LOCALES = ("da", "nb", "nn", "sv", "en")


@dataclass(frozen=True, slots=True)
class FoundDate:
    value: datetime
    precision: Precision
    start: int
    end: int


@lru_cache(maxsize=1)
def month_numbers() -> dict[str, int]:
    """Lower-case month name or abbreviation (without its dot) → month number, for every supported locale."""
    names: dict[str, int] = {}
    for locale in LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    names[name.lower().rstrip(".")] = number
    names.setdefault("sept", 9)
    return names


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    months = "|".join(sorted((re.escape(m) for m in month_numbers()), key=len, reverse=True))
    clock = r"(?:\s*(?:,|kl\.?|klokken|klokka|klockan|at|-|–)?\s*(?P<hour>\d{1,2})[:.](?P<minute>\d{2}))?"
    return (
        re.compile(
            r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:T(?P<hour>\d{2}):(?P<minute>\d{2}))?"
            + clock.replace("(?P<hour>", "(?P<h2>").replace("(?P<minute>", "(?P<m2>")
        ),
        re.compile(r"\b(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4}|\d{2})\b" + clock),
        re.compile(rf"\b(?P<day>\d{{1,2}})\.?\s+(?P<mname>{months})\.?\s+(?P<year>\d{{4}})\b" + clock, re.I),
        re.compile(rf"\b(?P<mname>{months})\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})\b" + clock, re.I),
        re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})\b(?!-\d)"),
    )


def find_date(text: str) -> FoundDate | None:
    """The first printed date in `text` (None when there is none: a normal outcome, not a failure)."""
    best: FoundDate | None = None
    for pattern in _patterns():
        for match in pattern.finditer(text):
            found = _to_date(match)
            if found is not None and (best is None or found.start < best.start):
                best = found
                break
    return best


def _to_date(match: re.Match[str]) -> FoundDate | None:
    parts = match.groupdict()
    year = int(parts["year"])
    if year < 100:
        year += 2000
    month = month_numbers()[parts["mname"].lower().rstrip(".")] if parts.get("mname") else int(parts["month"])
    try:
        if parts.get("day") is None:
            return FoundDate(datetime(year, month, 1, tzinfo=UTC), "month", match.start(), match.end())
        day = int(parts["day"])
        if parts.get("hour") is None and parts.get("h2") is not None:  # "2023-07-12 kl. 09.15"
            parts["hour"], parts["minute"] = parts["h2"], parts["m2"]
        if parts.get("hour") is None:
            return FoundDate(datetime(year, month, day, tzinfo=UTC), "day", match.start(), match.end())
        moment = datetime(year, month, day, int(parts["hour"]), int(parts["minute"]), tzinfo=UTC)
    except ValueError:  # 31.02.2023 and friends: not a date
        return None
    return FoundDate(moment, "exact", match.start(), match.end())
