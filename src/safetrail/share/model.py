"""The typed values of consented sharing. No I/O: `package` builds and opens the files.

A consent record names one recipient (by an age X25519 public key), a purpose, a scope and a
period. A share package is a BagIt bundle of what that scope holds, with the consent record
inside, signed with a key that belongs to that one consent and encrypted to the recipient.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Final

from safetrail.models.jsonvalue import JsonObject, JsonValue
from safetrail.models.timeutil import from_iso, opt_from_iso, to_iso

PACKAGE_FORMAT: Final = "safetrail-share-package"
NOTICE_FORMAT: Final = "safetrail-revocation-notice"
FORMAT_VERSION: Final = 1
# Reports a consent can include, by name: the chronology as CSV, and a Timesketch timeline.
REPORTS: Final = ("chronology", "timeline")


class PackageRejected(Exception):
    """A share package (or revocation notice) failed a check; nothing in it may be used.

    `reason` names what failed, in plain words, e.g. "data/records.json was changed: its
    SHA-256 does not match manifest-sha256.txt".
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def json_list(values: Iterable[JsonValue]) -> list[JsonValue]:
    """A list typed as JSON (list is invariant, so list[int] is not list[JsonValue])."""
    return list(values)


def _ids(value: JsonValue) -> frozenset[int]:
    if not isinstance(value, list) or not all(
        isinstance(item, int) and not isinstance(item, bool) for item in value
    ):
        raise ValueError("expected a list of whole numbers")
    return frozenset(item for item in value if isinstance(item, int))


@dataclass(frozen=True, slots=True)
class Scope:
    """What a consent covers.

    `everything` True: every incident and evidence item (and the records taken from it);
    otherwise only `incident_ids` and `evidence_ids`. `start`/`end` (end excluded), when set,
    narrow incidents and records to that period either way. `reports` names entries of
    `REPORTS`. Private notes are left out unless `include_private_notes` is True.
    `safety_plan` adds the safety plan steps, risk answers and reviews, court orders and police
    contacts (never the trusted contacts). `pass_to_police` records that the person agrees the
    recipient may pass what this consent covers on to the police.
    """

    everything: bool = False
    incident_ids: frozenset[int] = frozenset()
    evidence_ids: frozenset[int] = frozenset()
    reports: frozenset[str] = frozenset()
    start: datetime | None = None
    end: datetime | None = None
    include_private_notes: bool = False
    safety_plan: bool = False
    pass_to_police: bool = False

    def __post_init__(self) -> None:
        unknown = self.reports - set(REPORTS)
        if unknown:
            raise ValueError(f"unknown reports: {', '.join(sorted(unknown))}")
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError("the end of the period must come after its start")

    def to_json(self) -> JsonObject:
        return {
            "everything": self.everything,
            "incident_ids": json_list(sorted(self.incident_ids)),
            "evidence_ids": json_list(sorted(self.evidence_ids)),
            "reports": json_list(sorted(self.reports)),
            "start": None if self.start is None else to_iso(self.start),
            "end": None if self.end is None else to_iso(self.end),
            "include_private_notes": self.include_private_notes,
            "safety_plan": self.safety_plan,
            "pass_to_police": self.pass_to_police,
        }

    @classmethod
    def from_json(cls, data: JsonObject) -> Scope:
        reports = data.get("reports")
        if not isinstance(reports, list) or not all(isinstance(r, str) for r in reports):
            raise ValueError("scope reports must be a list of names")
        return cls(
            everything=data.get("everything") is True,
            incident_ids=_ids(data.get("incident_ids", [])),
            evidence_ids=_ids(data.get("evidence_ids", [])),
            reports=frozenset(str(r) for r in reports),
            start=opt_from_iso(data.get("start")),
            end=opt_from_iso(data.get("end")),
            include_private_notes=data.get("include_private_notes") is True,
            safety_plan=data.get("safety_plan") is True,
            pass_to_police=data.get("pass_to_police") is True,
        )

    def covers_time(self, when: datetime | None) -> bool:
        """Whether a time falls in the period (an unknown time is in only an open period)."""
        if self.start is None and self.end is None:
            return True
        if when is None:
            return False
        if self.start is not None and when < self.start:
            return False
        return self.end is None or when < self.end


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    """One consent to share, as the casebook stores it (one version of it).

    `data` is the exact stored JSON of this version; its SHA-256 (of the canonical JSON) is in
    the custody log entry for (consent, `consent_id`, `version`), which is how a recipient
    checks the record was not edited. `notice_public_key` (Ed25519, 64 hex digits) verifies
    this consent's packages and revocation notice; its private key is derived from the
    casebook's master key and never stored. `case_label` is an optional short name the person
    chose for the recipient to file the case under.
    """

    consent_id: int
    version: int
    uid: str
    casebook_id: str
    recipient_name: str
    recipient_key: str
    recipient_fingerprint: str
    purpose: str
    scope: Scope
    valid_from: datetime
    valid_until: datetime | None
    created_at: datetime
    fingerprint_confirmed_at: datetime | None
    revoked_at: datetime | None
    revoked_reason: str | None
    notice_public_key: str
    data: JsonObject = field(compare=False, repr=False)
    case_label: str | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def in_force(self, at: datetime) -> bool:
        """Not revoked (as of `at`), and `at` lies within valid_from .. valid_until."""
        if self.revoked_at is not None and self.revoked_at <= at:
            return False
        if at < self.valid_from:
            return False
        return self.valid_until is None or at < self.valid_until

    @classmethod
    def from_data(cls, consent_id: int, version: int, data: JsonObject) -> ConsentRecord:
        """Read a stored consent version. ValueError/KeyError if it is not well formed."""
        scope = data["scope"]
        if not isinstance(scope, dict):
            raise ValueError("the consent's scope is not an object")
        reason, label = data.get("revoked_reason"), data.get("case_label")
        return cls(
            consent_id=consent_id,
            version=version,
            uid=str(data["uid"]),
            casebook_id=str(data["casebook_id"]),
            recipient_name=str(data["recipient_name"]),
            recipient_key=str(data["recipient_key"]),
            recipient_fingerprint=str(data["recipient_fingerprint"]),
            purpose=str(data["purpose"]),
            scope=Scope.from_json(scope),
            valid_from=from_iso(str(data["valid_from"])),
            valid_until=opt_from_iso(data.get("valid_until")),
            created_at=from_iso(str(data["created_at"])),
            fingerprint_confirmed_at=opt_from_iso(data.get("fingerprint_confirmed_at")),
            revoked_at=opt_from_iso(data.get("revoked_at")),
            revoked_reason=None if reason is None else str(reason),
            notice_public_key=str(data["notice_public_key"]),
            data=data,
            case_label=None if label is None else str(label),
        )


@dataclass(frozen=True, slots=True)
class PackageMarker:
    """What identifies a package in its chain; the sender and the recipient both keep it.

    `sha256` is of the encrypted package file exactly as written. An update names the marker
    of the package before it; `open_package` checks the chain against the marker the recipient
    kept (`last_received`).
    """

    package_id: str
    sha256: str
    sequence: int
    casebook_id: str
    consent_uid: str
    notice_public_key: str
    custody_head: str

    def to_json(self) -> JsonObject:
        return {
            "package_id": self.package_id,
            "sha256": self.sha256,
            "sequence": self.sequence,
            "casebook_id": self.casebook_id,
            "consent_uid": self.consent_uid,
            "notice_public_key": self.notice_public_key,
            "custody_head": self.custody_head,
        }

    @classmethod
    def from_json(cls, data: JsonObject) -> PackageMarker:
        sequence = data["sequence"]
        if not isinstance(sequence, int):
            raise ValueError("sequence must be a whole number")
        return cls(
            package_id=str(data["package_id"]),
            sha256=str(data["sha256"]),
            sequence=sequence,
            casebook_id=str(data["casebook_id"]),
            consent_uid=str(data["consent_uid"]),
            notice_public_key=str(data["notice_public_key"]),
            custody_head=str(data["custody_head"]),
        )


@dataclass(frozen=True, slots=True)
class PackageSummary:
    """What `create_package` wrote."""

    path: Path
    marker: PackageMarker
    consent_id: int
    recipient_name: str
    recipient_key: str
    incidents: int
    evidence: int
    records: int
    reports: tuple[str, ...]
    withdrawn_incidents: tuple[int, ...]
    withdrawn_evidence: tuple[int, ...]
    safety: bool = False

    @property
    def sequence(self) -> int:
        return self.marker.sequence

    @property
    def is_update(self) -> bool:
        return self.marker.sequence > 1

    def to_json(self) -> JsonObject:
        return {
            "path": str(self.path),
            **self.marker.to_json(),
            "consent_id": self.consent_id,
            "recipient_name": self.recipient_name,
            "recipient_key": self.recipient_key,
            "incidents": self.incidents,
            "evidence": self.evidence,
            "records": self.records,
            "reports": list(self.reports),
            "withdrawn_incidents": list(self.withdrawn_incidents),
            "withdrawn_evidence": list(self.withdrawn_evidence),
            "safety": self.safety,
        }


@dataclass(frozen=True, slots=True)
class EvidenceEntry:
    """One exhibit in a package. `payload` is the original's path inside the bag, or None
    for a physical item (or one with no file)."""

    evidence_id: int
    exhibit_ref: str
    original_filename: str | None
    size: int | None
    sha256: str | None
    payload: str | None
    data: JsonObject = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ReportFile:
    name: str
    filename: str
    sha256: str
    media_type: str


@dataclass(frozen=True, slots=True)
class RevocationNotice:
    """The person withdrew their consent. Signed with the consent's Ed25519 key.

    A recipient trusts it only after `open_notice` checked the signature against the
    `notice_public_key` kept from the first package of that consent.
    """

    casebook_id: str
    consent_uid: str
    consent_id: int
    consent_version: int
    revoked_at: datetime
    reason: str
    last_package_id: str | None
    last_package_sha256: str | None
    issued_at: datetime

    def to_json(self) -> JsonObject:
        return {
            "format": NOTICE_FORMAT,
            "format_version": FORMAT_VERSION,
            "casebook_id": self.casebook_id,
            "consent_uid": self.consent_uid,
            "consent_id": self.consent_id,
            "consent_version": self.consent_version,
            "revoked_at": to_iso(self.revoked_at),
            "reason": self.reason,
            "last_package_id": self.last_package_id,
            "last_package_sha256": self.last_package_sha256,
            "issued_at": to_iso(self.issued_at),
        }

    @classmethod
    def from_json(cls, data: JsonObject) -> RevocationNotice:
        if data.get("format") != NOTICE_FORMAT or data.get("format_version") != FORMAT_VERSION:
            raise ValueError("this is not a Safetrail revocation notice of a known version")
        consent_id, version = data["consent_id"], data["consent_version"]
        if not isinstance(consent_id, int) or not isinstance(version, int):
            raise ValueError("consent_id and consent_version must be whole numbers")
        last_id, last_sha = data.get("last_package_id"), data.get("last_package_sha256")
        return cls(
            casebook_id=str(data["casebook_id"]),
            consent_uid=str(data["consent_uid"]),
            consent_id=consent_id,
            consent_version=version,
            revoked_at=from_iso(str(data["revoked_at"])),
            reason=str(data["reason"]),
            last_package_id=None if last_id is None else str(last_id),
            last_package_sha256=None if last_sha is None else str(last_sha),
            issued_at=from_iso(str(data["issued_at"])),
        )
