"""Revocation notices: a signed statement that the person withdrew a consent.

The notice is JSON signed with the consent's Ed25519 key, then encrypted to the recipient with
age (it names the casebook, which is private). A recipient checks the signature against the
key it kept from the consent's first package, so a notice cannot be forged by anyone who only
knows the recipient's public key.
"""

from __future__ import annotations

import json
from pathlib import Path

from safetrail.models.jsonvalue import JsonObject, as_object, canonical_json
from safetrail.services.casebook import Casebook
from safetrail.services.errors import SafetrailError
from safetrail.share.age import decrypt_bytes, encrypt_bytes
from safetrail.share.consent import get_consent, last_package
from safetrail.share.model import PackageRejected, RevocationNotice
from safetrail.share.signing import consent_signing_key, sign_hex, signature_valid
from safetrail.storage import repository
from safetrail.vault.atomic import atomic_write_bytes

MAX_NOTICE_BYTES = 1 << 20


def write_notice(book: Casebook, consent_id: int, out: Path) -> RevocationNotice:
    consent = get_consent(book, consent_id)
    if consent.revoked_at is None:
        raise SafetrailError(
            "This consent has not been revoked. Revoke it first (safetrail share revoke)."
        )
    last = last_package(book, consent_id)
    notice = RevocationNotice(
        casebook_id=consent.casebook_id,
        consent_uid=consent.uid,
        consent_id=consent.consent_id,
        consent_version=consent.version,
        revoked_at=consent.revoked_at,
        reason=consent.revoked_reason or "",
        last_package_id=last.marker.package_id if last else None,
        last_package_sha256=last.marker.sha256 if last else None,
        issued_at=repository.now_utc(),
    )
    body = notice.to_json()
    key = consent_signing_key(book.master_key, consent.uid)
    signed: JsonObject = {
        "notice": body,
        "signature": sign_hex(key, canonical_json(body).encode("utf-8")),
    }
    atomic_write_bytes(
        out, encrypt_bytes(canonical_json(signed).encode("utf-8"), consent.recipient_key)
    )
    with book.transaction() as conn:
        repository.append_log(
            conn,
            "notice",
            "consent",
            {"revoked_at": body["revoked_at"], "issued_at": body["issued_at"]},
            entity_id=consent_id,
        )
    return notice


def read_notice(data_path: Path, identity: str, notice_public_key: str) -> RevocationNotice:
    try:
        if data_path.stat().st_size > MAX_NOTICE_BYTES:
            raise PackageRejected("the notice file is larger than any notice")
        raw = data_path.read_bytes()
    except OSError as exc:
        raise PackageRejected(f"the notice file cannot be read ({exc.strerror})") from exc
    plain = decrypt_bytes(raw, identity)
    try:
        signed = as_object(json.loads(plain.decode("utf-8")))
        body = as_object(signed["notice"])
        signature = str(signed["signature"])
    except (UnicodeDecodeError, ValueError, KeyError) as exc:
        raise PackageRejected("the notice cannot be read") from exc
    if not signature_valid(notice_public_key, signature, canonical_json(body).encode("utf-8")):
        raise PackageRejected(
            "the notice's signature does not match this consent's key: it is not genuine"
        )
    try:
        return RevocationNotice.from_json(body)
    except (KeyError, ValueError) as exc:
        raise PackageRejected(f"the notice cannot be read ({exc})") from exc
