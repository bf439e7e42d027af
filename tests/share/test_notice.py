"""Revocation notices: signed by the consent's key, logged in custody, forgeries rejected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safetrail.services.casebook import Casebook
from safetrail.services.errors import SafetrailError
from safetrail.share.age import decrypt_bytes, encrypt_bytes
from safetrail.share.consent import revoke_consent
from safetrail.share.model import PackageRejected
from safetrail.share.package import create_notice, create_package, open_notice, open_package
from safetrail.storage import repository
from tests.share.sharekit import consent, fill, recipient


def test_revocation_is_logged_and_the_notice_verifies(book: Casebook, tmp_path: Path) -> None:
    to = recipient()
    fill(book, tmp_path)
    made = consent(book, to)
    package = create_package(book, made.consent_id, tmp_path / "1.age", previous=None)
    key = open_package(package.path, to.secret).marker.notice_public_key
    with pytest.raises(SafetrailError):
        create_notice(book, made.consent_id, tmp_path / "too-early.age")

    revoked = revoke_consent(book, made.consent_id, "I have a new caseworker")
    assert revoked.revoked and revoked.version == made.version + 1
    notice = create_notice(book, made.consent_id, tmp_path / "notice.age")
    with book.read() as conn:
        entries = [e for e in repository.log_entries(conn) if e.kind == "consent"]
    assert [e.action for e in entries] == ["create", "confirm", "revoke", "notice"]

    opened = open_notice(tmp_path / "notice.age", to.secret, key)
    assert opened == notice
    assert opened.consent_uid == made.uid and opened.reason == "I have a new caseworker"
    assert opened.last_package_sha256 == package.marker.sha256

    with pytest.raises(SafetrailError):
        create_package(book, made.consent_id, tmp_path / "2.age", previous=package.marker)


def test_a_notice_checked_with_another_consents_key_is_rejected(
    book: Casebook, tmp_path: Path
) -> None:
    to = recipient()
    first, other = consent(book, to), consent(book, to)
    revoke_consent(book, first.consent_id, "")
    create_notice(book, first.consent_id, tmp_path / "notice.age")
    with pytest.raises(PackageRejected, match="not genuine"):
        open_notice(tmp_path / "notice.age", to.secret, other.notice_public_key)
    with pytest.raises(PackageRejected, match="cannot be decrypted"):
        open_notice(tmp_path / "notice.age", recipient().secret, first.notice_public_key)


def test_an_edited_notice_is_rejected(book: Casebook, tmp_path: Path) -> None:
    to = recipient()
    made = consent(book, to)
    revoke_consent(book, made.consent_id, "")
    path = tmp_path / "notice.age"
    create_notice(book, made.consent_id, path)
    signed = json.loads(decrypt_bytes(path.read_bytes(), to.secret))
    signed["notice"]["revoked_at"] = "2030-01-01T00:00:00+00:00"
    path.write_bytes(encrypt_bytes(json.dumps(signed).encode(), to.public))
    with pytest.raises(PackageRejected, match="not genuine"):
        open_notice(path, to.secret, made.notice_public_key)


def test_a_package_under_a_revoked_consent_is_rejected_on_opening(
    book: Casebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even if a sender forced one out, the recipient refuses it."""
    to = recipient()
    made = consent(book, to)
    revoked = revoke_consent(book, made.consent_id, "")
    assert revoked.revoked
    monkeypatch.setattr("safetrail.share.build._check_can_share", lambda consent: None)
    create_package(book, made.consent_id, tmp_path / "late.age", previous=None)
    with pytest.raises(PackageRejected, match="revoked"):
        open_package(tmp_path / "late.age", to.secret)
