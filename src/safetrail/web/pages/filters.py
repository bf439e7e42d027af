"""Reading the filter values of the timeline and report pages from a query string or form.

Every value is bounded and checked; a value that cannot be read becomes an error for the page,
never an exception.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from safetrail.analysis.model import Tag
from safetrail.models.enums import Channel
from safetrail.web.pages.common import Errors, error

MAX_QUERY = 200
KIND_CHOICES: tuple[tuple[str, str], ...] = (
    ("incident", "Diary entries"),
    ("record", "Messages and calls"),
    ("evidence", "Evidence files"),
)
RECORD_CHANNELS = (
    "sms",
    "mms",
    "imessage",
    "call",
    "whatsapp",
    "signal",
    "telegram",
    "email",
    "photo",
    "csv",
)
CHANNEL_CHOICES: tuple[str, ...] = (*(c.value for c in Channel), *RECORD_CHANNELS)
TAG_CHOICES: tuple[str, ...] = tuple(t.value for t in Tag)
_DAY_FIRST = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


NAMED = {
    "sms": "SMS",
    "mms": "MMS",
    "imessage": "iMessage",
    "whatsapp": "WhatsApp",
    "csv": "Spreadsheet",
    "phone_call": "Phone call",
}


def readable(value: str) -> str:
    """'threat_of_violence' -> 'Threat of violence'; product names keep their own spelling."""
    return NAMED.get(value) or value.replace("_", " ").replace("-", " ").capitalize()


@dataclass
class Filters:
    """The filters as typed (for the form) and as read (for the services)."""

    values: dict[str, str] = field(default_factory=dict)
    kinds: frozenset[str] = frozenset(k for k, _ in KIND_CHOICES)
    start: datetime | None = None
    end: datetime | None = None
    subject_id: int | None = None
    channel: str | None = None
    tag: str | None = None
    text: str | None = None
    errors: Errors = field(default_factory=list)


def read_day(text: str) -> date | None:
    """A date typed as 2026-03-12 or 12/03/2026; None if it cannot be read."""
    found = _DAY_FIRST.match(text)
    try:
        if found:
            return date(int(found[3]), int(found[2]), int(found[1]))
        return date.fromisoformat(text)
    except ValueError:
        return None


def _first(source: Mapping[str, str], name: str, limit: int = MAX_QUERY) -> str:
    value = source.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def read_filters(
    source: Mapping[str, str],
    kinds: list[str],
    zone: ZoneInfo,
    subject_ids: set[int],
) -> Filters:
    """The filters from a query string or form (`kinds` is the list of ticked kinds)."""
    found = Filters()
    for name in ("from", "to", "subject", "channel", "tag", "q"):
        found.values[name] = _first(source, name)
    chosen = {k for k in kinds if k in dict(KIND_CHOICES)}
    if chosen:
        found.kinds = frozenset(chosen)
    _read_dates(found, zone)
    subject = found.values["subject"]
    if subject:
        if subject.isdigit() and int(subject) in subject_ids:
            found.subject_id = int(subject)
        else:
            found.errors.append(error("subject", "Please choose a person from the list."))
    channel = found.values["channel"]
    if channel:
        if channel in CHANNEL_CHOICES:
            found.channel = channel
        else:
            found.errors.append(error("channel", "Please choose a way of contact from the list."))
    tag = found.values["tag"]
    if tag:
        if tag in TAG_CHOICES:
            found.tag = tag
        else:
            found.errors.append(error("tag", "Please choose a behaviour from the list."))
    found.text = found.values["q"] or None
    return found


def _read_dates(found: Filters, zone: ZoneInfo) -> None:
    for name in ("from", "to"):
        typed = found.values[name]
        if not typed:
            continue
        day = read_day(typed)
        if day is None:
            found.errors.append(
                error(name, "Please give a date like 12/03/2026, or leave it empty.")
            )
        elif name == "from":
            found.start = datetime.combine(day, time(), zone)
        else:
            found.end = datetime.combine(day + timedelta(days=1), time(), zone)
    if found.start and found.end and found.end <= found.start:
        found.errors.append(error("to", "The end date must be on or after the start date."))
