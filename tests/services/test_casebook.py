from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from safetrail.services.casebook import (
    Casebook,
    change_passphrase,
    create_casebook,
    open_casebook,
    resolve_location,
)
from safetrail.services.errors import CasebookExists, CasebookNotFound, InvalidInput
from safetrail.services.evidence import add_file
from safetrail.vault.keys import WrongPassphrase
from safetrail.vault.lock import CasebookBusy
from tests.conftest import FAST_KDF, PASSPHRASE


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_create_and_reopen(book: Casebook, book_root: Path) -> None:
    assert book.setting("initials") == "JS"
    assert book.setting("timezone") == "Europe/London"
    book.close()
    with open_casebook(book_root, PASSPHRASE) as again:
        assert again.casebook_id == book.casebook_id
    assert (book_root / "casebook.db").read_bytes()[:16] != b"SQLite format 3\x00"


def test_wrong_passphrase_changes_nothing(book: Casebook, book_root: Path) -> None:
    book.close()
    before = snapshot(book_root)
    with pytest.raises(WrongPassphrase):
        open_casebook(book_root, "not the passphrase")
    assert snapshot(book_root) == before
    with open_casebook(book_root, PASSPHRASE):
        pass


def test_only_one_process_at_a_time(book: Casebook, book_root: Path) -> None:
    with pytest.raises(CasebookBusy):
        open_casebook(book_root, PASSPHRASE)
    book.close()
    open_casebook(book_root, PASSPHRASE).close()


def test_create_refuses_existing_folder(tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something").write_text("x")
    with pytest.raises(CasebookExists):
        create_casebook(tmp_path / "full", PASSPHRASE, "JS", kdf=FAST_KDF)
    with pytest.raises(InvalidInput):
        create_casebook(tmp_path / "new", "short", "JS", kdf=FAST_KDF)
    with pytest.raises(InvalidInput):
        create_casebook(tmp_path / "new", PASSPHRASE, "J S 1", kdf=FAST_KDF)
    assert not (tmp_path / "new").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["full"]


def test_missing_casebook(tmp_path: Path) -> None:
    with pytest.raises(CasebookNotFound):
        open_casebook(tmp_path / "nothing", PASSPHRASE)


def test_passphrase_change_rewraps_only_the_key(
    book: Casebook, book_root: Path, tmp_path: Path
) -> None:
    source = tmp_path / "photo.jpg"
    source.write_bytes(b"\xff\xd8\xff" + b"x" * 5000)
    add_file(book, source)
    blobs_before = {k: v for k, v in snapshot(book_root).items() if k.startswith("blobs/")}
    change_passphrase(book, "a brand new passphrase", FAST_KDF)
    book.close()
    with pytest.raises(WrongPassphrase):
        open_casebook(book_root, PASSPHRASE)
    with open_casebook(book_root, "a brand new passphrase") as again:
        blobs_after = {k: v for k, v in snapshot(book_root).items() if k.startswith("blobs/")}
        assert blobs_after == blobs_before
        from safetrail.services.verify import verify_casebook

        assert verify_casebook(again).ok


def test_location_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SAFETRAIL_CASEBOOK", raising=False)
    assert resolve_location(tmp_path / "x") == tmp_path / "x"
    assert resolve_location(None).name == "casebook"
    monkeypatch.setenv("SAFETRAIL_CASEBOOK", str(tmp_path / "env"))
    assert resolve_location(None) == tmp_path / "env"


def _passphrase_entries(book: Casebook) -> list[dict[str, object]]:
    import json

    from safetrail.storage import repository

    with book.read() as conn:
        return [
            json.loads(json.dumps(e.details))
            for e in repository.log_entries(conn)
            if e.action == "passphrase_changed"
        ]


def test_key_file_replaced_without_its_log_entry_is_logged_on_next_open(
    book: Casebook, book_root: Path
) -> None:
    """Found by the crash harness: SIGKILL between the key file and the custody entry."""
    from safetrail.services.verify import verify_casebook
    from safetrail.vault.keys import keyfile_identity, wrap_master_key, write_keyfile

    new_keyfile = wrap_master_key(
        book.master_key, "a brand new passphrase", book.casebook_id, FAST_KDF
    )
    write_keyfile(book_root / "keyfile.json", new_keyfile)  # the crash comes right after this
    book.close()
    with open_casebook(book_root, "a brand new passphrase") as again:
        entries = _passphrase_entries(again)
        assert [e["keyfile"] for e in entries] == [keyfile_identity(new_keyfile)]
        assert verify_casebook(again).ok
    with open_casebook(book_root, "a brand new passphrase") as third:
        assert len(_passphrase_entries(third)) == 1, "logged once, not at every open"


def test_passphrase_change_logs_which_key_file(book: Casebook, book_root: Path) -> None:
    from safetrail.vault.keys import keyfile_identity, read_keyfile

    change_passphrase(book, "a brand new passphrase", FAST_KDF)
    identity = keyfile_identity(read_keyfile(book_root / "keyfile.json"))
    assert [e["keyfile"] for e in _passphrase_entries(book)] == [identity]
