"""Writing and reading the casebook's tables. Every write goes through the custody log.

All functions take an open SQLAlchemy connection inside a transaction; the caller commits, so a
change and its log entry land together or not at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
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


def append_log(
    conn: Connection,
    action: str,
    kind: str,
    details: JsonObject,
    entity_id: int | None = None,
    version: int | None = None,
    at: datetime | None = None,
) -> LogEntry:
    head = last_head(conn)
    seq = head.seq + 1
    at_text = (at or now_utc()).isoformat()
    digest = entry_hash(seq, at_text, action, kind, entity_id, version, details, head.hash)
    # Parameters passed beside the statement (not baked in with .values()), so SQLAlchemy
    # reuses its compiled INSERT: imports write one entry per attachment.
    conn.execute(
        insert(custody_log),
        {
            "seq": seq,
            "at": at_text,
            "action": action,
            "kind": kind,
            "entity_id": entity_id,
            "version": version,
            "details": canonical_json(details),
            "prev_hash": head.hash,
            "hash": digest,
        },
    )
    return LogEntry(seq, at_text, action, kind, entity_id, version, details, head.hash, digest)


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
    text = canonical_json(data)
    digest = sha256_text(text)
    written_at = now_utc()
    details: JsonObject = {"data_sha256": digest, **(extra_details or {})}
    entry = append_log(conn, action, kind, details, entity_id, version, written_at)
    conn.execute(
        insert(versions),
        {
            "kind": kind,
            "entity_id": entity_id,
            "version": version,
            "written_at": written_at.isoformat(),
            "data": text,
            "data_sha256": digest,
            "log_seq": entry.seq,
        },
    )
    return StoredVersion(kind, entity_id, version, written_at.isoformat(), data, entry.seq)


def save_current(conn: Connection, table: Table, row: dict[str, object], *, new: bool) -> None:
    if new:
        conn.execute(insert(table), row)
    else:
        conn.execute(update(table).where(table.c.id == row["id"]).values(**row))


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
