"""The custody log's hash chain: each entry holds the hash of the one before.

Only hashing lives here; reading and writing entries is the storage layer's job. The chain uses
plain SHA-256 (no key), so anyone holding an exported log can check it without Safetrail.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from safetrail.models.jsonvalue import JsonObject, canonical_json

GENESIS_HASH = "0" * 64


@dataclass(frozen=True, slots=True)
class LogEntry:
    seq: int
    at: str
    action: str
    kind: str
    entity_id: int | None
    version: int | None
    details: JsonObject
    prev_hash: str
    hash: str


def entry_hash(
    seq: int,
    at: str,
    action: str,
    kind: str,
    entity_id: int | None,
    version: int | None,
    details: JsonObject,
    prev_hash: str,
) -> str:
    body: JsonObject = {
        "seq": seq,
        "at": at,
        "action": action,
        "kind": kind,
        "entity_id": entity_id,
        "version": version,
        "details": details,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def recompute(entry: LogEntry) -> str:
    return entry_hash(
        entry.seq,
        entry.at,
        entry.action,
        entry.kind,
        entry.entity_id,
        entry.version,
        entry.details,
        entry.prev_hash,
    )


def chain_problems(entries: list[LogEntry]) -> list[str]:
    """Every break in the chain, in plain words. An empty list means the chain is intact."""
    problems: list[str] = []
    expected_prev = GENESIS_HASH
    expected_seq = 1
    for entry in entries:
        if entry.seq != expected_seq:
            problems.append(
                f"custody log entry {expected_seq} is missing (the next one is {entry.seq})"
            )
        if entry.prev_hash != expected_prev:
            problems.append(f"custody log entry {entry.seq} does not follow the entry before it")
        if recompute(entry) != entry.hash:
            problems.append(f"custody log entry {entry.seq} was changed after it was written")
        expected_prev = entry.hash
        expected_seq = entry.seq + 1
    return problems
