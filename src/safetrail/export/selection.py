"""What goes into an export, and removing other people's phone numbers and email addresses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from safetrail.models.identifiers import try_normalise_phone
from safetrail.services.casebook import Casebook
from safetrail.services.subjects import list_subjects
from safetrail.services.timeline import TimelineEntry, TimelineFilter, iter_timeline
from safetrail.services.when import zone

ALL_KINDS: frozenset[str] = frozenset({"incident", "record", "evidence"})
NUMBER_REMOVED = "[number removed]"
EMAIL_REMOVED = "[email removed]"
DEFAULT_TIMEZONE = "Europe/London"

_EMAIL = r"(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
# International: + country code, digits in groups of spaces or dashes, an optional "(0)".
_INTERNATIONAL = r"(?<![\w+])\+\d{1,3}[ -]?(?:\(0\)[ -]?)?\d(?:[ -]?\d){5,12}(?!\d)"
# UK national: 01, 02, 03 or 07 and 10 or 11 digits in all, with single spaces or dashes.
_UK = r"(?<![\w+])0[1237](?:[ -]?\d){8,9}(?!\d)"
_PATTERN = re.compile(f"{_EMAIL}|(?P<phone>{_INTERNATIONAL}|{_UK})")


@dataclass(frozen=True, slots=True)
class Selection:
    """Which entries an export holds, and what is left out of them.

    `full_text` False keeps only the records with a behaviour tag (incidents and evidence stay).
    """

    start: datetime | None = None
    end: datetime | None = None
    subject_id: int | None = None
    kinds: frozenset[str] = ALL_KINDS
    full_text: bool = True
    include_private_notes: bool = False
    redact_third_parties: bool = True

    def __post_init__(self) -> None:
        unknown = self.kinds - ALL_KINDS
        if unknown:
            raise ValueError(f"unknown kinds: {', '.join(sorted(unknown))}")


@lru_cache(maxsize=4096)
def _normalised(found: str) -> str | None:
    """E.164 for a number as written; cached, as a chat repeats the same few numbers."""
    return try_normalise_phone(found.replace("(0)", ""))


def _replacement(match: re.Match[str], keep: frozenset[str]) -> str:
    found = match.group(0)
    if match.group("email") is not None:
        return found if found.lower() in keep else EMAIL_REMOVED
    number = _normalised(found)
    return found if number is not None and number in keep else NUMBER_REMOVED


def redact(text: str, keep: frozenset[str]) -> str:
    """Replace phone numbers and emails not in `keep` (E.164 numbers, lower-case emails)."""
    return _PATTERN.sub(lambda match: _replacement(match, keep), text)


def subject_identifiers(book: Casebook) -> frozenset[str]:
    """The subjects' own numbers (E.164) and emails (lower case): these are not third parties."""
    kept: set[str] = set()
    for subject in list_subjects(book, include_removed=True):
        for phone in subject.details.phones:
            number = try_normalise_phone(phone)
            if number is not None:
                kept.add(number)
        kept.update(email.lower() for email in subject.details.emails)
    return frozenset(kept)


def subject_labels(book: Casebook) -> dict[int, str]:
    return {s.id: s.details.label(s.id) for s in list_subjects(book, include_removed=True)}


def casebook_zone(book: Casebook) -> tuple[str, ZoneInfo]:
    name = book.setting("timezone") or DEFAULT_TIMEZONE
    return name, zone(name)


def is_record(entry: TimelineEntry) -> bool:
    return entry.kind not in ("incident", "evidence")


def entry_ref(entry: TimelineEntry) -> str:
    """'incident:3', 'record:1042' or 'evidence:5': stable across exports of the same casebook."""
    return f"{'record' if is_record(entry) else entry.kind}:{entry.id}"


def selected_entries(book: Casebook, selection: Selection) -> Iterator[TimelineEntry]:
    """Every timeline entry the selection holds, oldest first, those of unknown time last."""
    filters = TimelineFilter(
        subject_id=selection.subject_id,
        start=selection.start,
        end=selection.end,
        kinds=selection.kinds,
    )
    for entry in iter_timeline(book, filters):
        if selection.full_text or not is_record(entry) or entry.tags:
            yield entry
