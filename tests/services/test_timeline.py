"""iter_timeline: the whole timeline in one pass, in the same order as paging through it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from safetrail.services.casebook import Casebook
from safetrail.services.timeline import TimelineFilter, iter_timeline, timeline
from tests.export.report.case_data import fill_report_case

LONDON = ZoneInfo("Europe/London")


def _paged(book: Casebook, filters: TimelineFilter, size: int) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    while True:
        page = timeline(
            book,
            TimelineFilter(
                subject_id=filters.subject_id,
                start=filters.start,
                end=filters.end,
                kinds=filters.kinds,
                limit=size,
                offset=len(found),
            ),
        )
        found += [(e.kind, e.id) for e in page]
        if len(page) < size:
            return found


@pytest.mark.parametrize(
    "filters",
    [
        TimelineFilter(),
        TimelineFilter(kinds=frozenset({"record"})),
        TimelineFilter(start=datetime(2017, 3, 7, tzinfo=LONDON)),
        TimelineFilter(subject_id=1),
    ],
)
def test_one_pass_matches_paging(
    book: Casebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, filters: TimelineFilter
) -> None:
    fill_report_case(book, tmp_path, extra_incidents=5)
    paged = _paged(book, filters, 4)
    monkeypatch.setattr("safetrail.services.timeline.MAX_PAGE", 3)  # many keyset pages
    streamed = [(e.kind, e.id) for e in iter_timeline(book, filters)]
    assert streamed == paged
    assert len(streamed) == len(set(streamed)) > 0
