"""The report model: sections in order, the selection honoured, the summary from the facts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from safetrail.export.report.build import build_report
from safetrail.export.report.model import ENTRY_FIELDS
from safetrail.export.selection import Selection
from tests.export.report.case_data import CRIME_REFERENCE, THREAT
from tests.export.report.conftest import Rendered

LONDON = ZoneInfo("Europe/London")


def test_summary_quotes_the_most_serious_incident(rendered: Rendered) -> None:
    summary = rendered.default.summary
    assert summary.serious and summary.serious[0].words.startswith(THREAT)
    assert summary.serious[0].ref == "incident:1"
    labels = {count.label for count in summary.behaviours}
    assert {"Contacting", "Loitering"} <= labels
    assert summary.orders[0].title == "Restraining order"
    assert "RO-77" in summary.orders[0].details
    assert "possible breach" in summary.breaches


def test_cover_police_and_exhibits(rendered: Rendered) -> None:
    report = rendered.default
    assert report.cover.person == "Alex Example" and "Sam Jones" in report.cover.subjects
    assert len(report.cover.log_head) == 64
    assert report.crime_references == (CRIME_REFERENCE,)
    assert report.police[0].officer == "PC Smith 4471"
    assert [e.ref for e in report.exhibits] == ["JS/1", "JS/2"]
    assert len(report.charts) == 4 and all("<svg" in c.svg[:300] for c in report.charts)
    assert rendered.everything.charts == ()


def test_selection_period_and_kinds(rendered: Rendered) -> None:
    selection = Selection(
        start=datetime(2026, 2, 2, tzinfo=LONDON),
        end=datetime(2026, 2, 4, tzinfo=LONDON),
        kinds=frozenset({"incident"}),
    )
    report = build_report(rendered.book, selection)
    assert [e.ref for e in report.chronology] == ["incident:2", "incident:3"]
    assert report.cover.period == "2 February 2026 – 4 February 2026"
    assert any("Entries shown: diary incidents." in line for line in report.cover.selection)
    row = report.chronology[0].to_json()
    assert len(row) == len(ENTRY_FIELDS) and row[0] == "incident:2"


def test_tagged_only_keeps_incidents_drops_untagged_messages(rendered: Rendered) -> None:
    full = rendered.default.chronology
    tagged = build_report(rendered.book, Selection(full_text=False)).chronology
    records = [e for e in full if e.kind not in ("incident", "evidence")]
    kept = [e for e in tagged if e.kind not in ("incident", "evidence")]
    assert records and len(kept) < len(records) and all(e.behaviours for e in kept)
    assert sum(e.kind == "incident" for e in tagged) == sum(e.kind == "incident" for e in full)
