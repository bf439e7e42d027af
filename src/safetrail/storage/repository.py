"""Writing and reading the casebook's tables. Every write goes through the custody log.

All functions take an open SQLAlchemy connection inside a transaction; the caller commits, so a
change and its log entry land together or not at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Table, func, insert, select, update

from safetrail.models.jsonvalue import JsonObject, canonical_json
from safetrail.storage.schema import ENTITY_TABLES, custody_log, meta, versions
from safetrail.vault.custody import GENESIS_HASH, LogEntry, entry_hash
from safetrail.vault.head import Head


def now_utc() -> datetime:
    return datetime.now(UTC)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def last_head(conn: Connection) -> Head:
    row = conn.execute(
        select(custody_log.c.seq, custody_log.c.hash).order_by(custody_log.c.seq.desc()).limit(1)
    ).first()
    return Head(seq=0, hash=GENESIS_HASH) if row is None else Head(seq=row.seq, hash=row.hash)


@dataclass(frozen=True, slots=True)
class NewLogEntry:
    """A custody-log entry to append: everything but its place in the chain."""

    action: str
    kind: str
    details: JsonObject
    entity_id: int | None = None
    version: int | None = None
    at: datetime | None = None


def append_log(
    conn: Connection,
    action: str,
    kind: str,
    details: JsonObject,
    entity_id: int | None = None,
    version: int | None = None,
    at: datetime | None = None,
) -> LogEntry:
    return append_logs(conn, [NewLogEntry(action, kind, details, entity_id, version, at)])[0]


def append_logs(conn: Connection, new: Sequence[NewLogEntry]) -> list[LogEntry]:
    """Append entries in the order given, chained as one-by-one appends would chain them.

    The chain is computed here from the current head, then written with one prepared INSERT, so
    a batch costs one statement however many entries it holds. Nothing else may append to the
    log of this connection between reading the head and the INSERT (a transaction is the
    caller's, and this function does both).
    """
    head = last_head(conn)
    seq, prev_hash = head.seq, head.hash
    entries: list[LogEntry] = []
    rows: list[dict[str, object]] = []
    for item in new:
        seq += 1
        at_text = (item.at or now_utc()).isoformat()
        digest = entry_hash(
            seq,
            at_text,
            item.action,
            item.kind,
            item.entity_id,
            item.version,
            item.details,
            prev_hash,
        )
        entries.append(
            LogEntry(
                seq,
                at_text,
                item.action,
                item.kind,
                item.entity_id,
                item.version,
                item.details,
                prev_hash,
                digest,
            )
        )
        rows.append(
            {
                "seq": seq,
                "at": at_text,
                "action": item.action,
                "kind": item.kind,
                "entity_id": item.entity_id,
                "version": item.version,
                "details": canonical_json(item.details),
                "prev_hash": prev_hash,
                "hash": digest,
            }
        )
        prev_hash = digest
    if rows:
        # Parameters passed beside the statement (not baked in with .values()), so SQLAlchemy
        # reuses its compiled INSERT, and a list of them is one executemany.
        conn.execute(insert(custody_log), rows)
    return entries


def log_entries(conn: Connection) -> Iterator[LogEntry]:
    for row in conn.execute(select(custody_log).order_by(custody_log.c.seq)):
        yield LogEntry(
            seq=row.seq,
            at=row.at,
            action=row.action,
            kind=row.kind,
            entity_id=row.entity_id,
            version=row.version,
            details=json.loads(row.details),
            prev_hash=row.prev_hash,
            hash=row.hash,
        )


@dataclass(frozen=True, slots=True)
class StoredVersion:
    kind: str
    entity_id: int
    version: int
    written_at: str
    data: JsonObject
    log_seq: int


def next_entity_id(conn: Connection, kind: str) -> int:
    table = ENTITY_TABLES[kind]
    current = conn.execute(select(func.max(table.c.id))).scalar()
    return int(current or 0) + 1


@dataclass(frozen=True, slots=True)
class NewVersion:
    """One full state of an entity to store, with what its custody entry says beside the hash."""

    entity_id: int
    version: int
    data: JsonObject
    action: str
    extra_details: JsonObject | None = None
    text: str | None = None
    """canonical_json(data), when the caller has it already."""


def write_version(
    conn: Connection,
    kind: str,
    entity_id: int,
    version: int,
    data: JsonObject,
    action: str,
    extra_details: JsonObject | None = None,
) -> StoredVersion:
    """Store one full state of an entity, logged with its hash."""
    return write_versions(
        conn, kind, [NewVersion(entity_id, version, data, action, extra_details)]
    )[0]


def write_versions(conn: Connection, kind: str, new: Sequence[NewVersion]) -> list[StoredVersion]:
    """Store states of entities of one kind, each logged with its hash, in the order given:
    one custody-log INSERT and one versions INSERT for the whole list."""
    texts: list[str] = []
    digests: list[str] = []
    times: list[datetime] = []
    log: list[NewLogEntry] = []
    for item in new:
        text = item.text if item.text is not None else canonical_json(item.data)
        digest = sha256_text(text)
        written_at = now_utc()
        details: JsonObject = {"data_sha256": digest, **(item.extra_details or {})}
        texts.append(text)
        digests.append(digest)
        times.append(written_at)
        log.append(
            NewLogEntry(item.action, kind, details, item.entity_id, item.version, written_at)
        )
    entries = append_logs(conn, log)
    stored: list[StoredVersion] = []
    rows: list[dict[str, object]] = []
    for item, text, digest, written_at, entry in zip(
        new, texts, digests, times, entries, strict=True
    ):
        at_text = written_at.isoformat()
        rows.append(
            {
                "kind": kind,
                "entity_id": item.entity_id,
                "version": item.version,
                "written_at": at_text,
                "data": text,
                "data_sha256": digest,
                "log_seq": entry.seq,
            }
        )
        stored.append(
            StoredVersion(kind, item.entity_id, item.version, at_text, item.data, entry.seq)
        )
    if rows:
        conn.execute(insert(versions), rows)
    return stored


def save_current(conn: Connection, table: Table, row: dict[str, object], *, new: bool) -> None:
    if new:
        insert_current(conn, table, [row])
    else:
        conn.execute(update(table).where(table.c.id == row["id"]).values(**row))


def insert_current(conn: Connection, table: Table, rows: Sequence[dict[str, object]]) -> None:
    """New entities' current rows, with one prepared INSERT."""
    if rows:
        conn.execute(insert(table), list(rows))


def version_history(conn: Connection, kind: str, entity_id: int) -> list[StoredVersion]:
    rows = conn.execute(
        select(versions)
        .where(versions.c.kind == kind, versions.c.entity_id == entity_id)
        .order_by(versions.c.version)
    )
    return [
        StoredVersion(r.kind, r.entity_id, r.version, r.written_at, json.loads(r.data), r.log_seq)
        for r in rows
    ]


def get_meta(conn: Connection, key: str) -> str | None:
    value = conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()
    return None if value is None else str(value)


def set_meta(conn: Connection, key: str, value: str) -> None:
    if get_meta(conn, key) is None:
        conn.execute(insert(meta).values(key=key, value=value))
    else:
        conn.execute(update(meta).where(meta.c.key == key).values(value=value))
