"""Keys: one random master key, wrapped by a key derived from the passphrase with Argon2id.

Changing the passphrase re-wraps the master key and nothing else. Every other key (database, blob
encryption, blob names, backups, the head record) is derived from the master key with HKDF, so
one secret never serves two purposes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from safetrail.vault.atomic import atomic_write_bytes

KEYFILE_FORMAT = "safetrail-keyfile"
KEYFILE_VERSION = 1
MIN_PASSPHRASE_LENGTH = 8


class WrongPassphrase(Exception):
    """The passphrase does not open this casebook."""


class KeyfileError(Exception):
    """The key file is missing or damaged."""


@dataclass(frozen=True, slots=True)
class KdfParams:
    """Argon2id settings. The defaults follow RFC 9106's second recommended option (64 MiB)."""

    time_cost: int = 3
    memory_cost_kib: int = 64 * 1024
    parallelism: int = 4

    def to_json(self) -> dict[str, int | str]:
        return {
            "name": "argon2id",
            "time_cost": self.time_cost,
            "memory_cost_kib": self.memory_cost_kib,
            "parallelism": self.parallelism,
        }


@dataclass(frozen=True, slots=True)
class SubKeys:
    database: bytes
    blob_encryption: bytes
    blob_names: bytes
    backup: bytes
    head: bytes


def derive_kek(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return bytes(
        hash_secret_raw(
            secret=passphrase.encode("utf-8"),
            salt=salt,
            time_cost=params.time_cost,
            memory_cost=params.memory_cost_kib,
            parallelism=params.parallelism,
            hash_len=32,
            type=Type.ID,
        )
    )


def derive_subkeys(master: bytes) -> SubKeys:
    def derive(label: str) -> bytes:
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label.encode())
        return hkdf.derive(master)

    return SubKeys(
        database=derive("safetrail/v1/database"),
        blob_encryption=derive("safetrail/v1/blob-encryption"),
        blob_names=derive("safetrail/v1/blob-names"),
        backup=derive("safetrail/v1/backup"),
        head=derive("safetrail/v1/head"),
    )


def new_master_key() -> bytes:
    return secrets.token_bytes(32)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise KeyfileError("the key file is damaged")
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise KeyfileError("the key file is damaged") from exc


def _aad(casebook_id: str, kdf: dict[str, int | str], salt: str) -> bytes:
    header = {"casebook_id": casebook_id, "kdf": kdf, "salt": salt, "version": KEYFILE_VERSION}
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode()


def wrap_master_key(
    master: bytes, passphrase: str, casebook_id: str, params: KdfParams
) -> dict[str, object]:
    """The key file's contents: the master key sealed under the passphrase-derived key."""
    salt = os.urandom(16)
    kek = derive_kek(passphrase, salt, params)
    nonce = os.urandom(12)
    kdf = params.to_json()
    sealed = AESGCM(kek).encrypt(nonce, master, _aad(casebook_id, kdf, _b64(salt)))
    return {
        "format": KEYFILE_FORMAT,
        "version": KEYFILE_VERSION,
        "casebook_id": casebook_id,
        "kdf": kdf,
        "salt": _b64(salt),
        "nonce": _b64(nonce),
        "wrapped_key": _b64(sealed),
    }


def _params_from(kdf: object) -> KdfParams:
    if not isinstance(kdf, dict) or kdf.get("name") != "argon2id":
        raise KeyfileError("the key file names an unknown key derivation")
    try:
        return KdfParams(
            time_cost=int(kdf["time_cost"]),
            memory_cost_kib=int(kdf["memory_cost_kib"]),
            parallelism=int(kdf["parallelism"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise KeyfileError("the key file is damaged") from exc


def unwrap_master_key(keyfile: dict[str, object], passphrase: str) -> bytes:
    if keyfile.get("format") != KEYFILE_FORMAT or keyfile.get("version") != KEYFILE_VERSION:
        raise KeyfileError("this is not a Safetrail key file, or it is from a newer version")
    params = _params_from(keyfile.get("kdf"))
    salt_text = keyfile.get("salt")
    casebook_id = keyfile.get("casebook_id")
    if not isinstance(salt_text, str) or not isinstance(casebook_id, str):
        raise KeyfileError("the key file is damaged")
    kek = derive_kek(passphrase, _unb64(salt_text), params)
    try:
        return AESGCM(kek).decrypt(
            _unb64(keyfile.get("nonce")),
            _unb64(keyfile.get("wrapped_key")),
            _aad(casebook_id, params.to_json(), salt_text),
        )
    except InvalidTag:
        raise WrongPassphrase("That passphrase does not open this casebook.") from None


def keyfile_identity(keyfile: dict[str, object]) -> str:
    """A short name for one wrapping of the master key, for the custody log (reveals nothing)."""
    sealed = str(keyfile.get("wrapped_key", ""))
    return hashlib.sha256(sealed.encode("ascii", "replace")).hexdigest()[:32]


def read_keyfile(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise KeyfileError(f"there is no casebook key file at {path}") from None
    except (OSError, ValueError) as exc:
        raise KeyfileError(f"the key file {path} cannot be read: {type(exc).__name__}") from exc
    if not isinstance(data, dict):
        raise KeyfileError("the key file is damaged")
    return data


def write_keyfile(path: Path, keyfile: dict[str, object]) -> None:
    atomic_write_bytes(path, (json.dumps(keyfile, indent=2, sort_keys=True) + "\n").encode())


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise ValueError(
            f"Please choose a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters. "
            "A few unrelated words are easy to remember and hard to guess."
        )
