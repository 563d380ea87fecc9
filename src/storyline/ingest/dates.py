"""Machine-written timestamps (ISO 8601, RFC 2822, news-please, dd.mm.yyyy) → aware datetime + precision.

Human-written dates inside article text ("Publisert 24. juni 2023") are the clean stage's business.
A timestamp without a zone is taken as UTC, as the ingest contract says; the precision records how much of it
the input actually stated, so "2023-06" is June 2023 (month), never a made-up 1 June.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from email.utils import parsedate_to_datetime
from typing import Literal

Precision = Literal["exact", "day", "month", "unknown"]

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC_DAY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ ,]+(?:kl\.?\s*)?(\d{1,2})[:.](\d{2}))?$")


def parse_timestamp(value: object) -> tuple[datetime | None, Precision]:
    """Parse a published/downloaded value from an input record; (None, "unknown") when there is none or it is
    not a date at all (the raw value is then kept in meta by the caller)."""
    if isinstance(value, datetime):
        return _aware(value), "exact"
    if not isinstance(value, str) or not value.strip():
        return None, "unknown"
    text = value.strip()
    for parse in (_parse_partial, _parse_iso, _parse_numeric, _parse_rfc2822):
        result = parse(text)
        if result[0] is not None:
            return result
    return None, "unknown"


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _parse_partial(text: str) -> tuple[datetime | None, Precision]:
    try:
        if m := _MONTH.match(text):
            return datetime(int(m[1]), int(m[2]), 1, tzinfo=UTC), "month"
        if m := _DAY.match(text):
            return datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC), "day"
    except ValueError:
        pass
    return None, "unknown"


def _parse_iso(text: str) -> tuple[datetime | None, Precision]:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None, "unknown"
    # news-please writes "2023-06-24 00:00:00" when the page only gave a date: zoneless midnight is a day.
    if moment.tzinfo is None and moment.time() == time(0, 0):
        return _aware(moment), "day"
    return _aware(moment), "exact"


def _parse_numeric(text: str) -> tuple[datetime | None, Precision]:
    m = _NUMERIC_DAY.match(text)
    if not m:
        return None, "unknown"
    try:
        if m[4] is None:
            return datetime(int(m[3]), int(m[2]), int(m[1]), tzinfo=UTC), "day"
        return datetime(int(m[3]), int(m[2]), int(m[1]), int(m[4]), int(m[5]), tzinfo=UTC), "exact"
    except ValueError:
        return None, "unknown"


def _parse_rfc2822(text: str) -> tuple[datetime | None, Precision]:
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None, "unknown"
    return _aware(moment), "exact"
