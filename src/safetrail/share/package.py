"""Share packages: the contract between the person's casebook and a caseworker's server.

A share package is one file, encrypted with age to the recipient's X25519 public key. Inside is
a zipped BagIt bag (the evidence bundle of `export.bundle`, narrowed to what the consent covers)
with three extra things:

- `data/share/consent.json`: the consent record, exactly as the casebook stored that version;
  its SHA-256 is in the custody log, which is in the bag too;
- `data/share/package.json`: the package header (casebook, consent, sequence number, the
  package it updates, what it holds and what was withdrawn since the last one);
- `signature-ed25519.txt` (a tag file beside `bagit.txt`): an Ed25519 signature over
  `tagmanifest-sha256.txt`, which covers every other file through `manifest-sha256.txt`.

The signing key belongs to one consent: its public half is in the consent record, its private
half is derived from the casebook's master key and never leaves the casebook. The same key
signs revocation notices. See docs/share-format.md.

`create_package` runs on the person's computer; `open_package` and `open_notice` run wherever
the package is received and need no casebook.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from safetrail.models.jsonvalue import JsonObject
from safetrail.share.model import (
    FORMAT_VERSION,
    NOTICE_FORMAT,
    PACKAGE_FORMAT,
    REPORTS,
    ConsentRecord,
    EvidenceEntry,
    PackageMarker,
    PackageRejected,
    PackageSummary,
    ReportFile,
    RevocationNotice,
    Scope,
)
from safetrail.vault.custody import LogEntry

if TYPE_CHECKING:
    from safetrail.services.casebook import Casebook

# What a damaged or hostile zip or JSON can raise while it is checked (a bad CRC, an unknown
# compression method, a truncated stream, a value of the wrong type).
UNREADABLE = (
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    EOFError,
    RuntimeError,
    NotImplementedError,
    zipfile.BadZipFile,
    zlib.error,
)

# The recipient's memory of the last package it accepted for (casebook_id, consent_uid).
LastReceived = Callable[[str, str], PackageMarker | None]


@dataclass(frozen=True)
class OpenedPackage:
    """A package that passed every check. Read-only; the decrypted bag stays in memory.

    `incidents` and `records` are the bundle's JSON objects (`data/incidents.json`,
    `data/records.json`); `evidence` lists each exhibit with its original file's facts, and
    `read_original` gives the original's bytes. An update (`sequence` > 1) holds only what is
    new or changed since `previous_package_id`, and names in `withdrawn_incidents` and
    `withdrawn_evidence` what the recipient must no longer show.

    `safety` (only when the consent's scope has `safety_plan`, and in an update only when it
    changed) maps "plan_item", "risk_answer", "risk_review", "order" and "police_contact" to
    lists of the stored items (each with "id" and "version"). `withdrawn_safety` is True when
    the person took the safety plan out of the consent.
    """

    marker: PackageMarker
    previous_package_id: str | None
    previous_sha256: str | None
    created_at: datetime
    consent: ConsentRecord
    incidents: tuple[JsonObject, ...]
    records: tuple[JsonObject, ...]
    evidence: tuple[EvidenceEntry, ...]
    reports: tuple[ReportFile, ...]
    withdrawn_incidents: tuple[int, ...]
    withdrawn_evidence: tuple[int, ...]
    custody_log: tuple[LogEntry, ...]
    custody_head: str
    _bag: bytes = field(repr=False, compare=False)
    _top: str = field(repr=False, compare=False)
    safety: JsonObject | None = None
    withdrawn_safety: bool = False

    @property
    def casebook_id(self) -> str:
        return self.marker.casebook_id

    @property
    def sequence(self) -> int:
        return self.marker.sequence

    @property
    def is_update(self) -> bool:
        return self.marker.sequence > 1

    def _member(self, inner: str) -> bytes:
        with zipfile.ZipFile(io.BytesIO(self._bag)) as archive:
            return archive.read(f"{self._top}/{inner}")

    def read_original(self, evidence_id: int) -> bytes:
        """The original file's bytes (already checked against its SHA-256). KeyError if the
        package holds no file for that exhibit."""
        for entry in self.evidence:
            if entry.evidence_id == evidence_id and entry.payload is not None:
                return self._member(entry.payload)
        raise KeyError(f"this package holds no original file for evidence {evidence_id}")

    def read_report(self, name: str) -> bytes:
        """A report's bytes by its name in REPORTS. KeyError if not in this package."""
        for report in self.reports:
            if report.name == name:
                return self._member(report.filename)
        raise KeyError(f"this package holds no report called {name!r}")


def create_package(
    book: Casebook, consent_id: int, out: Path, *, previous: PackageMarker | None
) -> PackageSummary:
    """Write the share package for a consent to `out` (atomically) and log it in custody.

    `previous` is the marker of the last package made for this consent (None for the first);
    it must be the casebook's own last one, or SafetrailError is raised. An update holds only
    the items new or changed since then. The consent must be in force and its recipient's
    fingerprint confirmed. The plaintext bag is staged in a private folder beside `out` and
    removed whatever happens.
    """
    from safetrail.share.build import build_package

    return build_package(book, consent_id, out, previous=previous)


def open_package(
    data_path: Path, identity: str, *, last_received: LastReceived | None = None
) -> OpenedPackage:
    """Decrypt and check a package; PackageRejected(reason) if anything at all is wrong.

    `identity` is the recipient's age X25519 secret key (`AGE-SECRET-KEY-1...`). Checked before
    returning: decryption; the zip's shape; every file against `manifest-sha256.txt`, no file
    missing or added; the tag manifest and Payload-Oxum; the Ed25519 signature with the key
    in the consent record; the custody log's hash chain and its head; the consent record's
    SHA-256 against its custody entry; that the consent names this recipient and was not
    revoked; that every item lies within the consent's scope; and the sequence. For the
    sequence, `last_received(casebook_id, consent_uid)` returns the marker of the last
    package the caller accepted for that consent, or None. A first package is accepted only
    if it returns None; an update only if it follows that marker exactly (next sequence
    number, previous id and hash, the same signing key, a custody log that still holds the
    earlier head). Without `last_received`, nothing is taken as received.
    """
    from safetrail.share.opening import open_verified

    try:
        return open_verified(data_path, identity, last_received)
    except PackageRejected:
        raise
    except UNREADABLE as exc:
        raise PackageRejected(f"the package cannot be read ({type(exc).__name__})") from exc


def create_notice(book: Casebook, consent_id: int, out: Path) -> RevocationNotice:
    """Write a signed revocation notice for a revoked consent, encrypted to its recipient.

    SafetrailError if the consent is not revoked. Producing it is logged in custody.
    """
    from safetrail.share.notice import write_notice

    return write_notice(book, consent_id, out)


def open_notice(data_path: Path, identity: str, notice_public_key: str) -> RevocationNotice:
    """Decrypt a revocation notice and check its signature with the consent's key (kept from
    the first package, `PackageMarker.notice_public_key`). PackageRejected if it fails."""
    from safetrail.share.notice import read_notice

    return read_notice(data_path, identity, notice_public_key)


__all__ = [
    "FORMAT_VERSION",
    "NOTICE_FORMAT",
    "PACKAGE_FORMAT",
    "REPORTS",
    "ConsentRecord",
    "EvidenceEntry",
    "LastReceived",
    "OpenedPackage",
    "PackageMarker",
    "PackageRejected",
    "PackageSummary",
    "ReportFile",
    "RevocationNotice",
    "Scope",
    "create_notice",
    "create_package",
    "open_notice",
    "open_package",
]
