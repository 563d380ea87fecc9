"""Date mentions normalised to ISO 8601 (first level: absolute dates and simple relative ones).

Absolute: "11. juli 2023", "den 11 juli", "24 juni 2023", "11.07.2023", "2023-07-11", "July 11, 2023", ranges
"11. og 12. juli" / "11.–12. juli" (value "2023-07-11/2023-07-12", granularity "days"), "juli 2023" (month).
Month names come from Babel for da/nb/nn/sv/en. A date without a year takes the year that puts it closest to
the publication date (anchored "published"); with no publication date it is skipped, because a year guessed
from nothing would mislead linking.

Relative (only when the publication date is known): "i dag", "i går", "i morgen", weekday names ("tirsdag
kveld", "i tisdags": the most recent such weekday on or before publication, 0–6 days back — news reports the
past), "i helgen" (the weekend on or before publication). Anchored "published", or "estimated" when only the
publication month is known.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from storyline.extract.names import load_json
from storyline.models import DateMention

_LOCALES = ("da", "nb", "nn", "sv", "en")
Anchor = Literal["published", "estimated", "absolute"]
_Add = Callable[[re.Match[str], str, str, Anchor], None]


@lru_cache(maxsize=1)
def _months() -> dict[str, int]:
    from babel import Locale

    out: dict[str, int] = {}
    for code in _LOCALES:
        loc = Locale(code)
        for width in ("wide", "abbreviated"):
            for num, name in loc.months["format"][width].items():
                out[name.casefold().rstrip(".")] = int(num)
    out.pop("maj.", None)
    return out


@lru_cache(maxsize=1)
def _weekdays() -> dict[str, int]:
    from babel import Locale

    out: dict[str, int] = {}
    for code in _LOCALES:
        for num, name in Locale(code).days["format"]["wide"].items():
            out[name.casefold()] = int(num)  # Babel: 0 = Monday, like date.weekday()
    return out


@lru_cache(maxsize=1)
def _relative() -> dict[str, object]:
    return load_json("relative_dates.json")


def _alt(words: list[str] | set[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    month = _alt(set(_months()))
    rel = _relative()
    days = rel["days"]
    weekend = rel["weekend"]
    parts = rel["parts_of_day"]
    assert isinstance(days, dict) and isinstance(weekend, list) and isinstance(parts, list)
    weekday = _alt(set(_weekdays()))
    flags = re.IGNORECASE
    # The (?=\w{3,10}\s+\d) lookaheads reject most positions before trying the long month alternations.
    return {
        "iso": re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])"),
        "numeric": re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d])"),
        "day_month": re.compile(
            rf"(?<![\w.])(?:den\s+)?(\d{{1,2}})\.?(?:\s*(?:og|and|och|–|-|til|till)\s*(\d{{1,2}})\.?)?\s+"
            rf"({month})(?:\s+(\d{{4}}))?(?![\w])",
            flags,
        ),
        "month_day": re.compile(
            rf"(?<![\w])(?=\w{{3,10}}\.?\s+\d)({month})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?"
            rf"(?:\s*[-–]\s*(\d{{1,2}}))?(?:,?\s+(\d{{4}}))?(?![\w])",
            flags,
        ),
        "month_year": re.compile(rf"(?<![\w])(?=\w{{3,10}}\s+\d)({month})\s+(\d{{4}})(?![\w])", flags),
        "relative": re.compile(rf"(?<![\w])({_alt(list(days))})(?:\s+({_alt(parts)}))?(?![\w])", flags),
        "weekend": re.compile(rf"(?<![\w])({_alt(weekend)})(?![\w])", flags),
        "weekday": re.compile(rf"(?<![\w])(?:i\s+)?({weekday})(s)?(?:\s+({_alt(parts)}))?(?![\w])", flags),
    }


def _closest_year(month: int, day: int, ref: date) -> int:
    """The year that puts day/month closest to the reference date (a December date read in January is last
    year)."""
    best = ref.year
    best_gap: int | None = None
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            gap = abs((date(year, month, day) - ref).days)
        except ValueError:
            continue
        if best_gap is None or gap < best_gap:
            best, best_gap = year, gap
    return best


def find_dates(text: str, published: date | None, anchor: Anchor) -> list[DateMention]:
    """Date mentions in `text`; `anchor` is how mentions computed from `published` are marked."""
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []

    def add(m: re.Match[str], value: str, granularity: str, anchored: Anchor) -> None:
        """Keep the first (most specific) mention for any stretch of text."""
        s, e = m.start(), m.end()
        if text[s].isspace():
            s = m.start(1)
        if any(s < te and ts < e for ts, te in taken):
            return
        taken.append((s, e))
        out.append(DateMention(text[s:e], value, granularity, s, e, anchored))

    pats = _patterns()
    months = _months()
    for m in pats["iso"].finditer(text):
        _add_day(add, m, int(m.group(1)), int(m.group(2)), int(m.group(3)), "absolute")
    for m in pats["numeric"].finditer(text):
        _add_day(add, m, int(m.group(3)), int(m.group(2)), int(m.group(1)), "absolute")
    for m in pats["day_month"].finditer(text):
        month = months[m.group(3).casefold().rstrip(".")]
        _add_dated(add, m, int(m.group(1)), m.group(2), month, m.group(4), published, anchor)
    for m in pats["month_day"].finditer(text):
        month = months[m.group(1).casefold().rstrip(".")]
        _add_dated(add, m, int(m.group(2)), m.group(3), month, m.group(4), published, anchor)
    for m in pats["month_year"].finditer(text):
        add(m, f"{int(m.group(2)):04d}-{months[m.group(1).casefold()]:02d}", "month", "absolute")
    if published is not None:
        _relative_dates(text, published, anchor, add)
    out.sort(key=lambda d: d.start)
    return out


def _add_day(add: _Add, m: re.Match[str], year: int, month: int, day: int, anchored: Anchor) -> None:
    try:
        value = date(year, month, day).isoformat()
    except ValueError:
        return
    add(m, value, "day", anchored)


def _add_dated(
    add: _Add,
    m: re.Match[str],
    day: int,
    day2: str | None,
    month: int,
    year_text: str | None,
    published: date | None,
    anchor: Anchor,
) -> None:
    anchored: Anchor
    if year_text is not None:
        year, anchored = int(year_text), "absolute"
    elif published is not None:
        year, anchored = _closest_year(month, day, published), anchor
    else:
        return
    try:
        first = date(year, month, day)
        if day2 is None:
            add(m, first.isoformat(), "day", anchored)
        else:
            last = date(year, month, int(day2))
            if last > first:
                add(m, f"{first.isoformat()}/{last.isoformat()}", "days", anchored)
    except ValueError:
        return


def _relative_dates(text: str, published: date, anchor: Anchor, add: _Add) -> None:
    pats = _patterns()
    rel = _relative()
    table = rel["days"]
    assert isinstance(table, dict)
    days = {k.casefold(): int(v) for k, v in table.items()}
    for m in pats["relative"].finditer(text):
        key = " ".join(m.group(1).casefold().split())
        value = (published + timedelta(days=days[key])).isoformat()
        add(m, value, "day", anchor)
    for m in pats["weekend"].finditer(text):
        # The weekend on or before publication: Saturday..Sunday (Sunday = 6).
        back = (published.weekday() - 5) % 7 if published.weekday() >= 5 else published.weekday() + 2
        saturday = published - timedelta(days=back)
        add(m, f"{saturday.isoformat()}/{(saturday + timedelta(days=1)).isoformat()}", "days", anchor)
    weekdays = _weekdays()
    for m in pats["weekday"].finditer(text):
        target = weekdays[m.group(1).casefold()]
        back = (published.weekday() - target) % 7
        add(m, (published - timedelta(days=back)).isoformat(), "day", anchor)
