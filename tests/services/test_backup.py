from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from safetrail.models.subject import SubjectDetails
from safetrail.services.backup import BackupError, create_backup, restore_backup
from safetrail.services.casebook import Casebook
from safetrail.services.errors import CasebookExists
from safetrail.services.evidence import add_file
from safetrail.services.incidents import add_incident, list_incidents
from safetrail.services.subjects import add_subject
from safetrail.services.verify import verify_casebook
from safetrail.vault.keys import WrongPassphrase
from tests.conftest import PASSPHRASE
from tests.services.factories import full_incident


def files_of(root: Path) -> dict[str, str]:
    skip = {"lock", "casebook.db-wal", "casebook.db-shm"}
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name not in skip and "staging" not in p.parts
    }


def filled(book: Casebook, tmp_path: Path) -> None:
    add_subject(book, SubjectDetails(name="Mark"))
    add_incident(book, full_incident())
    for index in range(3):
        path = tmp_path / f"e{index}.bin"
        path.write_bytes(bytes([index]) * (700_000 * (index + 1)))
        add_file(book, path)


def test_backup_and_restore_bit_for_bit(book: Casebook, tmp_path: Path) -> None:
    filled(book, tmp_path)
    out = tmp_path / "backup.stb"
    create_backup(book, out)
    restored_root = tmp_path / "restored"
    with restore_backup(out, restored_root, PASSPHRASE) as restored:
        restored_files = files_of(restored_root)
        assert verify_casebook(restored).ok
        assert [i.details for i in list_incidents(restored)] == [full_incident()]
    source_files = files_of(book.root)
    # The source logged the backup after taking it; everything else is identical.
    assert set(restored_files) == set(source_files)
    blobs = {k for k in source_files if k.startswith("blobs/")}
    assert len(blobs) == 3
    assert {k: restored_files[k] for k in blobs} == {k: source_files[k] for k in blobs}
    assert b"He was outside" not in out.read_bytes()


def test_restored_database_matches_the_moment_of_backup(book: Casebook, tmp_path: Path) -> None:
    filled(book, tmp_path)
    from sqlalchemy import text

    with book.engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    before = files_of(book.root)
    out = tmp_path / "backup.stb"
    create_backup(book, out)
    restore_backup(out, tmp_path / "restored", PASSPHRASE).close()
    assert files_of(tmp_path / "restored") == before


def test_wrong_passphrase_and_tampering(book: Casebook, tmp_path: Path) -> None:
    filled(book, tmp_path)
    out = tmp_path / "backup.stb"
    create_backup(book, out)
    with pytest.raises(WrongPassphrase):
        restore_backup(out, tmp_path / "r1", "wrong passphrase!")
    raw = bytearray(out.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    damaged = tmp_path / "damaged.stb"
    damaged.write_bytes(bytes(raw))
    with pytest.raises(BackupError, match="damaged"):
        restore_backup(damaged, tmp_path / "r2", PASSPHRASE)
    truncated = tmp_path / "truncated.stb"
    truncated.write_bytes(out.read_bytes()[:-100])
    with pytest.raises(BackupError):
        restore_backup(truncated, tmp_path / "r3", PASSPHRASE)
    assert not (tmp_path / "r2").exists() and not (tmp_path / "r3").exists()
    assert not list(tmp_path.glob(".r*restoring*"))


def test_restore_never_overwrites(book: Casebook, tmp_path: Path) -> None:
    out = tmp_path / "backup.stb"
    create_backup(book, out)
    with pytest.raises(CasebookExists):
        restore_backup(out, book.root, PASSPHRASE)


def test_not_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "x.stb"
    path.write_bytes(b"hello")
    with pytest.raises(BackupError, match="not a Safetrail backup"):
        restore_backup(path, tmp_path / "r", PASSPHRASE)
