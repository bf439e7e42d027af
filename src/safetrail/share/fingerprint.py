"""A recipient key's fingerprint to read aloud, and a QR code of the key to scan.

The fingerprint is 24 digits in six groups of four, taken from the SHA-256 of the key's one
written form: about 80 bits, easy to read over the phone and to compare by eye.
"""

from __future__ import annotations

import hashlib
import io

import segno

from safetrail.share.age import normalise_recipient

GROUPS = 6
GROUP_DIGITS = 4
QR_PREFIX = "safetrail-share-key:"


def fingerprint(key: str) -> str:
    """'0417 9932 ...' for an age public key; BadRecipient if it is not one."""
    digest = hashlib.sha256(normalise_recipient(key).encode("ascii")).digest()
    digits = str(int.from_bytes(digest[:16], "big") % 10 ** (GROUPS * GROUP_DIGITS))
    digits = digits.zfill(GROUPS * GROUP_DIGITS)
    return " ".join(digits[i : i + GROUP_DIGITS] for i in range(0, len(digits), GROUP_DIGITS))


def same_fingerprint(typed: str, key: str) -> bool:
    """Whether what the person typed (spaces and dashes ignored) is the key's fingerprint."""
    wanted = fingerprint(key).replace(" ", "")
    return "".join(ch for ch in typed if ch.isdigit()) == wanted


def _qr(key: str) -> segno.QRCode:
    return segno.make_qr(QR_PREFIX + normalise_recipient(key), error="m")


def qr_svg(key: str) -> str:
    """The key as a QR code, an SVG document (no scripts, no links)."""
    buffer = io.BytesIO()
    _qr(key).save(buffer, kind="svg", scale=4, xmldecl=False)
    return buffer.getvalue().decode("utf-8")


def qr_png(key: str) -> bytes:
    buffer = io.BytesIO()
    _qr(key).save(buffer, kind="png", scale=6)
    return buffer.getvalue()


def qr_terminal(key: str) -> str:
    """The key as a QR code drawn with block characters, for a terminal."""
    buffer = io.StringIO()
    _qr(key).terminal(out=buffer, compact=True)
    return buffer.getvalue()
