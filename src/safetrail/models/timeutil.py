"""Time values: always aware, stored as ISO 8601 text with the offset."""

from __future__ import annotations

from datetime import UTC, datetime


def to_iso(value: datetime) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("times must carry a time zone")
    return value.isoformat()


def from_iso(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(f"time {text!r} has no time zone")
    return value


def opt_from_iso(text: object) -> datetime | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValueError("expected an ISO 8601 time")
    return from_iso(text)


def utc_key(value: datetime) -> str:
    """A sortable text key in UTC, for indexes: YYYY-MM-DDTHH:MM:SS.ffffffZ."""
    utc = value.astimezone(UTC)
    if utc.year < 1000:  # strftime writes such years without padding; keep its exact text
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
