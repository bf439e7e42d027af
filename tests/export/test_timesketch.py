"""The Timesketch JSONL timeline, and the `safetrail report` command."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from safetrail.cli.report import report_command
from safetrail.export.selection import Selection, selected_entries
from safetrail.export.timesketch import export_timesketch, write_timesketch_jsonl
from safetrail.models.incident import IncidentDetails
from safetrail.services.casebook import Casebook, create_casebook
from safetrail.services.incidents import add_incident
from safetrail.services.timeline import TimelineEntry
from safetrail.vault.keys import KdfParams
from tests.conftest import PASSPHRASE
from tests.export.test_chronology import (
    ALL_ROWS,
    LONDON,
    SECRET,
    SUBJECT_NUMBER,
    THIRD_NUMBER,
    fill,
)


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_every_line_has_the_timesketch_fields(book: Casebook, tmp_path: Path) -> None:
    fill(book)
    out = tmp_path / "timeline.jsonl"
    assert write_timesketch_jsonl(book, out, Selection()) == ALL_ROWS
    found = lines(out)
    assert len(found) == ALL_ROWS
    for line in found:
        assert {"message", "datetime", "timestamp_desc", "safetrail_entry"} <= line.keys()
        assert isinstance(line["message"], str) and "\n" not in line["message"]
        stamp = datetime.fromisoformat(str(line["datetime"]))
        assert stamp.utcoffset() is not None
        assert isinstance(line["tags"], list)
    entries = {str(line["safetrail_entry"]): line for line in found}
    first = entries["incident:1"]
    assert first["datetime"] == "2026-03-12T18:40:00+00:00"
    assert first["timestamp_desc"] == "Incident occurred"
    assert first["tags"] == ["loitering"] and first["channel"] == "in_person"
    assert THIRD_NUMBER not in str(first["message"]) and "[number removed]" in str(first["message"])
    assert SUBJECT_NUMBER in str(entries["incident:2"]["message"])
    assert entries["incident:3"]["datetime"] == "2026-04-02T09:00:00+01:00"
    assert entries["record:2"]["timestamp_desc"] == "Message received"
    assert entries["record:4"]["timestamp_desc"] == "Message sent"
    assert entries["record:4"]["exhibit"] == "JS/1"
    assert entries["evidence:1"]["timestamp_desc"] == "Evidence acquired"
    assert SECRET.encode() not in out.read_bytes()


def test_entries_without_time_are_left_out_and_counted(
    book: Casebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_incident(book, IncidentDetails(datetime(2026, 5, 1, tzinfo=LONDON), "Something"))
    timed = list(selected_entries(book, Selection()))
    untimed = TimelineEntry("message", 99, None, True, None, "sms", "no time known")

    def entries(_book: Casebook, _selection: Selection) -> Iterator[TimelineEntry]:
        yield from (*timed, untimed)

    monkeypatch.setattr("safetrail.export.timesketch.selected_entries", entries)
    out = tmp_path / "timeline.jsonl"
    result = export_timesketch(book, out, Selection())
    assert (result.written, result.left_out_untimed) == (1, 1)
    assert [line["safetrail_entry"] for line in lines(out)] == ["incident:1"]


def test_report_command_writes_both_formats(tmp_path: Path, fast_kdf: KdfParams) -> None:
    root = tmp_path / "book"
    book = create_casebook(root, PASSPHRASE, "JS", kdf=fast_kdf)
    try:
        fill(book)
    finally:
        book.close()
    env = {"SAFETRAIL_CASEBOOK": str(root), "SAFETRAIL_PASSPHRASE": PASSPHRASE}
    runner = CliRunner()
    csv_out = tmp_path / "out.csv"
    result = runner.invoke(
        report_command,
        ["--format", "csv", "--out", str(csv_out), "--subject", "1", "--include-private-notes"],
        env=env,
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "not encrypted" in result.output
    with csv_out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["entry"] for row in rows} == {"incident:1", "incident:2", "record:8"}
    notes = {row["entry"]: row["private_notes"] for row in rows}
    assert notes == {"incident:1": SECRET, "incident:2": "", "record:8": ""}
    jsonl_out = tmp_path / "out.jsonl"
    result = runner.invoke(
        report_command,
        [
            "--format",
            "jsonl",
            "--out",
            str(jsonl_out),
            "--from",
            "07/03/2017",
            "--to",
            "2017-03-14",
            "--kinds",
            "record,incident",
            "--tagged-only",
            "--no-redact",
            "--json",
        ],
        env=env,
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["format"] == "jsonl" and summary["left_out_untimed"] == 0
    found = lines(jsonl_out)
    assert summary["entries"] == len(found) > 0
    assert all(line["tags"] for line in found)
    assert {str(line["safetrail_entry"]).split(":")[0] for line in found} == {"record"}
    bad = runner.invoke(
        report_command, ["--format", "csv", "--out", str(csv_out), "--kinds", "photos"], env=env
    )
    assert bad.exit_code == 2 and "--kinds" in bad.output
    nowhere = tmp_path / "missing" / "out.csv"
    bad = runner.invoke(report_command, ["--format", "csv", "--out", str(nowhere)], env=env)
    assert bad.exit_code == 1 and "There is no folder" in bad.output
