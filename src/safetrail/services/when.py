"""Reading the times people type: '2026-03-12 14:30', '12/03/2026 2:30pm', 'today 9:15', 'now'.

Dates are read day-first, as in the UK. A date with no time means the person knows the day only.
Local times are read in the casebook's time zone, with daylight saving.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from safetrail.models.enums import Certainty
from safetrail.services.errors import InvalidInput

_DATE_FORMS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4}|\d{2})$"),
)
_TIME_FORM = re.compile(
    r"^(?P<h>\d{1,2})(?:[:.](?P<mi>\d{2}))?(?::(?P<s>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class When:
    at: datetime
    certainty: Certainty


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"{name!r} is not a time zone Safetrail knows, e.g. Europe/London."
        ) from None


def _parse_date(text: str, today: date) -> date:
    lowered = text.lower()
    if lowered == "today":
        return today
    if lowered == "yesterday":
        return today - timedelta(days=1)
    for form in _DATE_FORMS:
        match = form.match(text)
        if match:
            year = int(match["y"])
            if year < 100:
                year += 2000
            try:
                return date(year, int(match["m"]), int(match["d"]))
            except ValueError:
                break
    raise InvalidInput(
        f"{text!r} is not a date Safetrail can read. Try 2026-03-12 or 12/03/2026 (day first)."
    )


def _parse_time(text: str) -> time:
    match = _TIME_FORM.match(text.strip())
    if not match:
        raise InvalidInput(f"{text!r} is not a time Safetrail can read. Try 14:30 or 2:30pm.")
    hour, minute, second = int(match["h"]), int(match["mi"] or 0), int(match["s"] or 0)
    ampm = (match["ampm"] or "").lower().replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise InvalidInput(f"{text!r}: with am or pm the hour must be 1 to 12.")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        return time(hour, minute, second)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a real time of day.") from None


def parse_when(text: str, timezone: str, now: datetime, certainty: Certainty | None = None) -> When:
    """Read a typed time in the casebook's zone. Without a time of day, the day alone is known."""
    tz = zone(timezone)
    cleaned = " ".join(re.sub(r"(?<=\d)T(?=\d)", " ", text).split())
    if cleaned.lower() == "now":
        return When(now.astimezone(tz).replace(microsecond=0), certainty or Certainty.EXACT)
    try:
        parsed = datetime.fromisoformat(text)
        if parsed.tzinfo is not None:
            return When(parsed, certainty or Certainty.EXACT)
    except ValueError:
        pass
    date_part, _, time_part = cleaned.partition(" ")
    day = _parse_date(date_part, now.astimezone(tz).date())
    if not time_part:
        return When(datetime.combine(day, time(0, 0), tz), Certainty.DATE_ONLY)
    clock = _parse_time(time_part)
    return When(datetime.combine(day, clock, tz), certainty or Certainty.EXACT)
