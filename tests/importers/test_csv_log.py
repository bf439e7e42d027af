"""The generic CSV log importer: golden samples, date order, hostile files, a round-trip."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safetrail.importers.base import AmbiguousDateOrder, ImportFormatError, ImportOptions, Limits
from safetrail.importers.csv_log import (
    CsvLogImporter,
    detect_delimiter,
    parse_duration,
    still_quoted,
)
from safetrail.importers.localtime import localise
from safetrail.models.record import CallType, Direction, RecordKind
from tests.importers.golden import SAMPLES, check_golden, run_importer, source_for

HERE = SAMPLES / "csv_log"
IMPORTER = CsvLogImporter()

CALL_MAP = {
    "timestamp": "When",
    "sender": "From",
    "recipient": "To",
    "call_type": "Type",
    "duration": "Duration",
}
UK_MAP = {
    "timestamp": "Date",
    "sender": "From",
    "recipient": "To",
    "text": "Message",
    "thread": "Conversation",
}


def test_call_log_golden() -> None:
    data = check_golden(IMPORTER, HERE / "call_log.csv", ImportOptions(column_map=CALL_MAP))
    records = data["records"]
    assert isinstance(records, list)
    assert [r["call_type"] for r in records] == [
        "missed",
        "incoming",
        "outgoing",
        "rejected",
        "voicemail",
        "missed",
    ]


def test_message_log_with_uk_dates_golden() -> None:
    options = ImportOptions(column_map=UK_MAP, me=("07700 900999",))
    check_golden(IMPORTER, HERE / "messages_uk.csv", options)


def test_semicolon_file_with_bom_golden() -> None:
    options = ImportOptions(
        column_map={"timestamp": "Zeitpunkt", "sender": "Absender", "text": "Nachricht"},
        me=("ich",),
        timezone="Europe/Berlin",
    )
    check_golden(IMPORTER, HERE / "semicolon_bom.csv", options)


def test_excel_us_twelve_hour_times_golden() -> None:
    options = ImportOptions(column_map=CALL_MAP, timezone="America/New_York")
    data = check_golden(IMPORTER, HERE / "excel_us_12h.csv", options)
    records = data["records"]
    assert isinstance(records, list)
    assert [r["occurred_at"] for r in records] == [
        "2024-03-12T21:45:00-04:00",
        "2024-03-12T23:58:07-04:00",
        "2024-03-13T00:02:00-04:00",
        "2024-03-13T12:30:00-04:00",
    ]


def test_ambiguous_dates_need_the_order() -> None:
    column_map = {"timestamp": "time", "sender": "who", "text": "what"}
    with pytest.raises(AmbiguousDateOrder):
        run_importer(IMPORTER, HERE / "ambiguous.csv", ImportOptions(column_map=column_map))
    options = ImportOptions(column_map=column_map, date_order="DMY")
    check_golden(IMPORTER, HERE / "ambiguous.csv", options)


def test_month_first_only_when_the_file_shows_it(tmp_path: Path) -> None:
    path = tmp_path / "us.csv"
    path.write_text("when,text\n01/02/2024 09:00,a\n01/25/2024 09:00,b\n", "utf-8")
    records, _ = run_importer(
        IMPORTER, path, ImportOptions(column_map={"timestamp": "when", "text": "text"})
    )
    assert [r.occurred_at.month for r in records if r.occurred_at] == [1, 1]
    assert dict(records[0].extra)["date_order"] == "MDY, shown by the date on line 3"


def test_year_first_dates_with_a_one_digit_hour(tmp_path: Path) -> None:
    """Spreadsheets write yyyy-mm-dd h:mm without the leading zero ISO 8601 needs."""
    path = tmp_path / "sheet.csv"
    path.write_text("when,text\n2024-03-12 9:45,a\n2024-03-12 9:46 PM,b\n", "utf-8")
    records, warnings = run_importer(
        IMPORTER, path, ImportOptions(column_map={"timestamp": "when", "text": "text"})
    )
    assert warnings == []
    assert [r.occurred_at.isoformat() for r in records if r.occurred_at] == [
        "2024-03-12T09:45:00+00:00",
        "2024-03-12T21:46:00+00:00",
    ]


def test_explicit_format_and_unix_ms(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("t,u,body\n2024|03|05 7h08,1709622480000,x\n", "utf-8")
    fmt_map = {"timestamp": "t", "text": "body", "timestamp_format": "%Y|%m|%d %Hh%M"}
    (record,), _ = run_importer(IMPORTER, path, ImportOptions(column_map=fmt_map))
    assert record.occurred_at is not None
    assert record.occurred_at.isoformat() == "2024-03-05T07:08:00+00:00"
    unix_map = {"timestamp": "u", "text": "body", "timestamp_format": "unix_ms"}
    (record,), _ = run_importer(IMPORTER, path, ImportOptions(column_map=unix_map))
    assert record.timezone_assumed is None
    assert record.occurred_at is not None
    assert record.occurred_at.isoformat() == "2024-03-05T07:08:00+00:00"


def test_formula_cells_are_kept_exactly(tmp_path: Path) -> None:
    cells = ["=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1:A2)", '=HYPERLINK("x")']
    path = tmp_path / "f.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["when", "text"])
    for cell in cells:
        writer.writerow(["2024-01-01T10:00:00Z", cell])
    path.write_text(buffer.getvalue(), "utf-8")
    records, warnings = run_importer(
        IMPORTER, path, ImportOptions(column_map={"timestamp": "when", "text": "text"})
    )
    assert [r.text for r in records] == cells
    assert warnings == []


def test_no_column_map_lists_the_headers() -> None:
    with pytest.raises(ImportFormatError) as caught:
        run_importer(IMPORTER, HERE / "call_log.csv")
    assert "'When', 'From', 'To'" in caught.value.message
    assert "--map" in caught.value.message


def test_map_naming_a_missing_header(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="'Datum'"):
        run_importer(
            IMPORTER,
            HERE / "call_log.csv",
            ImportOptions(column_map={"timestamp": "Datum", "duration": "Duration"}),
        )


def test_unknown_field_in_the_map() -> None:
    with pytest.raises(ImportFormatError, match="unknown fields"):
        run_importer(
            IMPORTER,
            HERE / "call_log.csv",
            ImportOptions(column_map={"timestamp": "When", "text": "Type", "colour": "To"}),
        )


def test_invalid_utf8_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"when,text\n2024-01-01 10:00,ok\n2024-01-01 10:01,caf\xe9\n")
    options = ImportOptions(column_map={"timestamp": "when", "text": "text"})
    with pytest.raises(ImportFormatError) as caught:
        run_importer(IMPORTER, path, options)
    assert caught.value.locator.byte_start == 50
    assert caught.value.locator.line_start == 3
    assert "byte 50" in caught.value.describe()


def test_utf16_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "u16.csv"
    path.write_bytes("when,text\n2024-01-01 10:00,hi\n".encode("utf-16"))
    with pytest.raises(ImportFormatError, match="UTF-16"):
        run_importer(IMPORTER, path, ImportOptions(column_map={"timestamp": "when", "text": "t"}))


def test_nul_bytes_skip_the_row_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"when,text\n2024-01-01 10:00,a\x00b\n2024-01-01 10:01,fine\n")
    records, warnings = run_importer(
        IMPORTER, path, ImportOptions(column_map={"timestamp": "when", "text": "text"})
    )
    assert [r.text for r in records] == ["fine"]
    assert len(warnings) == 1
    assert "NUL" in warnings[0].message
    assert warnings[0].locator.line_start == 2


def test_many_bad_rows_stop_the_import(tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_text("when,text\n" + "nonsense,x\n" * 20, "utf-8")
    options = ImportOptions(
        column_map={"timestamp": "when", "text": "text"},
        limits=Limits(max_consecutive_bad_lines=5),
    )
    with pytest.raises(ImportFormatError, match="more than 5 rows"):
        run_importer(IMPORTER, path, options)


def test_a_50_mb_field_is_refused_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.write(b'when,text\n2024-01-01 10:00,ok\n2024-01-01 10:01,"')
        chunk = b"A" * (1 << 20)
        for _ in range(50):
            handle.write(chunk)
        handle.write(b'"\n')
    options = ImportOptions(column_map={"timestamp": "when", "text": "text"})
    seen: list[str] = []
    with pytest.raises(ImportFormatError) as caught:
        for item in IMPORTER.parse(source_for(path), options):
            seen.append(getattr(item, "text", ""))
    assert seen == ["ok"]
    assert caught.value.locator.line_start == 3


def test_a_long_field_within_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    text = "é" * 300_000
    path.write_text(f'when,text\n2024-01-01 10:00,"{text}"\n', "utf-8")
    (record,), _ = run_importer(
        IMPORTER, path, ImportOptions(column_map={"timestamp": "when", "text": "text"})
    )
    assert record.text == text


def test_unterminated_quote_at_end_of_file(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_text('when,text\n2024-01-01 10:00,"never closed\nmore', "utf-8")
    (record,), _ = run_importer(
        IMPORTER, path, ImportOptions(column_map={"timestamp": "when", "text": "text"})
    )
    assert record.text == "never closed\nmore"
    assert (record.locator.line_start, record.locator.line_end) == (2, 3)


def test_locator_bytes_point_at_the_record() -> None:
    path = HERE / "messages_uk.csv"
    data = path.read_bytes()
    records, _ = run_importer(IMPORTER, path, ImportOptions(column_map=UK_MAP))
    for record in records:
        start, end = record.locator.byte_start, record.locator.byte_end
        assert start is not None
        assert end is not None
        assert data[start:end].decode("utf-8").startswith(record.timestamp_text)
        assert not data[start:end].endswith(b"\n")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"a,b,c\n1,2,3\n", ","),
        (b"a;b;c\n1;2;3\n", ";"),
        (b"a\tb\tc\n1\t2\t3\n", "\t"),
        (b"a|b|c\n1|2|3\n", "|"),
        (b"when,text\n1,;;;;\n2,;;;;\n", ","),
        (b"single\nvalue\n", ","),
    ],
)
def test_delimiter_detection(head: bytes, expected: str) -> None:
    assert detect_delimiter(head) == expected


def test_still_quoted_follows_rfc4180() -> None:
    comma = ord(",")
    assert still_quoted(b'a,"open\n', False, comma)
    assert not still_quoted(b'a,"closed ""x"""\n', False, comma)
    assert not still_quoted(b'a,5" screen,b\n', False, comma)
    assert not still_quoted(b'end"\n', True, comma)
    assert still_quoted(b'still "" inside\n', True, comma)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("45", 45), ("0:02:15", 135), ("02:15", 135), ("1m 30s", 90), ("2h", 7200), ("soon", None)],
)
def test_durations(text: str, seconds: int | None) -> None:
    assert parse_duration(text) == seconds


def test_localise_gap_and_overlap() -> None:
    from datetime import datetime

    aware, note = localise(datetime(2024, 3, 31, 1, 30), "Europe/London")
    assert aware.utcoffset() is not None
    assert note is not None
    assert "did not exist" in note
    aware, note = localise(datetime(2024, 10, 27, 1, 30), "Europe/London")
    assert aware.isoformat() == "2024-10-27T01:30:00+01:00"
    assert note is not None
    assert "twice" in note
    assert localise(datetime(2024, 6, 1, 12, 0), "Europe/London")[1] is None


def test_direction_and_kind_columns(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(
        "when,kind,dir,body,secs\n"
        "2024-01-01T10:00:00Z,call,outgoing,,30\n"
        "2024-01-01T10:01:00Z,SMS,in,hello,\n"
        "2024-01-01T10:02:00Z,,,,12\n",
        "utf-8",
    )
    options = ImportOptions(
        column_map={
            "timestamp": "when",
            "kind": "kind",
            "direction": "dir",
            "text": "body",
            "duration": "secs",
        }
    )
    records, _ = run_importer(IMPORTER, path, options)
    assert [r.kind for r in records] == [RecordKind.CALL, RecordKind.MESSAGE, RecordKind.CALL]
    assert [r.direction for r in records] == [Direction.SENT, Direction.RECEIVED, Direction.UNKNOWN]
    assert records[0].call_type is CallType.OUTGOING
    assert records[0].channel == "call"
    assert records[1].channel == "csv"


def test_sniff_is_low_for_any_csv() -> None:
    source = source_for(HERE / "call_log.csv")
    assert IMPORTER.sniff(source, b"When,From\n") == 10
    assert IMPORTER.sniff(source_for(HERE / "ambiguous.csv"), b"\xff\xfe\x00w") == 0


CELL_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=40,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.tuples(CELL_TEXT, CELL_TEXT), min_size=1, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
)
def test_round_trip_of_generated_rows(
    tmp_path: Path, rows: list[tuple[str, str]], delimiter: str
) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["when", "who", "body"])
    for sender, body in rows:
        writer.writerow(["2024-05-01T12:00:00+01:00", sender, body])
    path = tmp_path / "generated.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    options = ImportOptions(column_map={"timestamp": "when", "sender": "who", "text": "body"})
    records, warnings = run_importer(IMPORTER, path, options)
    assert warnings == []
    assert [(r.sender or "", r.text) for r in records] == rows


def test_stray_carriage_return_in_the_header_is_not_a_crash(tmp_path: Path) -> None:
    """Found by the fuzz suite: csv.Error escaped from delimiter detection."""
    path = tmp_path / "log.csv"
    path.write_bytes(b"\rtime,who,what\n01/02/2024 09:00,Sam,first\n")
    options = ImportOptions(column_map={"timestamp": "time", "sender": "who", "text": "what"})
    with pytest.raises(ImportFormatError):
        run_importer(IMPORTER, path, options)
