"""Tampering with the encrypted stores of a whole casebook: each kind is caught by open or verify.

The unit tests of vault/ cover single streams and blob stores; these work on real casebooks,
with the files a person (or someone with access to their computer) could swap or damage:
blobs, the database, the key file and the head record. Open or `verify` must name what is
wrong; none may pass silently, and a refusal must change nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from safetrail.services.casebook import Casebook, create_casebook, open_casebook
from safetrail.services.evidence import add_file
from safetrail.services.incidents import add_incident
from safetrail.services.verify import verify_casebook
from safetrail.storage.engine import DatabaseKeyError
from safetrail.vault.keys import WrongPassphrase
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.services.factories import full_incident


def _populate(book: Casebook, folder: Path, tag: str) -> list[str]:
    names = []
    for index in range(2):
        path = folder / f"{tag}-{index}.bin"
        path.write_bytes(os.urandom(100_000))
        names.append(book.blobs.name_for(hashlib.sha256(path.read_bytes()).hexdigest()))
        add_file(book, path)
    add_incident(book, full_incident(f"{tag} incident"))
    with book.engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    return names


SAFETRAIL = (sys.executable, "-m", "safetrail")
Books = tuple[Path, list[str], Path, list[str]]


@pytest.fixture
def two_books(tmp_path: Path) -> Iterator[Books]:
    roots = (tmp_path / "a", tmp_path / "b")
    blobs: list[list[str]] = []
    for root in roots:
        with create_casebook(root, PASSPHRASE, "JS", kdf=FAST_KDF) as book:
            blobs.append(_populate(book, tmp_path, root.name))
    yield roots[0], blobs[0], roots[1], blobs[1]


def _blob(root: Path, name: str) -> Path:
    return root / "blobs" / name[:2] / name


def _files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "lock"
    }


def _problems(root: Path) -> list[str]:
    with open_casebook(root, PASSPHRASE) as book:
        return verify_casebook(book).problems


def test_wrong_passphrase_is_refused_and_changes_nothing(two_books: Books) -> None:
    root = two_books[0]
    before = _files(root)
    pass_file = root.parent / "wrong"
    pass_file.write_text("not the passphrase\n")
    result = subprocess.run(
        [*SAFETRAIL, "verify", "--casebook", str(root), "--passphrase-file", str(pass_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "does not open this casebook" in result.stderr
    assert _files(root) == before


def test_truncated_blob(two_books: Books) -> None:
    root, names = two_books[0], two_books[1]
    path = _blob(root, names[0])
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert any("JS/1" in p and "damaged" in p for p in _problems(root))


def test_bit_flipped_blob_header_and_tag(two_books: Books) -> None:
    root, names = two_books[0], two_books[1]
    path = _blob(root, names[0])
    raw = bytearray(path.read_bytes())
    raw[3] ^= 0x10  # in the header
    raw[-1] ^= 0x01  # in the last tag
    path.write_bytes(bytes(raw))
    assert any("JS/1" in p for p in _problems(root))


def test_swapped_blobs_within_a_casebook(two_books: Books) -> None:
    root, names = two_books[0], two_books[1]
    first, second = _blob(root, names[0]), _blob(root, names[1])
    a, b = first.read_bytes(), second.read_bytes()
    first.write_bytes(b)
    second.write_bytes(a)
    problems = _problems(root)
    assert any("JS/1" in p for p in problems) and any("JS/2" in p for p in problems)


def test_blob_copied_from_another_casebook(two_books: Books) -> None:
    root_a, names_a, root_b, names_b = two_books
    shutil.copyfile(_blob(root_b, names_b[0]), _blob(root_a, names_a[0]))
    assert any("JS/1" in p and "damaged" in p for p in _problems(root_a))


def test_database_from_another_casebook(two_books: Books) -> None:
    root_a, _, root_b, _ = two_books
    shutil.copyfile(root_b / "casebook.db", root_a / "casebook.db")
    before = _files(root_a)
    with pytest.raises(DatabaseKeyError):
        open_casebook(root_a, PASSPHRASE)
    assert _files(root_a) == before


def test_key_file_from_another_casebook(two_books: Books) -> None:
    """Same passphrase, other casebook's key: the database refuses it."""
    root_a, _, root_b, _ = two_books
    shutil.copyfile(root_b / "keyfile.json", root_a / "keyfile.json")
    with pytest.raises(DatabaseKeyError):
        open_casebook(root_a, PASSPHRASE)


def test_head_record_from_another_casebook(two_books: Books) -> None:
    root_a, _, root_b, _ = two_books
    shutil.copyfile(root_b / "head.json", root_a / "head.json")
    assert any("head record" in p for p in _problems(root_a))


def test_older_database_replayed_under_a_newer_blob_store(tmp_path: Path) -> None:
    root = tmp_path / "book"
    with create_casebook(root, PASSPHRASE, "JS", kdf=FAST_KDF) as book:
        _populate(book, tmp_path, "early")
        shutil.copyfile(root / "casebook.db", tmp_path / "old.db")
        _populate(book, tmp_path, "late")
    for suffix in ("-wal", "-shm"):
        (root / f"casebook.db{suffix}").unlink(missing_ok=True)
    shutil.copyfile(tmp_path / "old.db", root / "casebook.db")
    with open_casebook(root, PASSPHRASE) as book:
        report = verify_casebook(book)
    assert any("older copy of the database" in p for p in report.problems)
    assert any("belong to no evidence item" in n for n in report.notes), "the newer blobs show"


def test_older_head_record_alone_is_brought_forward(tmp_path: Path) -> None:
    """An older head.json with the current database is what a crash after commit leaves:
    open brings it forward, and verify passes (nothing was lost)."""
    root = tmp_path / "book"
    with create_casebook(root, PASSPHRASE, "JS", kdf=FAST_KDF) as book:
        shutil.copyfile(root / "head.json", tmp_path / "old-head.json")
        _populate(book, tmp_path, "x")
    shutil.copyfile(tmp_path / "old-head.json", root / "head.json")
    assert _problems(root) == []


def test_wrong_passphrase_is_only_a_refusal(tmp_path: Path) -> None:
    root = tmp_path / "book"
    create_casebook(root, PASSPHRASE, "JS", kdf=FAST_KDF).close()
    with pytest.raises(WrongPassphrase):
        open_casebook(root, "something else entirely")
