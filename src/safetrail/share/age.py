"""age encryption (pyrage) behind a small typed surface: X25519 recipients and identities only."""

from __future__ import annotations

import io
from typing import BinaryIO, cast

import pyrage  # type: ignore[import-untyped]

from safetrail.share.model import PackageRejected

RECIPIENT_PREFIX = "age1"
IDENTITY_PREFIX = "AGE-SECRET-KEY-1"


class BadRecipient(ValueError):
    """Not an age X25519 public key."""


def normalise_recipient(key: str) -> str:
    """The key in its one written form (lower case, no spaces); BadRecipient if it is not an
    age X25519 public key ('age1...')."""
    cleaned = "".join(key.split()).lower()
    if not cleaned.startswith(RECIPIENT_PREFIX):
        raise BadRecipient("an age public key starts with 'age1'")
    try:
        pyrage.x25519.Recipient.from_str(cleaned)
    except Exception as exc:  # pyrage raises its own RecipientError, or ValueError
        raise BadRecipient(f"this is not a valid age public key ({exc})") from exc
    return cleaned


def new_identity() -> tuple[str, str]:
    """(secret key, public key) of a fresh X25519 identity."""
    identity = pyrage.x25519.Identity.generate()
    return str(identity), str(identity.to_public())


def public_key_of(identity: str) -> str:
    """The public key of an 'AGE-SECRET-KEY-1...' secret key; PackageRejected if unreadable."""
    try:
        parsed = pyrage.x25519.Identity.from_str(identity.strip())
    except Exception as exc:
        raise PackageRejected("the recipient's secret key cannot be read") from exc
    return str(parsed.to_public())


def encrypt_stream(source: BinaryIO, sink: BinaryIO, recipient: str) -> None:
    """Encrypt `source` to one X25519 recipient, writing the age file to `sink`."""
    pyrage.encrypt_io(source, sink, [pyrage.x25519.Recipient.from_str(recipient)])


def encrypt_bytes(data: bytes, recipient: str) -> bytes:
    return cast(bytes, pyrage.encrypt(data, [pyrage.x25519.Recipient.from_str(recipient)]))


def decrypt_bytes(data: bytes, identity: str) -> bytes:
    """Decrypt an age file; PackageRejected if the key is wrong or the file was changed."""
    try:
        parsed = pyrage.x25519.Identity.from_str(identity.strip())
    except Exception as exc:
        raise PackageRejected("the recipient's secret key cannot be read") from exc
    sink = io.BytesIO()
    try:
        pyrage.decrypt_io(io.BytesIO(data), sink, [parsed])
    except Exception as exc:  # DecryptError for a wrong key, a changed byte or a cut file
        raise PackageRejected(
            "the file cannot be decrypted with this key: it was made for someone else, "
            "or it was changed or cut short"
        ) from exc
    return sink.getvalue()
