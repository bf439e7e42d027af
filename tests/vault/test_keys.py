from __future__ import annotations

import json
from pathlib import Path

import pytest

from safetrail.vault.keys import (
    KeyfileError,
    WrongPassphrase,
    check_new_passphrase,
    derive_subkeys,
    new_master_key,
    read_keyfile,
    unwrap_master_key,
    wrap_master_key,
    write_keyfile,
)
from tests.conftest import FAST_KDF


def test_wrap_and_unwrap() -> None:
    master = new_master_key()
    keyfile = wrap_master_key(master, "a good passphrase", "id-1", FAST_KDF)
    assert unwrap_master_key(keyfile, "a good passphrase") == master
    assert master.hex() not in json.dumps(keyfile)


def test_wrong_passphrase() -> None:
    keyfile = wrap_master_key(new_master_key(), "a good passphrase", "id-1", FAST_KDF)
    with pytest.raises(WrongPassphrase):
        unwrap_master_key(keyfile, "a good passphrasE")


def test_keyfile_header_is_bound_to_the_key() -> None:
    keyfile = wrap_master_key(new_master_key(), "a good passphrase", "id-1", FAST_KDF)
    keyfile["casebook_id"] = "id-2"
    with pytest.raises(WrongPassphrase):
        unwrap_master_key(keyfile, "a good passphrase")


def test_damaged_keyfiles(tmp_path: Path) -> None:
    path = tmp_path / "keyfile.json"
    with pytest.raises(KeyfileError):
        read_keyfile(path)
    path.write_text("{not json")
    with pytest.raises(KeyfileError):
        read_keyfile(path)
    keyfile = wrap_master_key(new_master_key(), "a good passphrase", "id-1", FAST_KDF)
    keyfile["kdf"] = {"name": "pbkdf2"}
    write_keyfile(path, keyfile)
    with pytest.raises(KeyfileError):
        unwrap_master_key(read_keyfile(path), "a good passphrase")


def test_subkeys_are_distinct() -> None:
    keys = derive_subkeys(new_master_key())
    values = {keys.database, keys.blob_encryption, keys.blob_names, keys.backup, keys.head}
    assert len(values) == 5


def test_short_passphrase_refused() -> None:
    with pytest.raises(ValueError, match="at least 8"):
        check_new_passphrase("short")
