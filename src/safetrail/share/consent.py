"""Consent records and the packages made under them, stored as versioned casebook entities.

Every change (create, confirm the recipient's fingerprint, change, revoke) is a new version
with its own custody log entry. A made package is a `share_package` entity holding its marker
and what it sent, so the next package can hold only what is new or changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from safetrail.models.jsonvalue import JsonObject, JsonValue, as_object
from safetrail.models.timeutil import to_iso
from safetrail.services import entities
from safetrail.services.casebook import Casebook
from safetrail.services.errors import InvalidInput, NotFound
from safetrail.share.age import BadRecipient, normalise_recipient
from safetrail.share.fingerprint import fingerprint, same_fingerprint
from safetrail.share.model import ConsentRecord, PackageMarker, Scope, json_list
from safetrail.share.signing import consent_signing_key, public_hex
from safetrail.storage import repository

CONSENT: entities.Kind = "consent"
PACKAGE: entities.Kind = "share_package"
MAX_NAME = 200
MAX_PURPOSE = 2000
MAX_REASON = 2000
MAX_LABEL = 80


@dataclass(frozen=True, slots=True)
class SentState:
    """What earlier packages of a consent sent, by item: the base of the next update."""

    incidents: dict[int, int]
    evidence: dict[int, int]
    record_groups: dict[int, str]
    reports: dict[str, str]
    include_private_notes: bool
    safety: str | None = None

    def to_json(self) -> JsonObject:
        return {
            "incidents": {str(k): v for k, v in sorted(self.incidents.items())},
            "evidence": {str(k): v for k, v in sorted(self.evidence.items())},
            "record_groups": {str(k): v for k, v in sorted(self.record_groups.items())},
            "reports": dict(sorted(self.reports.items())),
            "include_private_notes": self.include_private_notes,
            "safety": self.safety,
        }

    @classmethod
    def from_json(cls, data: JsonObject) -> SentState:
        def ints(name: str) -> dict[int, int]:
            return {int(k): int(str(v)) for k, v in as_object(data[name]).items()}

        def texts(name: str) -> dict[str, str]:
            return {str(k): str(v) for k, v in as_object(data[name]).items()}

        return cls(
            incidents=ints("incidents"),
            evidence=ints("evidence"),
            record_groups={int(k): v for k, v in texts("record_groups").items()},
            reports=texts("reports"),
            include_private_notes=data.get("include_private_notes") is True,
            safety=None if data.get("safety") is None else str(data.get("safety")),
        )


EMPTY_STATE = SentState({}, {}, {}, {}, False)


@dataclass(frozen=True, slots=True)
class StoredPackage:
    """A package made under a consent, as the casebook recorded it."""

    id: int
    consent_id: int
    consent_version: int
    marker: PackageMarker
    previous_package_id: str | None
    created_at: str
    counts: JsonObject
    sent: SentState


def _text(value: str, label: str, limit: int) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise InvalidInput(f"Please give the {label}.")
    if len(cleaned) > limit:
        raise InvalidInput(f"The {label} is too long (at most {limit} characters).")
    return cleaned


def _check_period(valid_from: datetime, valid_until: datetime | None) -> None:
    if valid_from.tzinfo is None or (valid_until is not None and valid_until.tzinfo is None):
        raise InvalidInput("Times must carry a time zone.")
    if valid_until is not None and valid_until <= valid_from:
        raise InvalidInput("The consent must end after it starts.")


def check_scope(scope: Scope) -> None:
    """Reports are whole-case views, so they can only be shared when everything is."""
    if scope.reports and not scope.everything:
        raise InvalidInput(
            "Reports show the whole case, so they can be shared only when everything is shared."
        )
    if not (scope.everything or scope.incident_ids or scope.evidence_ids or scope.safety_plan):
        raise InvalidInput(
            "Please choose what to share: everything, some incidents or items, or the safety plan."
        )


def _record(consent_id: int, version: int, data: JsonObject) -> ConsentRecord:
    return ConsentRecord.from_data(consent_id, version, data)


def create_consent(
    book: Casebook,
    *,
    recipient_name: str,
    recipient_key: str,
    purpose: str,
    scope: Scope,
    valid_from: datetime,
    valid_until: datetime | None,
    case_label: str | None = None,
) -> ConsentRecord:
    """Store a new consent. Nothing is shared until a package is made."""
    try:
        key = normalise_recipient(recipient_key)
    except BadRecipient as exc:
        raise InvalidInput(f"That does not look like the recipient's key: {exc}.") from exc
    name = _text(recipient_name, "name of the person or organisation", MAX_NAME)
    why = _text(purpose, "purpose", MAX_PURPOSE)
    _check_period(valid_from, valid_until)
    check_scope(scope)
    label = _text(case_label, "label", MAX_LABEL) if case_label is not None else None
    uid = entities.new_uid()
    data: JsonObject = {
        "uid": uid,
        "removed": False,
        "casebook_id": book.casebook_id,
        "recipient_name": name,
        "recipient_key": key,
        "recipient_fingerprint": fingerprint(key),
        "purpose": why,
        "scope": scope.to_json(),
        "valid_from": to_iso(valid_from),
        "valid_until": None if valid_until is None else to_iso(valid_until),
        "created_at": to_iso(repository.now_utc()),
        "fingerprint_confirmed_at": None,
        "revoked_at": None,
        "revoked_reason": None,
        "notice_public_key": public_hex(consent_signing_key(book.master_key, uid)),
        "case_label": label,
    }
    with book.transaction() as conn:
        consent_id = entities.create(conn, CONSENT, data)
    return get_consent(book, consent_id)


def get_consent(book: Casebook, consent_id: int) -> ConsentRecord:
    with book.read() as conn:
        try:
            version, data = entities.load(conn, CONSENT, consent_id)
        except NotFound:
            raise NotFound(f"There is no consent with number {consent_id}.") from None
    return _record(consent_id, version, data)


def list_consents(book: Casebook) -> list[ConsentRecord]:
    with book.read() as conn:
        rows = entities.current_rows(conn, CONSENT, include_removed=True)
    return [_record(i, v, d) for i, v, d in rows]


def _change(
    book: Casebook, consent_id: int, fields: JsonObject, action: str, details: JsonObject
) -> ConsentRecord:
    with book.transaction() as conn:
        _, data = entities.load(conn, CONSENT, consent_id)
        if data.get("revoked_at") is not None:
            raise InvalidInput("This consent was revoked; it cannot be changed. Make a new one.")
        entities.update(conn, CONSENT, consent_id, {**data, **fields}, action, details)
    return get_consent(book, consent_id)


def confirm_fingerprint(book: Casebook, consent_id: int, typed: str) -> ConsentRecord:
    """Record that the person checked the key's fingerprint with the recipient."""
    consent = get_consent(book, consent_id)
    if consent.fingerprint_confirmed_at is not None and same_fingerprint(
        typed, consent.recipient_key
    ):
        return consent
    if not same_fingerprint(typed, consent.recipient_key):
        raise InvalidInput(
            "Those digits do not match this key's fingerprint. Nothing was confirmed. Please "
            "check the key with the recipient again, by phone or in person."
        )
    stamp: JsonValue = to_iso(repository.now_utc())
    return _change(
        book, consent_id, {"fingerprint_confirmed_at": stamp}, "confirm", {"confirmed": True}
    )


def change_consent(
    book: Casebook,
    consent_id: int,
    *,
    purpose: str | None = None,
    scope: Scope | None = None,
    valid_until: datetime | None = None,
) -> ConsentRecord:
    """Change the purpose, the scope or the end date. The earlier versions stay logged."""
    current = get_consent(book, consent_id)
    fields: JsonObject = {}
    if purpose is not None:
        fields["purpose"] = _text(purpose, "purpose", MAX_PURPOSE)
    if scope is not None:
        check_scope(scope)
        fields["scope"] = scope.to_json()
    if valid_until is not None:
        _check_period(current.valid_from, valid_until)
        fields["valid_until"] = to_iso(valid_until)
    if not fields:
        raise InvalidInput("Nothing to change was given.")
    changed = json_list(sorted(fields))
    return _change(book, consent_id, fields, "edit", {"changed": changed})


def revoke_consent(book: Casebook, consent_id: int, reason: str) -> ConsentRecord:
    """Withdraw the consent from now on. What was already sent cannot be taken back."""
    why = reason.strip()[:MAX_REASON]
    fields: JsonObject = {"revoked_at": to_iso(repository.now_utc()), "revoked_reason": why}
    return _change(book, consent_id, fields, "revoke", {})


def _stored_package(entity_id: int, data: JsonObject) -> StoredPackage:
    previous = data.get("previous_package_id")
    return StoredPackage(
        id=entity_id,
        consent_id=int(str(data["consent_id"])),
        consent_version=int(str(data["consent_version"])),
        marker=PackageMarker.from_json(as_object(data["marker"])),
        previous_package_id=None if previous is None else str(previous),
        created_at=str(data["created_at"]),
        counts=as_object(data["counts"]),
        sent=SentState.from_json(as_object(data["sent"])),
    )


def list_packages(book: Casebook, consent_id: int | None = None) -> list[StoredPackage]:
    """Packages made, oldest first; only those of one consent if `consent_id` is given."""
    with book.read() as conn:
        rows = entities.current_rows(conn, PACKAGE, include_removed=True)
    packages = [_stored_package(i, d) for i, _, d in rows]
    return [p for p in packages if consent_id is None or p.consent_id == consent_id]


def last_package(book: Casebook, consent_id: int) -> StoredPackage | None:
    packages = list_packages(book, consent_id)
    return max(packages, key=lambda p: p.marker.sequence) if packages else None


def record_package(
    book: Casebook,
    consent: ConsentRecord,
    marker: PackageMarker,
    previous_package_id: str | None,
    sent: SentState,
    counts: JsonObject,
) -> StoredPackage:
    """Log a written package (its hash, sequence, and what it sent) in the casebook."""
    data: JsonObject = {
        "uid": entities.new_uid(),
        "removed": False,
        "consent_id": consent.consent_id,
        "consent_version": consent.version,
        "marker": marker.to_json(),
        "previous_package_id": previous_package_id,
        "created_at": to_iso(repository.now_utc()),
        "counts": counts,
        "sent": sent.to_json(),
    }
    details: JsonObject = {
        "consent_id": consent.consent_id,
        "package_sha256": marker.sha256,
        "sequence": marker.sequence,
    }
    with book.transaction() as conn:
        entity_id = entities.create(conn, PACKAGE, data, details)
    return _stored_package(entity_id, data)
