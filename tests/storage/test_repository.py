"""The custody log's batch append chains exactly as one-by-one appends do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from safetrail.services.casebook import Casebook
from safetrail.storage import repository
from safetrail.storage.repository import NewLogEntry
from safetrail.storage.schema import custody_log
from safetrail.vault.custody import chain_problems

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def planned(count: int) -> list[NewLogEntry]:
    return [
        NewLogEntry(
            "create",
            "evidence",
            {"data_sha256": f"{n:064x}", "exhibit_ref": f"JS/{n}"},
            entity_id=n,
            version=1,
            at=START + timedelta(seconds=n),
        )
        for n in range(1, count + 1)
    ]


class Undo(Exception):
    """Raised to roll a transaction back."""


def test_batch_append_matches_one_by_one_appends(book: Casebook) -> None:
    with pytest.raises(Undo), book.transaction() as conn:
        head = repository.last_head(conn)
        batched = repository.append_logs(conn, planned(5))
        raise Undo
    with book.transaction() as conn:
        single = [
            repository.append_log(conn, e.action, e.kind, e.details, e.entity_id, e.version, e.at)
            for e in planned(5)
        ]
    assert batched == single
    assert [e.seq for e in batched] == list(range(head.seq + 1, head.seq + 6))
    assert batched[0].prev_hash == head.hash
    assert all(b.prev_hash == a.hash for a, b in pairwise(batched))
    with book.read() as conn:
        assert chain_problems(list(repository.log_entries(conn))) == []


def test_batch_append_continues_the_chain_and_an_empty_batch_writes_nothing(
    book: Casebook,
) -> None:
    with book.transaction() as conn:
        before = int(conn.execute(select(func.count()).select_from(custody_log)).scalar() or 0)
        assert repository.append_logs(conn, []) == []
        first = repository.append_logs(conn, planned(3))
        second = repository.append_logs(conn, planned(2))
    assert second[0].prev_hash == first[-1].hash
    with book.read() as conn:
        entries = list(repository.log_entries(conn))
    assert len(entries) == before + 5
    assert chain_problems(entries) == []
    assert [e.hash for e in entries[-5:]] == [e.hash for e in first + second]
