"""verify must pass on an intact casebook and name every kind of damage or tampering."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from safetrail.models.evidence import EvidenceDescription
from safetrail.models.subject import SubjectDetails
from safetrail.services.casebook import Casebook, create_casebook, open_casebook
from safetrail.services.evidence import add_file, add_physical, remove_evidence
from safetrail.services.incidents import add_incident, edit_incident, link_evidence, remove_incident
from safetrail.services.subjects import add_subject, edit_subject
from safetrail.services.verify import verify_casebook
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.services.factories import full_incident


def populate(book: Casebook, tmp_path: Path) -> None:
    subject = add_subject(book, SubjectDetails(name="Mark", phones=("07700900123",)))
    incident = add_incident(book, full_incident(subject_id=subject.id))
    edit_incident(book, incident.id, full_incident("changed words", subject.id))
    path = tmp_path / "shot.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x01" * 4000)
    evidence = add_file(book, path).item
    link_evidence(book, incident.id, evidence.id)


def execute(book: Casebook, sql: str) -> None:
    with book.engine.begin() as conn:
        conn.execute(text(sql))


def test_intact_casebook_verifies(book: Casebook, tmp_path: Path) -> None:
    populate(book, tmp_path)
    report = verify_casebook(book)
    assert report.problems == []
    assert report.blobs_checked == 1
    assert report.log_entries == 6
    assert len(report.head_hash) == 64


def test_flipped_byte_in_a_blob(book: Casebook, tmp_path: Path) -> None:
    populate(book, tmp_path)
    blob = next((book.root / "blobs").glob("??/*"))
    raw = bytearray(blob.read_bytes())
    raw[len(raw) // 2] ^= 0x10
    blob.write_bytes(bytes(raw))
    problems = verify_casebook(book).problems
    assert any("exhibit JS/1" in p and "damaged" in p for p in problems)


def test_edited_current_row(book: Casebook, tmp_path: Path) -> None:
    populate(book, tmp_path)
    execute(book, "UPDATE incidents SET data = replace(data, 'changed words', 'other words')")
    problems = verify_casebook(book).problems
    assert any("incident 1 was changed outside Safetrail" in p for p in problems)


def test_edited_version_row(book: Casebook, tmp_path: Path) -> None:
    populate(book, tmp_path)
    execute(
        book,
        "UPDATE versions SET data = replace(data, 'He was outside', 'He was inside') "
        "WHERE version = 1 AND kind = 'incident'",
    )
    problems = verify_casebook(book).problems
    assert any("version 1 of incident 1 was changed after it was written" in p for p in problems)


def test_removed_log_entry(book: Casebook, tmp_path: Path) -> None:
    populate(book, tmp_path)
    execute(book, "DELETE FROM custody_log WHERE seq = 3")
    problems = verify_casebook(book).problems
    assert any("custody log entry 3 is missing" in p for p in problems)
    assert any("entry 3 is gone" in p for p in problems)


def test_removed_last_log_entry(book: Casebook, tmp_path: Path) -> None:
    populate(book, tmp_path)
    execute(book, "DELETE FROM custody_log WHERE seq = (SELECT max(seq) FROM custody_log)")
    assert not verify_casebook(book).ok


def test_edited_setting(book: Casebook) -> None:
    execute(book, "UPDATE meta SET value = 'XY' WHERE key = 'initials'")
    assert any("initials" in p for p in verify_casebook(book).problems)


def test_database_rolled_back_to_older_copy(
    book: Casebook, book_root: Path, tmp_path: Path
) -> None:
    with book.engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    old_copy = tmp_path / "old.db"
    shutil.copy(book_root / "casebook.db", old_copy)
    populate(book, tmp_path)
    book.close()
    for suffix in ("-wal", "-shm"):
        (book_root / f"casebook.db{suffix}").unlink(missing_ok=True)
    shutil.copy(old_copy, book_root / "casebook.db")
    with open_casebook(book_root, PASSPHRASE) as again:
        problems = verify_casebook(again).problems
    assert any("older copy of the database" in p for p in problems)


def test_flipped_byte_in_the_database_file(book: Casebook, book_root: Path, tmp_path: Path) -> None:
    populate(book, tmp_path)
    with book.engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    book.close()
    db = book_root / "casebook.db"
    raw = bytearray(db.read_bytes())
    raw[4096 + 200] ^= 0x01
    db.write_bytes(bytes(raw))
    try:
        again = open_casebook(book_root, PASSPHRASE)
    except Exception as exc:  # damaged before the first page it needs: also a clear stop
        assert "damaged" in str(exc) or "database" in str(exc).lower()
        return
    with again:
        assert not verify_casebook(again).ok


def test_orphan_blob_is_a_note_not_a_failure(book: Casebook) -> None:
    book.blobs.put_bytes(b"left by an interrupted import")
    report = verify_casebook(book)
    assert report.ok
    assert any("belong to no evidence item" in n for n in report.notes)


OPERATIONS = st.lists(
    st.sampled_from(
        [
            "subject",
            "edit_subject",
            "incident",
            "edit_incident",
            "remove_incident",
            "file",
            "item",
            "remove_evidence",
        ]
    ),
    min_size=1,
    max_size=8,
)


def apply(book: Casebook, operations: list[str], tmp_path: Path) -> None:
    for index, operation in enumerate(operations):
        if operation == "subject":
            add_subject(book, SubjectDetails(name=f"person {index}"))
        elif operation == "edit_subject":
            subject = add_subject(book, SubjectDetails())
            edit_subject(book, subject.id, SubjectDetails(name=f"renamed {index}"))
        elif operation in ("incident", "edit_incident", "remove_incident"):
            incident = add_incident(book, full_incident(f"entry {index}"))
            if operation == "edit_incident":
                edit_incident(book, incident.id, full_incident(f"edited {index}"))
            if operation == "remove_incident":
                remove_incident(book, incident.id, "test")
        elif operation in ("file", "remove_evidence"):
            path = tmp_path / f"f{index}.bin"
            path.write_bytes(f"file {index} {tmp_path}".encode())
            item = add_file(book, path).item
            if operation == "remove_evidence":
                remove_evidence(book, item.id, "test")
        else:
            add_physical(book, EvidenceDescription(description=f"gift {index}"))


TAMPERABLE = {
    "custody_log": ["at", "action", "kind", "entity_id", "version", "details", "prev_hash", "hash"],
    "versions": ["written_at", "data", "data_sha256", "version", "entity_id", "kind"],
    "subjects": ["uid", "version", "removed", "data"],
    "incidents": ["uid", "version", "removed", "recorded_at", "occurred_utc", "data"],
    "evidence": [
        "uid",
        "version",
        "removed",
        "exhibit_ref",
        "sha256",
        "size",
        "acquired_at",
        "data",
    ],
}


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS, choice=st.integers(min_value=0))
def test_any_operations_verify_and_any_single_change_is_detected(
    tmp_path_factory: pytest.TempPathFactory, operations: list[str], choice: int
) -> None:
    tmp_path = tmp_path_factory.mktemp("ops")
    with create_casebook(tmp_path / "book", PASSPHRASE, "JS", kdf=FAST_KDF) as book:
        apply(book, operations, tmp_path)
        assert verify_casebook(book).problems == []
        targets = [
            (table, column, rowid)
            for table, columns in TAMPERABLE.items()
            for rowid in _rowids(book, table)
            for column in columns
        ]
        table, column, rowid = targets[choice % len(targets)]
        _tamper(book, table, column, rowid)
        assert not verify_casebook(book).ok, f"change to {table}.{column} row {rowid} went unseen"


def _rowids(book: Casebook, table: str) -> list[int]:
    with book.engine.connect() as conn:
        return [int(r[0]) for r in conn.execute(text(f"SELECT rowid FROM {table}"))]


def _tamper(book: Casebook, table: str, column: str, rowid: int) -> None:
    with book.engine.begin() as conn:
        value = conn.execute(
            text(f"SELECT {column} FROM {table} WHERE rowid = :r"), {"r": rowid}
        ).scalar()
        if isinstance(value, bool) or column == "removed":
            new: object = 0 if value else 1
        elif isinstance(value, int):
            new = value + 1000
        elif value is None:
            new = 7
        else:
            text_value = str(value)
            new = text_value[:-1] + ("0" if text_value[-1:] != "0" else "1") if text_value else "x"
        conn.execute(
            text(f"UPDATE {table} SET {column} = :v WHERE rowid = :r"), {"v": new, "r": rowid}
        )


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(position=st.integers(min_value=0), bit=st.integers(min_value=0, max_value=7))
def test_any_flipped_bit_in_any_blob_is_detected(
    tmp_path_factory: pytest.TempPathFactory, position: int, bit: int
) -> None:
    tmp_path = tmp_path_factory.mktemp("blob")
    with create_casebook(tmp_path / "book", PASSPHRASE, "JS", kdf=FAST_KDF) as book:
        source = tmp_path / "evidence.bin"
        source.write_bytes(bytes(range(256)) * 40)
        add_file(book, source)
        blob = next((book.root / "blobs").glob("??/*"))
        raw = bytearray(blob.read_bytes())
        raw[position % len(raw)] ^= 1 << bit
        blob.write_bytes(bytes(raw))
        assert not verify_casebook(book).ok
