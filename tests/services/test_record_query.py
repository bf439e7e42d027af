"""Paging and search plans: the same answers whichever plan SQLite is given."""

from __future__ import annotations

from pathlib import Path

import pytest

from safetrail.services import record_query
from safetrail.services.casebook import Casebook
from safetrail.services.ingest import IngestOptions, ingest
from safetrail.services.records import RecordFilter, list_records, search_records
from safetrail.services.timeline import TimelineFilter, timeline
from tests.importers.golden import SAMPLES


@pytest.fixture
def filled(book: Casebook, tmp_path: Path) -> Casebook:
    lines = [
        f"{day:02d}/03/2026, 10:{minute:02d} - Sam: message {day} {minute} hello"
        for day in range(1, 29)
        for minute in range(0, 50, 7)
    ]
    path = tmp_path / "chat.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest(book, path, IngestOptions())
    ingest(book, SAMPLES / "telegram" / "single_chat.json", IngestOptions())
    return book


def all_pages(book: Casebook, size: int, text: str | None = None) -> list[int]:
    ids: list[int] = []
    offset = 0
    while True:
        page = list_records(book, RecordFilter(limit=size, offset=offset, text=text))
        ids += [v.id for v in page]
        if len(page) < size:
            return ids
        offset += size


def test_pages_join_up_with_undated_last(filled: Casebook) -> None:
    everything = list_records(filled, RecordFilter(limit=10_000))
    undated = [v.id for v in everything if v.occurred_at is None]
    assert undated and [v.id for v in everything][-len(undated) :] == undated
    for size in (1, 7, 50, 500):
        assert all_pages(filled, size) == [v.id for v in everything]


def test_both_search_plans_agree(filled: Casebook, monkeypatch: pytest.MonkeyPatch) -> None:
    few = [v.id for v in search_records(filled, "hello", RecordFilter(limit=10_000))]
    monkeypatch.setattr(record_query, "FEW_MATCHES", 1)
    many = [v.id for v in search_records(filled, "hello", RecordFilter(limit=10_000))]
    assert few == many and len(few) == 28 * 8
    assert all_pages(filled, 9, "hello") == few
    assert search_records(filled, "nothingmatchesthis") == []


def test_timeline_pages_match_the_whole(filled: Casebook) -> None:
    whole = [(e.kind, e.id) for e in timeline(filled, TimelineFilter(limit=5000))]
    pieces = []
    for offset in range(0, len(whole), 13):
        pieces += [
            (e.kind, e.id) for e in timeline(filled, TimelineFilter(limit=13, offset=offset))
        ]
    assert pieces == whole
