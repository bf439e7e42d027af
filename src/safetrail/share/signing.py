"""The Ed25519 key of one consent: signs its packages and its revocation notice.

The private key is derived from the casebook's master key and the consent's uid with HKDF, so
it is never stored and cannot serve any other consent. Its public half travels in the consent
record, and the recipient keeps it from the first package.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

INFO = b"safetrail share signing key v1 "


def consent_signing_key(master_key: bytes, consent_uid: str) -> Ed25519PrivateKey:
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO + consent_uid.encode())
    return Ed25519PrivateKey.from_private_bytes(seed.derive(master_key))


def public_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def sign_hex(key: Ed25519PrivateKey, message: bytes) -> str:
    return key.sign(message).hex()


def signature_valid(public_key_hex: str, signature_hex: str, message: bytes) -> bool:
    """True only for a well-formed key and signature that match `message`."""
    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        public.verify(bytes.fromhex(signature_hex), message)
    except (ValueError, InvalidSignature):
        return False
    return True
