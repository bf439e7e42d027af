"""The audit log's hash chain: intact when left alone, and every kind of change is found."""

from __future__ import annotations

import json

from sqlalchemy import Engine, delete, update

from safetrail.server import audit
from safetrail.server.schema import audit_log

ACTOR = audit.Actor(1, "casey")


def _fill(engine: Engine, chain: str, count: int) -> None:
    with engine.begin() as conn:
        for number in range(count):
            audit.append(conn, chain, ACTOR, "case viewed", case_id=7, details={"n": number})


def test_chains_are_separate_and_intact(pg_engine: Engine) -> None:
    _fill(pg_engine, audit.case_chain(7), 5)
    _fill(pg_engine, audit.SERVER_CHAIN, 2)
    with pg_engine.connect() as conn:
        case_log = audit.entries(conn, audit.case_chain(7))
        server_log = audit.entries(conn, audit.SERVER_CHAIN)
    assert [e.seq for e in case_log] == [1, 2, 3, 4, 5] and len(server_log) == 2
    assert audit.chain_problems(case_log) == [] and audit.chain_problems(server_log) == []


def test_a_changed_entry_is_found(pg_engine: Engine) -> None:
    chain = audit.case_chain(7)
    _fill(pg_engine, chain, 4)
    with pg_engine.begin() as conn:
        conn.execute(
            update(audit_log)
            .where(audit_log.c.chain == chain)
            .where(audit_log.c.seq == 2)
            .values(actor="someone else")
        )
        log = audit.entries(conn, chain)
    assert audit.chain_problems(log) == ["audit entry 2 was changed after it was written"]


def test_a_removed_entry_is_found(pg_engine: Engine) -> None:
    chain = audit.case_chain(7)
    _fill(pg_engine, chain, 4)
    with pg_engine.begin() as conn:
        conn.execute(
            delete(audit_log).where(audit_log.c.chain == chain).where(audit_log.c.seq == 3)
        )
        problems = audit.chain_problems(audit.entries(conn, chain))
    assert "audit entry 3 is missing (the next is 4)" in problems
    assert "audit entry 4 does not follow the entry before it" in problems


def test_jsonl_export_can_be_checked_without_the_server(pg_engine: Engine) -> None:
    chain = audit.case_chain(7)
    _fill(pg_engine, chain, 3)
    with pg_engine.connect() as conn:
        lines = list(audit.as_jsonl(audit.entries(conn, chain)))
    previous = audit.GENESIS
    for line in lines:
        entry = json.loads(line)
        claimed = entry.pop("hash")
        assert entry["prev_hash"] == previous
        assert audit.entry_hash(entry) == claimed
        previous = claimed


def test_long_hostile_details_are_cut(pg_engine: Engine) -> None:
    with pg_engine.begin() as conn:
        entry = audit.append(conn, "server", ACTOR, "x", details={"reason": "<b>" * 1000})
    reason = entry.details["reason"]
    assert isinstance(reason, str) and len(reason) <= audit.MAX_DETAIL + 1
