"""The server key: one random 256-bit secret in a file only the server's user can read.

Everything the server encrypts at rest is sealed with keys derived from it: the evidence files in
the blob store, the caseworkers' age identities and the TOTP secrets. Lose it and those are lost;
keep it out of the database backups (see docs/server.md).
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from safetrail.vault.blobstore import BlobStore

KEY_HEADER = "safetrail-server-key-v1"


class ServerKeyError(Exception):
    """The server key file is missing, unreadable or not a server key."""


@dataclass(frozen=True, slots=True)
class ServerKeys:
    blob_encryption: bytes
    blob_names: bytes
    secrets: bytes

    def blob_store(self, root: Path) -> BlobStore:
        return BlobStore(root, self.blob_encryption, self.blob_names)

    def seal(self, plaintext: str, purpose: str) -> str:
        nonce = os.urandom(12)
        sealed = AESGCM(self.secrets).encrypt(nonce, plaintext.encode(), purpose.encode())
        return base64.b64encode(nonce + sealed).decode("ascii")

    def unseal(self, sealed: str, purpose: str) -> str:
        raw = base64.b64decode(sealed)
        try:
            plain = AESGCM(self.secrets).decrypt(raw[:12], raw[12:], purpose.encode())
        except InvalidTag:
            raise ServerKeyError("a secret does not open with this server key") from None
        return plain.decode()


def _derive(master: bytes, label: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label.encode()).derive(master)


def keys_from_master(master: bytes) -> ServerKeys:
    return ServerKeys(
        blob_encryption=_derive(master, "safetrail/server/v1/blob-encryption"),
        blob_names=_derive(master, "safetrail/server/v1/blob-names"),
        secrets=_derive(master, "safetrail/server/v1/secrets"),
    )


def create_key_file(path: Path) -> None:
    """Write a new key; refuses to replace one (that would make every stored file unreadable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = f"{KEY_HEADER}\n{base64.b64encode(secrets.token_bytes(32)).decode()}\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def load_keys(path: Path) -> ServerKeys:
    try:
        lines = path.read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError) as exc:
        raise ServerKeyError(f"cannot read the server key file {path}") from exc
    if len(lines) != 2 or lines[0] != KEY_HEADER:
        raise ServerKeyError(f"{path} is not a Safetrail server key file")
    master = base64.b64decode(lines[1])
    if len(master) != 32:
        raise ServerKeyError(f"{path} holds a key of the wrong length")
    return keys_from_master(master)
