"""The iMessage chat.db importer: the golden sample, the attributedBody decoder, hostile files."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safetrail.importers.base import ImportFormatError, ImportOptions
from safetrail.importers.imessage import (
    AttributedBodyError,
    IMessageImporter,
    apple_time,
    decode_attributed_body,
)
from safetrail.models.record import Direction, RecordKind
from tests.importers.golden import SAMPLES, check_golden, run_importer, source_for

HERE = SAMPLES / "imessage"
IMPORTER = IMessageImporter()
LIMIT = 1 << 20


def _load_maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("imessage_make_samples", HERE / "make_samples.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKER = _load_maker()


def test_chat_db_golden() -> None:
    data = check_golden(IMPORTER, HERE / "chat.db")
    assert len(data["records"]) == 9  # type: ignore[arg-type]


def test_edited_and_unsent_golden() -> None:
    data = check_golden(IMPORTER, HERE / "ventura.db")
    records = data["records"]
    assert isinstance(records, list)
    changes = [
        (r["text"], r["extra"].get("edited_at"), r["extra"].get("retracted_at")) for r in records
    ]
    assert changes == [
        ("You looked nice today", None, None),
        ("I'll be waiting outside", "2024-03-24T19:08:10+00:00", None),
        ("", "2024-03-24T19:09:10+00:00", None),
        ("", None, "2024-03-24T19:10:00+00:00"),
    ]


def test_ventura_sample_rebuilds_identically(tmp_path: Path) -> None:
    rebuilt = tmp_path / "ventura.db"
    MAKER.build_ventura(rebuilt)
    first, _ = run_importer(IMPORTER, HERE / "ventura.db")
    second, _ = run_importer(IMPORTER, rebuilt)
    assert first == second


def test_sample_is_small_and_rebuilds_identically(tmp_path: Path) -> None:
    committed = HERE / "chat.db"
    assert committed.stat().st_size < 100_000
    rebuilt = tmp_path / "chat.db"
    MAKER.build(rebuilt)
    first, _ = run_importer(IMPORTER, committed)
    second, _ = run_importer(IMPORTER, rebuilt)
    assert [r.text for r in first] == [r.text for r in second]


def test_original_file_is_untouched_and_no_sidecars(tmp_path: Path) -> None:
    path = tmp_path / "chat.db"
    path.write_bytes((HERE / "chat.db").read_bytes())
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    path.chmod(0o444)
    run_importer(IMPORTER, path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chat.db"]


def test_text_storage_dates_and_directions() -> None:
    records, warnings = run_importer(IMPORTER, HERE / "chat.db")
    by_row = {r.locator.row: r for r in records}
    old = by_row["message.ROWID=1"]
    assert old.occurred_at == datetime(2020, 1, 6, 10, 40, tzinfo=UTC)
    assert old.timestamp_text == "600000000"
    assert old.timezone_assumed is None
    new = by_row["message.ROWID=3"]
    assert new.text == "I saw you at the station. Blue coat 🧥"
    assert new.occurred_at is not None
    assert new.occurred_at.isoformat() == "2023-03-08T20:26:40.123456+00:00"
    assert by_row["message.ROWID=2"].direction is Direction.SENT
    assert by_row["message.ROWID=2"].recipients == ("+447700900123",)
    group = by_row["message.ROWID=4"]
    assert group.thread == "Flat 3 group"
    assert group.sender_address == "jordan.example@example.com"
    assert group.text == "مرحبا، أنا أراقبك\nsecond line: here"
    assert by_row["message.ROWID=6"].text == "x" * 300
    assert by_row["message.ROWID=7"].channel == "sms"
    assert by_row["message.ROWID=9"].kind is RecordKind.SYSTEM
    attachments = by_row["message.ROWID=5"].attachments
    assert [a.filename for a in attachments] == ["IMG_0042.HEIC", "voice.caf"]
    assert all(a.data is None and a.missing for a in attachments)
    assert [w.locator.row for w in warnings] == ["message.ROWID=8"]


@pytest.mark.parametrize("size", [0, 1, 127, 128, 300, 40_000, 70_000])
def test_decoder_reads_every_length_form(size: int) -> None:
    text = ("é" * size)[: size // 2] + "a" * (size - size // 2)
    assert decode_attributed_body(MAKER.attributed_body(text), LIMIT) == text


def test_decoder_rejects_what_it_cannot_read() -> None:
    good = MAKER.attributed_body("hello")
    cases = [
        b"",
        b"not a typedstream",
        good.replace(b"NSString", b"NSNumber"),
        good[: good.index(b"hello") + 2],
        good.replace(b"\x01+\x05", b"\x01+\x83"),
        good.replace(b"hello", b"\xff\xfe\xfd\xfc\xfb"),
        good.replace(b"\x01+\x05", b"\x01+\x81\xff\xff"),
    ]
    for blob in cases:
        with pytest.raises(AttributedBodyError):
            decode_attributed_body(blob, LIMIT)


def test_decoder_bounds_the_text() -> None:
    with pytest.raises(AttributedBodyError, match="limit"):
        decode_attributed_body(MAKER.attributed_body("a" * 500), 100)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_decoder_fuzz_random_bytes(blob: bytes) -> None:
    with contextlib.suppress(AttributedBodyError):
        decode_attributed_body(blob, LIMIT)


@settings(max_examples=120, deadline=None)
@given(st.text(max_size=200), st.integers(min_value=0, max_value=400), st.binary(max_size=8))
def test_decoder_fuzz_damaged_blobs(text: str, cut: int, noise: bytes) -> None:
    blob = MAKER.attributed_body(text)
    damaged = blob[:cut] + noise + blob[cut + len(noise) :]
    try:
        result = decode_attributed_body(damaged, LIMIT)
    except AttributedBodyError:
        return
    assert isinstance(result, str)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_decoder_round_trip(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return
    assert decode_attributed_body(MAKER.attributed_body(text), LIMIT) == text


def test_apple_time_units() -> None:
    assert apple_time(0) == datetime(2001, 1, 1, tzinfo=UTC)
    assert apple_time(1) == datetime(2001, 1, 1, 0, 0, 1, tzinfo=UTC)
    assert apple_time(700_000_000 * 10**9) == apple_time(700_000_000)


def test_not_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "chat.db"
    path.write_bytes(b"PK\x03\x04 this is really a zip" * 10)
    with pytest.raises(ImportFormatError, match="not an SQLite database"):
        run_importer(IMPORTER, path)


def test_wrong_schema_names_the_missing_tables(tmp_path: Path) -> None:
    path = tmp_path / "chat.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE message (ROWID INTEGER PRIMARY KEY, text TEXT)")
    db.execute("CREATE TABLE handle (ROWID INTEGER PRIMARY KEY, id TEXT)")
    db.commit()
    db.close()
    with pytest.raises(ImportFormatError) as caught:
        run_importer(IMPORTER, path)
    assert "'chat', 'chat_message_join' tables" in caught.value.message


@pytest.mark.parametrize("keep", [100, 4096, 20_000, 50_000])
def test_truncated_database(tmp_path: Path, keep: int) -> None:
    path = tmp_path / "chat.db"
    path.write_bytes((HERE / "chat.db").read_bytes()[:keep])
    with pytest.raises(ImportFormatError):
        run_importer(IMPORTER, path)


def test_garbage_pages_end_in_a_clean_error_or_warnings(tmp_path: Path) -> None:
    data = bytearray((HERE / "chat.db").read_bytes())
    for at in range(4096, len(data), 97):
        data[at] ^= 0x5A
    path = tmp_path / "chat.db"
    path.write_bytes(bytes(data))
    with contextlib.suppress(ImportFormatError):
        run_importer(IMPORTER, path)


def test_wal_mode_copy_is_read_and_warned_about(tmp_path: Path) -> None:
    path = tmp_path / "chat.db"
    path.write_bytes((HERE / "chat.db").read_bytes())
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    assert path.read_bytes()[18:20] == b"\x02\x02"
    records, warnings = run_importer(IMPORTER, path)
    assert len(records) == 9
    assert "WAL" in warnings[0].message


def test_older_schema_without_attributed_body(tmp_path: Path) -> None:
    path = tmp_path / "sms.db"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE handle (ROWID INTEGER PRIMARY KEY, id TEXT);"
        "CREATE TABLE chat (ROWID INTEGER PRIMARY KEY, chat_identifier TEXT, display_name TEXT);"
        "CREATE TABLE chat_message_join (chat_id INTEGER, message_id INTEGER);"
        "CREATE TABLE message (ROWID INTEGER PRIMARY KEY, guid TEXT, text TEXT,"
        " handle_id INTEGER, date INTEGER, is_from_me INTEGER);"
        "INSERT INTO handle VALUES (1, '07700 900123');"
        "INSERT INTO message VALUES (1, 'G1', 'hi', 1, 300000000, 0);"
    )
    db.commit()
    db.close()
    (record,), warnings = run_importer(IMPORTER, path, ImportOptions())
    assert warnings == []
    assert record.sender_address == "+447700900123"
    assert record.thread is None
    assert record.attachments == ()


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "chat.db"
    path.write_bytes(b"SQLite format 3\x00")
    source = source_for(path)
    huge = type(source)(path=path, display_name="chat.db", sha256=source.sha256, size=3 << 30)
    with pytest.raises(ImportFormatError, match="2 GiB"):
        list(IMPORTER.parse(huge, ImportOptions()))


def test_sniff() -> None:
    source = source_for(HERE / "chat.db")
    head = (HERE / "chat.db").read_bytes()[:8192]
    assert IMPORTER.sniff(source, head) >= 80
    assert IMPORTER.sniff(source, b"hello") == 0


def test_invalid_utf8_text_is_shown_and_warned(tmp_path: Path) -> None:
    path = tmp_path / "chat.db"
    path.write_bytes((HERE / "chat.db").read_bytes())
    db = sqlite3.connect(path)
    db.execute("UPDATE message SET text = CAST(X'636166e9' AS TEXT) WHERE ROWID = 1")
    db.commit()
    db.close()
    records, warnings = run_importer(IMPORTER, path)
    assert records[0].text == "caf\ufffd"
    assert len(records) == 9
    assert [w.locator.row for w in warnings] == ["message.ROWID=1", "message.ROWID=8"]


def test_reading_the_database_needs_little_memory() -> None:
    """Found by the fuzz suite: read(2 GiB + 1) reserved 2 GiB of address space for any file,
    so an import failed with MemoryError under a memory limit."""
    from tests.reliability.fuzz.bounds import bounded

    with bounded(30, 256 << 20):
        records, _ = run_importer(IMessageImporter(), SAMPLES / "imessage" / "chat.db")
    assert records


def test_schema_text_that_is_not_utf8_is_an_import_format_error(tmp_path: Path) -> None:
    """Found by the fuzz soak: one byte of the schema's SQL made invalid UTF-8 escaped as a
    UnicodeDecodeError instead of a typed error."""
    data = bytearray((HERE / "chat.db").read_bytes())
    data[data.index(b"message")] = 0xF3
    path = tmp_path / "chat.db"
    path.write_bytes(bytes(data))
    with pytest.raises(ImportFormatError, match="damaged"):
        run_importer(IMPORTER, path)
