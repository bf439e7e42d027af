"""Reading imported records: list, filter, full-text search, and saying who a sender is."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Select, func, select, update

from safetrail.models.identifiers import try_normalise_phone
from safetrail.models.jsonvalue import JsonObject
from safetrail.services import entities
from safetrail.services.casebook import Casebook
from safetrail.services.errors import InvalidInput, NotFound
from safetrail.services.identity import address_key
from safetrail.services.record_query import RecordConditions, conditions_for, paged
from safetrail.services.subjects import edit_subject, get_subject
from safetrail.storage import repository
from safetrail.storage.schema import evidence, records

MAX_LIMIT = 10_000


@dataclass(frozen=True, slots=True)
class RecordFilter:
    subject_id: int | None = None
    channel: str | None = None
    kind: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    text: str | None = None
    evidence_id: int | None = None
    limit: int = 200
    offset: int = 0


@dataclass(frozen=True, slots=True)
class RecordView:
    id: int
    evidence_id: int
    exhibit_ref: str
    kind: str
    channel: str
    occurred_at: str | None
    timestamp_text: str
    timezone_assumed: str | None
    ambiguity: str | None
    sender: str | None
    sender_address: str | None
    direction: str
    thread: str | None
    text: str
    title: str | None
    call_type: str | None
    duration_seconds: int | None
    subject_id: int | None
    locator: JsonObject
    attachments: list[JsonObject]

    def to_json(self) -> JsonObject:
        return {
            "id": self.id,
            "evidence_id": self.evidence_id,
            "exhibit_ref": self.exhibit_ref,
            "kind": self.kind,
            "channel": self.channel,
            "occurred_at": self.occurred_at,
            "timestamp_text": self.timestamp_text,
            "timezone_assumed": self.timezone_assumed,
            "ambiguity": self.ambiguity,
            "sender": self.sender,
            "sender_address": self.sender_address,
            "direction": self.direction,
            "thread": self.thread,
            "text": self.text,
            "title": self.title,
            "call_type": self.call_type,
            "duration_seconds": self.duration_seconds,
            "subject_id": self.subject_id,
            "locator": self.locator,
            "attachments": list(self.attachments),
        }


def _base() -> Select[tuple[object, ...]]:
    return select(records, evidence.c.exhibit_ref).join(
        evidence, evidence.c.id == records.c.evidence_id
    )


def _conditions(filters: RecordFilter) -> RecordConditions:
    return RecordConditions(
        subject_id=filters.subject_id,
        channel=filters.channel,
        kind=filters.kind,
        evidence_id=filters.evidence_id,
        start=filters.start,
        end=filters.end,
        text=filters.text,
    )


def _view(row: object) -> RecordView:
    m = row._mapping  # type: ignore[attr-defined]
    return RecordView(
        id=m["id"],
        evidence_id=m["evidence_id"],
        exhibit_ref=m["exhibit_ref"],
        kind=m["kind"],
        channel=m["channel"],
        occurred_at=m["occurred_at"],
        timestamp_text=m["timestamp_text"],
        timezone_assumed=m["timezone_assumed"],
        ambiguity=m["ambiguity"],
        sender=m["sender"],
        sender_address=m["sender_address"],
        direction=m["direction_set"] or m["direction"],
        thread=m["thread"],
        text=m["text"],
        title=m["title"],
        call_type=m["call_type"],
        duration_seconds=m["duration_seconds"],
        subject_id=m["subject_id"],
        locator=json.loads(m["locator"]),
        attachments=json.loads(m["attachments"]),
    )


def list_records(book: Casebook, filters: RecordFilter) -> list[RecordView]:
    """Records in time order (those with no known time last), filtered, text searched with FTS5."""
    limit = max(1, min(filters.limit, MAX_LIMIT))
    with book.read() as conn:
        conditions = conditions_for(conn, _conditions(filters))
        if conditions is None:
            return []
        return [_view(row) for row in paged(conn, _base(), conditions, filters.offset, limit)]


def get_record(book: Casebook, record_id: int) -> RecordView:
    query = (
        select(records, evidence.c.exhibit_ref)
        .join(evidence, evidence.c.id == records.c.evidence_id)
        .where(records.c.id == record_id)
    )
    with book.read() as conn:
        row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"There is no record {record_id}.")
    return _view(row)


def search_records(
    book: Casebook, query: str, filters: RecordFilter | None = None
) -> list[RecordView]:
    return list_records(book, replace(filters or RecordFilter(), text=query))


@dataclass(frozen=True, slots=True)
class UnknownSender:
    key: str
    shown_as: str
    records: int
    first: str | None
    last: str | None


def unknown_senders(book: Casebook) -> list[UnknownSender]:
    """Senders that match nobody yet, most frequent first, so the person can say who they are."""
    query = (
        select(
            records.c.sender_key,
            func.max(func.coalesce(records.c.sender, records.c.sender_address)),
            func.count(),
            func.min(records.c.occurred_at),
            func.max(records.c.occurred_at),
        )
        .where(
            records.c.subject_id.is_(None),
            records.c.sender_key.is_not(None),
            func.coalesce(records.c.direction_set, records.c.direction) != "sent",
        )
        .group_by(records.c.sender_key)
        .order_by(func.count().desc())
    )
    with book.read() as conn:
        return [
            UnknownSender(str(k), str(s or k), int(n), first, last)
            for k, s, n, first, last in conn.execute(query)
        ]


def assign_sender(book: Casebook, key: str, subject_id: int) -> int:
    """Say that a sender is this subject: their identifiers gain it, and every record re-links.

    Returns how many records now point at the subject. Future imports link by the same key.
    """
    subject = get_subject(book, subject_id)
    details = subject.details
    if key.startswith("name:"):
        raw = _shown_as(book, key) or key.removeprefix("name:")
        if address_key(raw) not in {address_key(h) for h in details.handles}:
            details = replace(details, handles=(*details.handles, raw))
    elif "@" in key:
        details = replace(details, emails=tuple(dict.fromkeys((*details.emails, key))))
    elif try_normalise_phone(key):
        details = replace(details, phones=tuple(dict.fromkeys((*details.phones, key))))
    else:
        raise InvalidInput(f"{key!r} is not a sender key from 'safetrail records unknown'.")
    if details != subject.details:
        edit_subject(book, subject_id, details)
    with book.transaction() as conn:
        changed = conn.execute(
            update(records).where(records.c.sender_key == key).values(subject_id=subject_id)
        ).rowcount
        repository.append_log(
            conn, "link", "records", {"sender_key": key, "records": changed}, subject_id
        )
    return int(changed)


def _shown_as(book: Casebook, key: str) -> str | None:
    with book.read() as conn:
        found = conn.execute(
            select(func.max(records.c.sender)).where(records.c.sender_key == key)
        ).scalar()
    return None if found is None else str(found)


def set_me(book: Casebook, evidence_id: int, key: str) -> int:
    """Say which sender in an import is the person: their records become sent, the rest received."""
    with book.transaction() as conn:
        entities.load(conn, "evidence", evidence_id)
        found = conn.execute(
            select(func.count()).where(
                records.c.evidence_id == evidence_id, records.c.sender_key == key
            )
        ).scalar()
        if not found:
            raise NotFound(f"No record in that import was sent by {key!r}.")
        base = update(records).where(records.c.evidence_id == evidence_id)
        conn.execute(base.where(records.c.sender_key == key).values(direction_set="sent"))
        conn.execute(
            base.where(records.c.sender_key.is_distinct_from(key)).values(direction_set="received")
        )
        repository.append_log(conn, "set_me", "records", {"sender_key": key}, evidence_id)
    return int(found)


def senders_of(book: Casebook, evidence_id: int) -> list[tuple[str, str, int]]:
    """(key, shown as, count) for the senders in one import, for asking 'which of these is you?'."""
    query = (
        select(records.c.sender_key, func.max(records.c.sender), func.count())
        .where(records.c.evidence_id == evidence_id, records.c.sender_key.is_not(None))
        .group_by(records.c.sender_key)
        .order_by(func.count().desc())
    )
    with book.read() as conn:
        return [(str(k), str(s or k), int(n)) for k, s, n in conn.execute(query)]


def count_records(book: Casebook) -> int:
    with book.read() as conn:
        return int(conn.execute(select(func.count()).select_from(records)).scalar() or 0)
