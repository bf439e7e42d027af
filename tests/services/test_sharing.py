"""The sharing service: consents versioned and logged, verify covering them, plain statuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from safetrail.services import sharing
from safetrail.services.casebook import Casebook
from safetrail.services.errors import InvalidInput, SafetrailError
from safetrail.services.verify import verify_casebook
from safetrail.share.model import Scope
from safetrail.storage import repository
from safetrail.storage.schema import consents, share_packages
from tests.share.sharekit import fill, recipient

EVERYTHING = Scope(everything=True)
REPORT = frozenset({"chronology"})


def _consent(book: Casebook, scope: Scope = EVERYTHING) -> int:
    made = sharing.new_consent(
        book,
        recipient_name="  Ann, Paladin  ",
        recipient_key=recipient().public.upper(),
        purpose="Support",
        scope=scope,
        valid_until=datetime.now(UTC) + timedelta(days=30),
    )
    return made.consent_id


def test_every_consent_change_is_a_logged_version(book: Casebook) -> None:
    consent_id = _consent(book)
    made = sharing.get_consent(book, consent_id)
    assert made.recipient_name == "Ann, Paladin"
    assert made.recipient_key == made.recipient_key.lower()
    sharing.confirm_key(book, consent_id, made.recipient_fingerprint)
    sharing.change_consent(book, consent_id, purpose="Support and court")
    sharing.revoke(book, consent_id, "no longer needed")
    with book.read() as conn:
        entries = [e for e in repository.log_entries(conn) if e.kind == "consent"]
        history = repository.version_history(conn, "consent", consent_id)
    assert [(e.action, e.version) for e in entries] == [
        ("create", 1),
        ("confirm", 2),
        ("edit", 3),
        ("revoke", 4),
    ]
    assert [v.data["purpose"] for v in history] == ["Support"] * 2 + ["Support and court"] * 2
    assert "Ann" not in str([e.details for e in entries])
    with pytest.raises(InvalidInput):
        sharing.change_consent(book, consent_id, purpose="again")
    report = verify_casebook(book)
    assert report.ok, report.problems


def test_a_wrong_fingerprint_confirms_nothing(book: Casebook, tmp_path: Path) -> None:
    consent_id = _consent(book)
    with pytest.raises(InvalidInput, match="do not match"):
        sharing.confirm_key(book, consent_id, "1234 5678 9012 3456 7890 1234")
    assert sharing.get_consent(book, consent_id).fingerprint_confirmed_at is None
    with pytest.raises(InvalidInput, match="check the recipient's key"):
        sharing.make_package(book, consent_id, tmp_path / "p.age")
    assert not (tmp_path / "p.age").exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"recipient_key": "not a key"}, "does not look like"),
        ({"recipient_name": "  "}, "name"),
        ({"purpose": "x" * 3000}, "too long"),
        ({"scope": Scope()}, "choose what to share"),
        ({"scope": Scope(incident_ids=frozenset({1}), reports=REPORT)}, "Reports"),
        ({"valid_until": datetime(2000, 1, 1, tzinfo=UTC)}, "end after"),
    ],
)
def test_a_consent_must_be_complete(
    book: Casebook, fields: dict[str, object], message: str
) -> None:
    arguments: dict[str, object] = {
        "recipient_name": "Paladin",
        "recipient_key": recipient().public,
        "purpose": "Support",
        "scope": EVERYTHING,
        "valid_until": None,
        **fields,
    }
    with pytest.raises(InvalidInput, match=message):
        sharing.new_consent(book, **arguments)  # type: ignore[arg-type]
    assert sharing.overview(book) == []


def test_verify_finds_a_consent_or_package_changed_outside_safetrail(
    book: Casebook, tmp_path: Path
) -> None:
    fill(book, tmp_path)
    consent_id = _consent(book)
    made = sharing.get_consent(book, consent_id)
    sharing.confirm_key(book, consent_id, made.recipient_fingerprint)
    sharing.make_package(book, consent_id, tmp_path / "1.age")
    assert verify_casebook(book).ok
    with book.transaction() as conn:
        conn.execute(update(consents).values(data='{"uid":"x"}'))
        conn.execute(update(share_packages).values(version=7))
    problems = " | ".join(verify_casebook(book).problems)
    assert "consent 1 was changed outside Safetrail" in problems
    assert "share_package 1 was changed outside Safetrail" in problems


def test_overview_and_next_package_in_plain_words(book: Casebook, tmp_path: Path) -> None:
    fill(book, tmp_path)
    consent_id = _consent(book, Scope(incident_ids=frozenset({1}), evidence_ids=frozenset({3})))
    [waiting] = sharing.overview(book)
    assert waiting.status == "waiting for you to check the recipient's key"
    assert sharing.next_package(book, consent_id) == sharing.NextPackage(1, 1, 1, 1, 0)
    made = sharing.get_consent(book, consent_id)
    sharing.confirm_key(book, consent_id, made.recipient_fingerprint)
    summary = sharing.make_package(book, consent_id, tmp_path / "1.age")
    assert summary.sequence == 1
    assert sharing.next_package(book, consent_id) == sharing.NextPackage(2, 0, 0, 0, 0)
    [shared] = sharing.overview(book)
    assert shared.status == "in force" and len(shared.packages) == 1
    assert shared.to_json()["last_package_sha256"] == summary.marker.sha256
    lines = sharing.describe_scope(made.scope)
    assert lines == [
        "These incidents: 1.",
        "These evidence items and the records taken from them: 3.",
        "Your private notes are not included.",
        "They may not pass it on to the police without asking you again.",
    ]
    with pytest.raises(InvalidInput, match="already exists"):
        sharing.make_package(book, consent_id, tmp_path / "1.age")
    sharing.revoke(book, consent_id)
    assert sharing.overview(book)[0].status.startswith("revoked on")
    with pytest.raises(SafetrailError, match="revoked"):
        sharing.make_package(book, consent_id, tmp_path / "2.age")


def test_a_consent_that_ended_or_has_not_started_shares_nothing(
    book: Casebook, tmp_path: Path
) -> None:
    later = sharing.new_consent(
        book,
        recipient_name="Police liaison",
        recipient_key=recipient().public,
        purpose="Court",
        scope=EVERYTHING,
        valid_from=datetime.now(UTC) + timedelta(days=2),
        valid_until=None,
    )
    sharing.confirm_key(book, later.consent_id, later.recipient_fingerprint)
    assert sharing.overview(book)[0].status.startswith("starts on")
    with pytest.raises(SafetrailError, match="starts on"):
        sharing.make_package(book, later.consent_id, tmp_path / "p.age")


def test_key_check_and_qr_files(tmp_path: Path) -> None:
    key = recipient().public
    check = sharing.key_check(f"  {key.upper()} ")
    assert check.key == key
    assert sharing.write_key_qr(key, tmp_path / "key.svg").read_text().startswith("<svg")
    assert sharing.write_key_qr(key, tmp_path / "key.png").read_bytes().startswith(b"\x89PNG")
    with pytest.raises(InvalidInput):
        sharing.key_check("age1nope")


def test_verify_finds_a_recipient_key_swapped_in_a_later_version(book: Casebook) -> None:
    """Logged or not, the recipient of a consent can never change: a new consent is needed."""
    from safetrail.services import entities

    consent_id = _consent(book)
    with book.transaction() as conn:
        _, data = entities.load(conn, "consent", consent_id)
        entities.update(conn, "consent", consent_id, {**data, "recipient_key": "age1other"})
    problems = verify_casebook(book).problems
    assert problems == ["consent 1: 'recipient_key' changed in version 2; it must never change"]
