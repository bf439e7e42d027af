"""Sharing with a named caseworker or organisation, only with the person's consent.

The CLI and the web app call these. The person decides what is shared, with whom, why and until
when; each package is encrypted to the recipient's key, which the person checks first by its
fingerprint. A consent can be revoked at any time, but what was already sent cannot be taken
back: the revocation notice asks the recipient to stop using it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from safetrail.models.jsonvalue import JsonObject
from safetrail.models.timeutil import to_iso
from safetrail.services.casebook import Casebook
from safetrail.services.errors import InvalidInput
from safetrail.share import consent as store
from safetrail.share.age import BadRecipient
from safetrail.share.build import plan_package
from safetrail.share.consent import EMPTY_STATE, StoredPackage
from safetrail.share.fingerprint import fingerprint, qr_png, qr_svg, qr_terminal
from safetrail.share.model import ConsentRecord, PackageSummary, RevocationNotice, Scope
from safetrail.share.package import create_notice, create_package
from safetrail.storage import repository

NOT_UNSENT = (
    "You can revoke this consent at any time, and no more will be sent. What was already "
    "sent cannot be taken back; a revocation notice asks the recipient to stop using it."
)


@dataclass(frozen=True, slots=True)
class KeyCheck:
    """What the person compares with the recipient before anything is sent."""

    key: str
    fingerprint: str
    qr_text: str

    def to_json(self) -> JsonObject:
        return {"key": self.key, "fingerprint": self.fingerprint}


@dataclass(frozen=True, slots=True)
class ConsentOverview:
    consent: ConsentRecord
    status: str
    packages: tuple[StoredPackage, ...]

    def to_json(self) -> JsonObject:
        data: JsonObject = {
            "id": self.consent.consent_id,
            "version": self.consent.version,
            "status": self.status,
            "packages": len(self.packages),
            "last_package_sha256": self.packages[-1].marker.sha256 if self.packages else None,
        }
        return {**data, **{k: v for k, v in self.consent.data.items() if k != "removed"}}


@dataclass(frozen=True, slots=True)
class NextPackage:
    """How much the next package of a consent would hold (reports aside)."""

    sequence: int
    incidents: int
    evidence: int
    record_groups: int
    withdrawn: int


def key_check(key: str) -> KeyCheck:
    """The fingerprint and QR code of a recipient key; InvalidInput if it is not an age key."""
    from safetrail.share.age import normalise_recipient

    try:
        cleaned = normalise_recipient(key)
    except BadRecipient as exc:
        raise InvalidInput(f"That does not look like the recipient's key: {exc}.") from exc
    return KeyCheck(cleaned, fingerprint(cleaned), qr_terminal(cleaned))


def fingerprint_matches(typed: str, key: str) -> bool:
    """Whether the digits the recipient read out are this key's fingerprint."""
    from safetrail.share.fingerprint import same_fingerprint

    return same_fingerprint(typed, key)


def write_key_qr(key: str, out: Path) -> Path:
    """The key as a QR code: SVG if `out` ends in .svg, otherwise PNG."""
    from safetrail.vault.atomic import atomic_write_bytes

    cleaned = key_check(key).key
    data = qr_svg(cleaned).encode("utf-8") if out.suffix.lower() == ".svg" else qr_png(cleaned)
    atomic_write_bytes(out, data)
    return out


def status_of(consent: ConsentRecord, at: datetime) -> str:
    """In plain words: whether the consent is in force, and if not, why not."""
    if consent.revoked_at is not None:
        return f"revoked on {consent.revoked_at:%d %B %Y}"
    if at < consent.valid_from:
        return f"starts on {consent.valid_from:%d %B %Y}"
    if consent.valid_until is not None and at >= consent.valid_until:
        return f"ended on {consent.valid_until:%d %B %Y}"
    if consent.fingerprint_confirmed_at is None:
        return "waiting for you to check the recipient's key"
    return "in force"


def describe_scope(scope: Scope) -> list[str]:
    """What a consent shares, one plain sentence a line."""
    lines: list[str] = []
    if scope.everything:
        lines.append("Everything in your casebook: every incident, every evidence item and the")
        lines.append("messages and calls taken from them, including ones you add later.")
    else:
        if scope.incident_ids:
            numbers = ", ".join(str(i) for i in sorted(scope.incident_ids))
            lines.append(f"These incidents: {numbers}.")
        if scope.evidence_ids:
            numbers = ", ".join(str(i) for i in sorted(scope.evidence_ids))
            lines.append(f"These evidence items and the records taken from them: {numbers}.")
    if scope.start is not None or scope.end is not None:
        start = f"{scope.start:%d %B %Y}" if scope.start else "the beginning"
        end = f"{scope.end:%d %B %Y}" if scope.end else "now"
        lines.append(f"Only what happened from {start} up to {end}.")
    if scope.reports:
        lines.append(f"Reports: {', '.join(sorted(scope.reports))}.")
    if scope.safety_plan:
        lines.append(
            "Your safety plan, risk answers, court orders and police contacts "
            "(not your trusted contacts)."
        )
    if scope.include_private_notes:
        lines.append("Your private notes ARE included.")
    else:
        lines.append("Your private notes are not included.")
    if scope.pass_to_police:
        lines.append("They may pass what is shared on to the police.")
    else:
        lines.append("They may not pass it on to the police without asking you again.")
    return lines


def new_consent(
    book: Casebook,
    *,
    recipient_name: str,
    recipient_key: str,
    purpose: str,
    scope: Scope,
    valid_until: datetime | None,
    valid_from: datetime | None = None,
    case_label: str | None = None,
) -> ConsentRecord:
    return store.create_consent(
        book,
        recipient_name=recipient_name,
        recipient_key=recipient_key,
        purpose=purpose,
        scope=scope,
        valid_from=valid_from or repository.now_utc(),
        valid_until=valid_until,
        case_label=case_label,
    )


def confirm_key(book: Casebook, consent_id: int, typed_fingerprint: str) -> ConsentRecord:
    return store.confirm_fingerprint(book, consent_id, typed_fingerprint)


def change_consent(
    book: Casebook,
    consent_id: int,
    *,
    purpose: str | None = None,
    scope: Scope | None = None,
    valid_until: datetime | None = None,
) -> ConsentRecord:
    return store.change_consent(
        book, consent_id, purpose=purpose, scope=scope, valid_until=valid_until
    )


def revoke(book: Casebook, consent_id: int, reason: str = "") -> ConsentRecord:
    return store.revoke_consent(book, consent_id, reason)


def get_consent(book: Casebook, consent_id: int) -> ConsentRecord:
    return store.get_consent(book, consent_id)


def overview(book: Casebook) -> list[ConsentOverview]:
    now = repository.now_utc()
    packages = store.list_packages(book)
    return [
        ConsentOverview(
            consent,
            status_of(consent, now),
            tuple(
                sorted(
                    (p for p in packages if p.consent_id == consent.consent_id),
                    key=lambda p: p.marker.sequence,
                )
            ),
        )
        for consent in store.list_consents(book)
    ]


def next_package(book: Casebook, consent_id: int) -> NextPackage:
    """What the next package would hold, without writing anything."""
    consent = store.get_consent(book, consent_id)
    last = store.last_package(book, consent_id)
    plan = plan_package(book, consent.scope, last.sent if last else EMPTY_STATE)
    return NextPackage(
        sequence=1 if last is None else last.marker.sequence + 1,
        incidents=len(plan.send_incidents),
        evidence=len(plan.send_evidence),
        record_groups=len(plan.send_record_groups),
        withdrawn=len(plan.withdrawn_incidents) + len(plan.withdrawn_evidence),
    )


def make_package(book: Casebook, consent_id: int, out: Path) -> PackageSummary:
    """Write the next package for a consent: the first, or an update after the last one."""
    if out.exists():
        raise InvalidInput(f"{out} already exists. Choose another name.")
    last = store.last_package(book, consent_id)
    return create_package(book, consent_id, out, previous=last.marker if last else None)


def make_notice(book: Casebook, consent_id: int, out: Path) -> RevocationNotice:
    if out.exists():
        raise InvalidInput(f"{out} already exists. Choose another name.")
    return create_notice(book, consent_id, out)


def consent_json(consent: ConsentRecord) -> JsonObject:
    """The consent as JSON for programs (the stored record, with its number and version)."""
    return {
        "id": consent.consent_id,
        "version": consent.version,
        "status": status_of(consent, repository.now_utc()),
        "checked_at": to_iso(repository.now_utc()),
        **{k: v for k, v in consent.data.items() if k != "removed"},
    }
