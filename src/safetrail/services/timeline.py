"""The one merged timeline: incidents, records and evidence items, in time order.

Records can number a million, so they are filtered and paged in SQL; incidents and evidence
items are few and merged in memory.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, and_, or_, select

from safetrail.models.enums import Certainty
from safetrail.models.jsonvalue import JsonObject
from safetrail.models.timeutil import from_iso, utc_key
from safetrail.services.casebook import Casebook
from safetrail.services.events import BEHAVIOUR_TAGS
from safetrail.services.evidence import list_evidence
from safetrail.services.incidents import list_incidents
from safetrail.services.record_query import RecordConditions, conditions_for, paged
from safetrail.storage.schema import evidence, record_tags, records

MAX_PAGE = 5000


@dataclass(frozen=True, slots=True)
class TimelineFilter:
    subject_id: int | None = None
    channel: str | None = None
    tag: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    text: str | None = None
    kinds: frozenset[str] = frozenset({"incident", "record", "evidence"})
    limit: int = 200
    offset: int = 0


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    kind: str
    id: int
    at: datetime | None
    approximate: bool
    subject_id: int | None
    channel: str
    text: str
    tags: tuple[str, ...] = ()
    exhibit_ref: str | None = None
    detail: dict[str, str] = field(default_factory=dict)

    def to_json(self, zone: ZoneInfo) -> JsonObject:
        return {
            "kind": self.kind,
            "id": self.id,
            "at": self.at.astimezone(zone).isoformat() if self.at else None,
            "approximate": self.approximate,
            "subject_id": self.subject_id,
            "channel": self.channel,
            "text": self.text,
            "tags": list(self.tags),
            "exhibit_ref": self.exhibit_ref,
        }


def _sort_key(entry: TimelineEntry) -> tuple[int, str, str, int]:
    return (entry.at is None, utc_key(entry.at) if entry.at else "", entry.kind, entry.id)


def _in_range(at: datetime | None, filters: TimelineFilter) -> bool:
    if at is None:
        return filters.start is None and filters.end is None
    if filters.start is not None and at < filters.start:
        return False
    return not (filters.end is not None and at >= filters.end)


def _incident_entries(book: Casebook, filters: TimelineFilter) -> list[TimelineEntry]:
    entries = []
    for incident in list_incidents(book):
        d = incident.details
        tags = tuple(sorted(BEHAVIOUR_TAGS[b].value for b in d.behaviours if b in BEHAVIOUR_TAGS))
        if filters.subject_id is not None and d.subject_id != filters.subject_id:
            continue
        if filters.channel and d.channel.value != filters.channel:
            continue
        if filters.tag and filters.tag not in tags:
            continue
        if filters.text and filters.text.casefold() not in d.what_happened.casefold():
            continue
        if not _in_range(d.occurred_start, filters):
            continue
        entries.append(
            TimelineEntry(
                "incident",
                incident.id,
                d.occurred_start,
                d.certainty is not Certainty.EXACT,
                d.subject_id,
                d.channel.value,
                d.what_happened,
                tags,
            )
        )
    return entries


def _evidence_entries(book: Casebook, filters: TimelineFilter) -> list[TimelineEntry]:
    if filters.subject_id is not None or filters.tag or filters.channel:
        return []
    entries = []
    for item in list_evidence(book):
        if item.parent_id is not None:
            continue
        at = item.description.captured_at or item.acquired_at
        text = item.description.description or (item.file.original_filename if item.file else "")
        if filters.text and filters.text.casefold() not in text.casefold():
            continue
        if _in_range(at, filters):
            entries.append(
                TimelineEntry(
                    "evidence",
                    item.id,
                    at,
                    item.description.captured_at is None,
                    None,
                    "evidence",
                    text,
                    (),
                    item.exhibit_ref,
                )
            )
    return entries


_RECORD_COLUMNS = (
    records.c.id,
    records.c.occurred_utc,
    records.c.kind,
    records.c.channel,
    records.c.occurred_at,
    records.c.ambiguity,
    records.c.subject_id,
    records.c.text,
    records.c.call_type,
    records.c.duration_seconds,
    records.c.sender,
    evidence.c.exhibit_ref,
)


def _record_entries(conn: Connection, filters: TimelineFilter, limit: int) -> list[TimelineEntry]:
    wanted = RecordConditions(
        subject_id=filters.subject_id,
        channel=filters.channel,
        start=filters.start,
        end=filters.end,
        tag=filters.tag,
        text=filters.text,
    )
    conditions = conditions_for(conn, wanted)
    if conditions is None:
        return []
    base = select(*_RECORD_COLUMNS).join(evidence, evidence.c.id == records.c.evidence_id)
    rows = paged(conn, base, conditions, 0, limit)
    tags = _tags_for(conn, [r.id for r in rows])
    return [_record_entry(row, tags.get(row.id, set())) for row in rows]


def _record_stream(book: Casebook, filters: TimelineFilter) -> Iterator[TimelineEntry]:
    """Every record the filters hold, in timeline order (time, kind, id; undated last).

    Keyset paging (after the last time, kind and id seen) reads each record once.
    """
    wanted = RecordConditions(
        subject_id=filters.subject_id,
        channel=filters.channel,
        start=filters.start,
        end=filters.end,
        tag=filters.tag,
        text=filters.text,
    )
    base = select(*_RECORD_COLUMNS).join(evidence, evidence.c.id == records.c.evidence_id)
    after: tuple[str, str, int] | None = None
    last_undated = 0
    while True:
        with book.read() as conn:
            conditions = conditions_for(conn, wanted)
            if conditions is None:
                return
            if after is not None:
                conditions = [
                    *conditions,
                    or_(
                        records.c.occurred_utc > after[0],
                        and_(
                            records.c.occurred_utc == after[0],
                            or_(
                                records.c.kind > after[1],
                                and_(records.c.kind == after[1], records.c.id > after[2]),
                            ),
                        ),
                    ),
                ]
            query = base.where(records.c.occurred_utc.is_not(None), *conditions)
            rows = conn.execute(
                query.order_by(records.c.occurred_utc, records.c.kind, records.c.id).limit(MAX_PAGE)
            ).all()
            tags = _tags_for(conn, [r.id for r in rows])
        yield from (_record_entry(row, tags.get(row.id, set())) for row in rows)
        if len(rows) < MAX_PAGE:
            break
        after = (rows[-1].occurred_utc, rows[-1].kind, rows[-1].id)
    while True:
        with book.read() as conn:
            conditions = conditions_for(conn, wanted) or []
            rows = conn.execute(
                base.where(
                    records.c.occurred_utc.is_(None), records.c.id > last_undated, *conditions
                )
                .order_by(records.c.id)
                .limit(MAX_PAGE)
            ).all()
            tags = _tags_for(conn, [r.id for r in rows])
        yield from (_record_entry(row, tags.get(row.id, set())) for row in rows)
        if len(rows) < MAX_PAGE:
            return
        last_undated = rows[-1].id


def iter_timeline(book: Casebook, filters: TimelineFilter) -> Iterator[TimelineEntry]:
    """The whole merged timeline for `filters` (limit and offset ignored), in timeline order.

    For exports: incidents and evidence are read once and records streamed once, where paging
    with `timeline` would read them again for every page.
    """
    others: list[TimelineEntry] = []
    if "incident" in filters.kinds:
        others += _incident_entries(book, filters)
    if "evidence" in filters.kinds:
        others += _evidence_entries(book, filters)
    others.sort(key=_sort_key)
    if "record" not in filters.kinds:
        yield from others
        return
    yield from heapq.merge(others, _record_stream(book, filters), key=_sort_key)


def _record_entry(row: Any, tags: set[str]) -> TimelineEntry:
    text = row.text
    if row.kind == "call" and not text:
        text = f"{row.call_type or ''} call, {row.duration_seconds or 0} s".strip()
    return TimelineEntry(
        row.kind,
        row.id,
        from_iso(row.occurred_at) if row.occurred_at else None,
        bool(row.ambiguity),
        row.subject_id,
        row.channel,
        text,
        tuple(sorted(tags)),
        row.exhibit_ref,
        {"sender": row.sender or ""},
    )


def _tags_for(conn: Connection, ids: list[int]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for record_id, tag in conn.execute(
            select(record_tags.c.record_id, record_tags.c.tag).where(
                record_tags.c.record_id.in_(chunk)
            )
        ):
            found.setdefault(record_id, set()).add(tag)
    return found


def timeline(book: Casebook, filters: TimelineFilter) -> list[TimelineEntry]:
    """One page of the merged timeline, oldest first, with entries of unknown time last."""
    limit = max(1, min(filters.limit, MAX_PAGE))
    window = filters.offset + limit
    merged: list[TimelineEntry] = []
    if "incident" in filters.kinds:
        merged += _incident_entries(book, filters)
    if "evidence" in filters.kinds:
        merged += _evidence_entries(book, filters)
    if "record" in filters.kinds:
        with book.read() as conn:
            merged += _record_entries(conn, filters, window)
    merged.sort(key=_sort_key)
    return merged[filters.offset : window]
