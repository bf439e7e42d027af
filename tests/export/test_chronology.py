"""The CSV chronology: columns, times, private notes, redaction, CSV injection, selections."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from safetrail.export.chronology import COLUMNS, write_chronology_csv
from safetrail.export.selection import Selection
from safetrail.models.enums import Behaviour, Certainty, Channel
from safetrail.models.incident import IncidentDetails, PoliceContact, Witness
from safetrail.models.subject import SubjectDetails
from safetrail.services.casebook import Casebook
from safetrail.services.incidents import add_incident
from safetrail.services.ingest import IngestOptions, ingest
from safetrail.services.subjects import add_subject

LONDON = ZoneInfo("Europe/London")
SAMPLE = Path(__file__).parents[1] / "samples" / "whatsapp" / "android_24h_dmy.txt"
SECRET = "SECRET-NOTE I am staying at my sister's"
THIRD_NUMBER = "07700 900456"
THIRD_EMAIL = "pal@example.org"
WITNESS_NUMBER = "07700 900999"
SUBJECT_NUMBER = "07700 900123"
ALL_ROWS = 3 + 10 + 1


def fill(book: Casebook) -> None:
    """A subject, three incidents and one WhatsApp import (ten records, one evidence item)."""
    add_subject(book, SubjectDetails(name="Sam Jones", phones=(SUBJECT_NUMBER,)))
    add_incident(
        book,
        IncidentDetails(
            occurred_start=datetime(2026, 3, 12, 18, 40, tzinfo=LONDON),
            what_happened=(
                f"He was outside my work. His friend rang from {THIRD_NUMBER} "
                f"and wrote to {THIRD_EMAIL}."
            ),
            location="Work car park",
            channel=Channel.IN_PERSON,
            behaviours=(Behaviour.LOITERING,),
            impact='=HYPERLINK("http://example.com")',
            witnesses=(Witness("Jo", WITNESS_NUMBER),),
            police=PoliceContact(reported=True, crime_reference="CRN 12/3456/26"),
            subject_id=1,
            private_notes=SECRET,
        ),
    )
    add_incident(
        book,
        IncidentDetails(
            occurred_start=datetime(2026, 3, 20, tzinfo=LONDON),
            certainty=Certainty.DATE_ONLY,
            what_happened=f"He called from {SUBJECT_NUMBER} all day.",
            channel=Channel.PHONE_CALL,
            behaviours=(Behaviour.CONTACTING,),
            subject_id=1,
        ),
    )
    add_incident(
        book,
        IncidentDetails(
            occurred_start=datetime(2026, 4, 2, 9, 0, tzinfo=LONDON),
            certainty=Certainty.APPROXIMATE,
            what_happened="=1+1 was painted on my door",
            channel=Channel.OTHER,
        ),
    )
    ingest(book, SAMPLE, IngestOptions(me=("Alex",)))


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def export(book: Casebook, tmp_path: Path, selection: Selection) -> tuple[int, Path]:
    out = tmp_path / "chronology.csv"
    return write_chronology_csv(book, out, selection), out


def by_entry(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["entry"]: row for row in rows}


def test_columns_rows_bom_and_time_zone(book: Casebook, tmp_path: Path) -> None:
    fill(book)
    count, out = export(book, tmp_path, Selection())
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert tuple(next(csv.reader(handle))) == COLUMNS
    rows = read_rows(out)
    assert count == len(rows) == ALL_ROWS
    assert {row["timezone"] for row in rows} == {"Europe/London"}
    entries = by_entry(rows)
    first = entries["incident:1"]
    assert (first["date"], first["time"], first["approximate"]) == ("2026-03-12", "18:40:00", "no")
    assert first["subject"] == "Sam Jones" and first["behaviours"] == "loitering"
    assert first["location"] == "Work car park" and first["crime_reference"] == "CRN 12/3456/26"
    assert first["witnesses"] == "Jo ([number removed])"
    record = entries["record:2"]
    assert (record["date"], record["time"], record["kind"]) == ("2017-03-06", "00:45:00", "message")
    assert record["channel"] == "whatsapp" and record["exhibit"] == "JS/1"
    assert entries["evidence:1"]["kind"] == "evidence"
    assert not list(tmp_path.glob(".*.tmp"))


def test_approximate_and_day_only_are_marked(book: Casebook, tmp_path: Path) -> None:
    fill(book)
    entries = by_entry(read_rows(export(book, tmp_path, Selection())[1]))
    day_only = entries["incident:2"]
    assert (day_only["date"], day_only["time"], day_only["approximate"]) == (
        "2026-03-20",
        "",
        "yes",
    )
    assert entries["incident:3"]["approximate"] == "yes"
    assert entries["incident:3"]["time"] == "09:00:00"


def test_private_notes_absent_by_default_present_when_asked(book: Casebook, tmp_path: Path) -> None:
    fill(book)
    _, out = export(book, tmp_path, Selection())
    raw = out.read_bytes()
    assert b"SECRET-NOTE" not in raw and b"private_notes" not in raw
    _, out = export(book, tmp_path, Selection(include_private_notes=True))
    rows = read_rows(out)
    assert "private_notes" in rows[0]
    assert by_entry(rows)["incident:1"]["private_notes"] == SECRET
    assert by_entry(rows)["incident:2"]["private_notes"] == ""


def test_third_parties_removed_and_the_subject_kept(book: Casebook, tmp_path: Path) -> None:
    fill(book)
    _, out = export(book, tmp_path, Selection())
    text = out.read_text("utf-8-sig")
    for third in (THIRD_NUMBER, THIRD_EMAIL, WITNESS_NUMBER):
        assert third not in text
    entries = by_entry(read_rows(out))
    assert "[number removed]" in entries["incident:1"]["text"]
    assert "[email removed]" in entries["incident:1"]["text"]
    assert SUBJECT_NUMBER in entries["incident:2"]["text"]
    _, out = export(book, tmp_path, Selection(redact_third_parties=False))
    text = out.read_text("utf-8-sig")
    assert THIRD_NUMBER in text and THIRD_EMAIL in text and WITNESS_NUMBER in text


def test_formula_cells_are_escaped(book: Casebook, tmp_path: Path) -> None:
    fill(book)
    entries = by_entry(read_rows(export(book, tmp_path, Selection())[1]))
    assert entries["incident:3"]["text"] == "'=1+1 was painted on my door"
    assert entries["incident:1"]["impact"].startswith("'=HYPERLINK")
    for row in entries.values():
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_date_range_subject_and_kinds(book: Casebook, tmp_path: Path) -> None:
    fill(book)
    start = datetime(2017, 3, 7, tzinfo=LONDON)
    end = datetime(2017, 3, 14, tzinfo=LONDON)
    count, out = export(book, tmp_path, Selection(start=start, end=end))
    assert count == 4
    assert {row["entry"] for row in read_rows(out)} == {f"record:{i}" for i in (5, 6, 7, 8)}
    count, out = export(book, tmp_path, Selection(subject_id=1))
    assert {row["entry"] for row in read_rows(out)} == {"incident:1", "incident:2", "record:8"}
    count, out = export(book, tmp_path, Selection(kinds=frozenset({"incident"})))
    assert count == 3 and {row["kind"] for row in read_rows(out)} == {"incident"}


def test_tagged_only_keeps_incidents_evidence_and_tagged_records(
    book: Casebook, tmp_path: Path
) -> None:
    fill(book)
    count, out = export(book, tmp_path, Selection(full_text=False))
    rows = read_rows(out)
    records = [row for row in rows if row["entry"].startswith("record:")]
    assert 0 < len(records) < 10
    assert all(row["behaviours"] for row in records)
    assert {"incident:1", "incident:2", "incident:3", "evidence:1"} <= {r["entry"] for r in rows}
    assert count == len(rows)
