"""Where an article sits in time, from what is known: its publication day, the dates its text mentions, or
only its month.

Real scraped input often has no exact publication date. Instead of treating such an article as timeless (or
worse, as "far away"), `place` returns an interval with its uncertainty: a day-precise publication is a point,
a text that mentions "lørdag 24. juni" is placed at the latest such day (a report is written on or soon after
the newest day it talks about), a month-only date is the whole month. An article about which nothing is known
gets no place at all, and the linker treats its time as unknown, never as disagreement.

`event_day` is the day the article reports on (the event's date for the timeline): the latest day mentioned in
the text up to its publication, else its publication day.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from storyline.models import Article

REPORT_LAG_DAYS = 2  # a report placed from the dates in its text was written up to this many days after them
LOOKBACK_DAYS = 14  # text dates further before publication than this are background, not the reported event


@dataclass(frozen=True, slots=True)
class TimePlace:
    """An interval of possible report times; `precision` says where it came from."""

    lo: datetime
    hi: datetime
    precision: str  # "day" (published), "text" (from dates in the text), "month"

    @property
    def mid(self) -> datetime:
        return self.lo + (self.hi - self.lo) / 2


def _day(value: str) -> date | None:
    """The day of an ISO date mention (`2023-07-11`, or the end of a range `a/b`); None for coarser values."""
    part = value.split("/")[-1]
    if len(part) != 10:
        return None
    try:
        return date.fromisoformat(part)
    except ValueError:
        return None


def _month(value: str) -> tuple[int, int] | None:
    part = value.split("/")[-1]
    if len(part) < 7:
        return None
    try:
        year, month = int(part[:4]), int(part[5:7])
    except ValueError:
        return None
    return (year, month) if 1 <= month <= 12 else None


def _at(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 12, tzinfo=UTC)


def _utc(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def text_days(article: Article) -> list[date]:
    """Day-precise dates the text mentions (sorted, unique)."""
    return sorted({d for m in article.dates if (d := _day(m.value)) is not None})


def text_years(article: Article) -> frozenset[int]:
    """Years the text mentions through any dated expression: two events of the same kind in different years
    are told apart by them (the same trap ECB+ is built on)."""
    years = set()
    for m in article.dates:
        part = m.value.split("/")[-1]
        if len(part) >= 4 and part[:4].isdigit():
            years.add(int(part[:4]))
    return frozenset(years)


def place(article: Article) -> TimePlace | None:
    if article.published is not None and article.published_precision in ("exact", "day"):
        t = _utc(article.published)
        return TimePlace(t, t, "day")
    days = text_days(article)
    if article.published is not None and article.published_precision == "month":
        pub = _utc(article.published)
        last = calendar.monthrange(pub.year, pub.month)[1]
        lo = datetime(pub.year, pub.month, 1, tzinfo=UTC)
        hi = datetime(pub.year, pub.month, last, 23, 59, tzinfo=UTC)
        inside = [d for d in days if lo.date() <= d <= hi.date()]
        if inside:  # the text narrows the month down
            return TimePlace(_at(inside[-1]), min(hi, _at(inside[-1]) + timedelta(days=REPORT_LAG_DAYS)), "text")
        return TimePlace(lo, hi, "month")
    if days:
        return TimePlace(_at(days[-1]), _at(days[-1]) + timedelta(days=REPORT_LAG_DAYS), "text")
    months = sorted({m for d in article.dates if (m := _month(d.value)) is not None})
    if months:
        year, month = months[-1]
        last = calendar.monthrange(year, month)[1]
        return TimePlace(datetime(year, month, 1, tzinfo=UTC), datetime(year, month, last, 23, 59, tzinfo=UTC),
                         "month")
    return None


def event_day(article: Article) -> date | None:
    """The day the article reports on: the latest text date within LOOKBACK_DAYS before publication, else the
    publication day, else the latest text date."""
    days = text_days(article)
    if article.published is not None and article.published_precision in ("exact", "day"):
        pub = _utc(article.published).date()
        recent = [d for d in days if pub - timedelta(days=LOOKBACK_DAYS) <= d <= pub]
        return recent[-1] if recent else pub
    return days[-1] if days else None


def gap_days(lo: datetime, hi: datetime, first: datetime, last: datetime) -> float:
    """Days between two intervals; 0 when they overlap (the uncertainty is given the benefit of the doubt)."""
    if hi < first:
        return (first - hi).total_seconds() / 86400
    if lo > last:
        return (lo - last).total_seconds() / 86400
    return 0.0
