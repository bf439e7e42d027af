"""The append-only, hash-chained audit log: one chain per case and one for the server.

Each entry holds the SHA-256 of the one before, so removing or changing an entry breaks the
chain, and `chain_problems` says where. Appends to one chain are serialised (an advisory lock on
PostgreSQL; SQLite writes one at a time anyway), so many app instances can write safely.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.exc import IntegrityError

from safetrail.models.jsonvalue import JsonObject, canonical_json
from safetrail.server import clock
from safetrail.server.schema import audit_log

GENESIS = "0" * 64
SERVER_CHAIN = "server"
MAX_DETAIL = 500


def case_chain(case_id: int) -> str:
    return f"case:{case_id}"


@dataclass(frozen=True, slots=True)
class Actor:
    account_id: int | None
    name: str


@dataclass(frozen=True, slots=True)
class AuditEntry:
    chain: str
    seq: int
    at: str
    account_id: int | None
    actor: str
    action: str
    outcome: str
    case_id: int | None
    details: JsonObject
    prev_hash: str
    hash: str

    def body(self) -> JsonObject:
        return {
            "chain": self.chain,
            "seq": self.seq,
            "at": self.at,
            "account_id": self.account_id,
            "actor": self.actor,
            "action": self.action,
            "outcome": self.outcome,
            "case_id": self.case_id,
            "details": self.details,
            "prev_hash": self.prev_hash,
        }

    def to_json(self) -> JsonObject:
        return {**self.body(), "hash": self.hash}


def entry_hash(body: JsonObject) -> str:
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def _bounded(details: JsonObject) -> JsonObject:
    """Audit details are short facts; anything long (hostile text included) is cut."""
    return {
        key: value[:MAX_DETAIL] + "…"
        if isinstance(value, str) and len(value) > MAX_DETAIL
        else value
        for key, value in details.items()
    }


def _lock_chain(conn: Connection, chain: str) -> None:
    if conn.dialect.name == "postgresql":
        key = zlib.crc32(chain.encode()) - (1 << 31)
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def append(
    conn: Connection,
    chain: str,
    actor: Actor,
    action: str,
    *,
    outcome: str = "ok",
    case_id: int | None = None,
    details: JsonObject | None = None,
) -> AuditEntry:
    """Add one entry inside the caller's transaction (it commits or fails with their work)."""
    _lock_chain(conn, chain)
    last = conn.execute(
        select(audit_log.c.seq, audit_log.c.hash)
        .where(audit_log.c.chain == chain)
        .order_by(audit_log.c.seq.desc())
        .limit(1)
    ).first()
    seq, prev = (int(last.seq) + 1, str(last.hash)) if last else (1, GENESIS)
    entry = AuditEntry(
        chain=chain,
        seq=seq,
        at=clock.stamp(clock.now()),
        account_id=actor.account_id,
        actor=actor.name,
        action=action,
        outcome=outcome,
        case_id=case_id,
        details=_bounded(details or {}),
        prev_hash=prev,
        hash="",
    )
    digest = entry_hash(entry.body())
    conn.execute(
        audit_log.insert().values(
            chain=chain,
            seq=seq,
            at=entry.at,
            account_id=entry.account_id,
            actor=entry.actor,
            action=action,
            outcome=outcome,
            case_id=case_id,
            details=canonical_json(entry.details),
            prev_hash=prev,
            hash=digest,
        )
    )
    return AuditEntry(**{**entry.to_json(), "hash": digest})  # type: ignore[arg-type]


def record(
    engine: Engine,
    chain: str,
    actor: Actor,
    action: str,
    *,
    outcome: str = "ok",
    case_id: int | None = None,
    details: JsonObject | None = None,
) -> None:
    """Add one entry in its own transaction: used for denials and failures, which must stay."""
    for attempt in range(5):
        try:
            with engine.begin() as conn:
                append(
                    conn, chain, actor, action, outcome=outcome, case_id=case_id, details=details
                )
            return
        except IntegrityError:
            if attempt == 4:
                raise


def entries(conn: Connection, chain: str) -> list[AuditEntry]:
    rows = conn.execute(
        select(audit_log).where(audit_log.c.chain == chain).order_by(audit_log.c.seq)
    ).all()
    return [
        AuditEntry(
            chain=row.chain,
            seq=row.seq,
            at=row.at,
            account_id=row.account_id,
            actor=row.actor,
            action=row.action,
            outcome=row.outcome,
            case_id=row.case_id,
            details=json.loads(row.details),
            prev_hash=row.prev_hash,
            hash=row.hash,
        )
        for row in rows
    ]


def count(conn: Connection, chain: str, outcome: str | None = None) -> int:
    query = select(func.count()).select_from(audit_log).where(audit_log.c.chain == chain)
    if outcome is not None:
        query = query.where(audit_log.c.outcome == outcome)
    return int(conn.execute(query).scalar_one())


def chain_problems(log: Iterable[AuditEntry]) -> list[str]:
    """Every break in a chain, in plain words; an empty list means it is intact."""
    problems: list[str] = []
    expected_prev, expected_seq = GENESIS, 1
    for entry in log:
        if entry.seq != expected_seq:
            problems.append(f"audit entry {expected_seq} is missing (the next is {entry.seq})")
        if entry.prev_hash != expected_prev:
            problems.append(f"audit entry {entry.seq} does not follow the entry before it")
        if entry_hash(entry.body()) != entry.hash:
            problems.append(f"audit entry {entry.seq} was changed after it was written")
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    return problems


def as_jsonl(log: Iterable[AuditEntry]) -> Iterator[str]:
    for entry in log:
        yield canonical_json(entry.to_json()) + "\n"
