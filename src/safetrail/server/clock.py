"""Time for the server: one sortable UTC text format, and a clock tests can move."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from safetrail.models.timeutil import utc_key


def now() -> datetime:
    return datetime.now(UTC)


def stamp(value: datetime) -> str:
    return utc_key(value)


def stamp_in(value: datetime, minutes: float) -> str:
    return utc_key(value + timedelta(minutes=minutes))
