"""Opening a share package: decrypt, then check everything before anything is returned.

Any failure raises PackageRejected naming it; nothing of a rejected package may be used. The
decrypted bag is held in memory and never written to disk here.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from safetrail.importers.base import ImportFormatError
from safetrail.importers.safezip import safe_member_name
from safetrail.models.jsonvalue import JsonObject, JsonValue, as_object, canonical_json
from safetrail.models.timeutil import from_iso
from safetrail.share.age import decrypt_bytes, public_key_of
from safetrail.share.build import (
    CONSENT_FILE,
    HEADER_FILE,
    SAFETY_FILE,
    SAFETY_KINDS,
    SIGNATURE_FILE,
    SIGNED_FILE,
)
from safetrail.share.model import (
    FORMAT_VERSION,
    PACKAGE_FORMAT,
    ConsentRecord,
    EvidenceEntry,
    PackageMarker,
    PackageRejected,
    ReportFile,
)
from safetrail.share.signing import signature_valid
from safetrail.vault.custody import LogEntry, chain_problems

if TYPE_CHECKING:
    from safetrail.share.package import LastReceived, OpenedPackage

MAX_PACKAGE_BYTES = 4 << 30
MAX_MEMBERS = 200_000
MAX_TOTAL_BYTES = 8 << 30
MAX_JSON_BYTES = 512 << 20
TAG_FILES = frozenset(
    {"bagit.txt", "bag-info.txt", "manifest-sha256.txt", SIGNED_FILE, SIGNATURE_FILE}
)


def _reject(reason: str) -> PackageRejected:
    return PackageRejected(reason)


@dataclass
class Bag:
    """The decrypted zip, its one top folder, and its files by path inside the bag."""

    archive: zipfile.ZipFile
    top: str
    files: dict[str, zipfile.ZipInfo]

    def read(self, name: str, limit: int = MAX_JSON_BYTES) -> bytes:
        info = self.files.get(name)
        if info is None:
            raise _reject(f"{name} is missing")
        if info.file_size > limit:
            raise _reject(f"{name} is larger than allowed")
        with self.archive.open(info) as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise _reject(f"{name} is larger than it claims")
        return data

    def sha256(self, name: str) -> tuple[str, int]:
        digest = hashlib.sha256()
        size = 0
        with self.archive.open(self.files[name]) as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
        return digest.hexdigest(), size

    def json(self, name: str) -> JsonValue:
        try:
            value: JsonValue = json.loads(self.read(name).decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise _reject(f"{name} cannot be read as JSON ({exc})") from exc
        return value


def _open_zip(plain: bytes) -> Bag:
    try:
        archive = zipfile.ZipFile(io.BytesIO(plain))
    except zipfile.BadZipFile as exc:
        raise _reject(f"the decrypted content is not a readable zip ({exc})") from exc
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _reject("the package holds too many files")
    if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
        raise _reject("the package expands to more than the allowed size")
    files: dict[str, zipfile.ZipInfo] = {}
    tops: set[str] = set()
    for info in infos:
        try:
            name = safe_member_name(info.filename)
        except ImportFormatError as exc:
            raise _reject(f"a file name inside the package is unsafe: {exc}") from exc
        parts = PurePosixPath(name).parts
        if info.is_dir() or not parts:
            continue
        tops.add(parts[0])
        if len(parts) < 2:
            raise _reject(f"{name} lies outside the bag folder")
        inner = "/".join(parts[1:])
        if inner in files:
            raise _reject(f"{inner} appears twice in the package")
        files[inner] = info
    if len(tops) != 1:
        raise _reject("the package should hold exactly one bag folder")
    return Bag(archive, tops.pop(), files)


def _decode_path(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _manifest(bag: Bag, name: str) -> dict[str, str]:
    listed: dict[str, str] = {}
    for number, line in enumerate(bag.read(name).decode("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        digest, _, path = line.partition(" ")
        path = _decode_path(path.lstrip(" *"))
        if len(digest) != 64 or not path:
            raise _reject(f"{name} line {number} is not '<sha256> <path>'")
        if path in listed:
            raise _reject(f"{name} lists {path} twice")
        listed[path] = digest.lower()
    return listed


def _bag_info(bag: Bag) -> dict[str, str]:
    info: dict[str, str] = {}
    for line in bag.read("bag-info.txt").decode("utf-8").splitlines():
        key, sep, value = line.partition(":")
        if sep and not line[:1].isspace():
            info[key.strip()] = value.strip()
    return info


def _check_tag_files(bag: Bag) -> None:
    for name in sorted(TAG_FILES - bag.files.keys()):
        raise _reject(f"{name} is missing")
    for name in sorted(bag.files):
        if not name.startswith("data/") and name not in TAG_FILES:
            raise _reject(f"{name} was added: it is not part of a share package")
    if not bag.read("bagit.txt").decode("utf-8").startswith("BagIt-Version: "):
        raise _reject("bagit.txt is not a BagIt declaration")
    tags = _manifest(bag, SIGNED_FILE)
    for name in sorted(TAG_FILES - {SIGNED_FILE, SIGNATURE_FILE}):
        if tags.get(name) != bag.sha256(name)[0]:
            raise _reject(f"{name} was changed: it does not match {SIGNED_FILE}")
    if set(tags) - (TAG_FILES - {SIGNED_FILE, SIGNATURE_FILE}):
        raise _reject(f"{SIGNED_FILE} lists a file that is not in a share package")


def check_bag(bag: Bag) -> tuple[dict[str, str], dict[str, str]]:
    """Every file against the manifests, nothing missing or added. (manifest, bag-info)."""
    _check_tag_files(bag)
    manifest = _manifest(bag, "manifest-sha256.txt")
    payload = {name for name in bag.files if name.startswith("data/")}
    for name in sorted(payload - manifest.keys()):
        raise _reject(f"{name} was added: it is not in manifest-sha256.txt")
    octets = 0
    for name, digest in sorted(manifest.items()):
        if name not in payload:
            raise _reject(f"{name} is missing")
        actual, size = bag.sha256(name)
        if actual != digest:
            raise _reject(f"{name} was changed: its SHA-256 does not match manifest-sha256.txt")
        octets += size
    info = _bag_info(bag)
    if info.get("Payload-Oxum") != f"{octets}.{len(manifest)}":
        raise _reject("Payload-Oxum in bag-info.txt does not match the files")
    return manifest, info


def _object(value: JsonValue, label: str) -> JsonObject:
    if not isinstance(value, dict):
        raise _reject(f"{label} is not a JSON object")
    return value


def _objects(value: JsonValue, label: str) -> list[JsonObject]:
    if not isinstance(value, list):
        raise _reject(f"{label} is not a JSON list")
    return [_object(item, label) for item in value]


def _int_list(value: JsonValue, label: str) -> list[int]:
    if not isinstance(value, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in value
    ):
        raise _reject(f"{label} is not a list of whole numbers")
    return [i for i in value if isinstance(i, int)]


def _int(value: JsonValue, label: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _reject(f"{label} is not a whole number")
    return value


def _opt_text(value: JsonValue, label: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise _reject(f"{label} is not text")
    return value


def read_log(bag: Bag) -> list[LogEntry]:
    entries: list[LogEntry] = []
    text = bag.read("data/custody-log.jsonl").decode("utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            data = as_object(json.loads(line))
            entity_id, version = data["entity_id"], data["version"]
            entries.append(
                LogEntry(
                    seq=_int(data["seq"], "seq"),
                    at=str(data["at"]),
                    action=str(data["action"]),
                    kind=str(data["kind"]),
                    entity_id=None if entity_id is None else _int(entity_id, "entity_id"),
                    version=None if version is None else _int(version, "version"),
                    details=as_object(data["details"]),
                    prev_hash=str(data["prev_hash"]),
                    hash=str(data["hash"]),
                )
            )
        except (ValueError, KeyError, TypeError, PackageRejected) as exc:
            raise _reject(f"custody log line {number} cannot be read ({exc})") from exc
    problems = chain_problems(entries)
    if problems:
        raise _reject(f"the custody log is broken: {problems[0]}")
    return entries


def _check_consent(
    header: JsonObject, consent_data: JsonObject, log: list[LogEntry], recipient: str
) -> ConsentRecord:
    consent_id = _int(header.get("consent_id"), "consent_id")
    version = _int(header.get("consent_version"), "consent_version")
    try:
        consent = ConsentRecord.from_data(consent_id, version, consent_data)
    except (KeyError, ValueError, TypeError) as exc:
        raise _reject(f"the consent record cannot be read ({exc})") from exc
    digest = hashlib.sha256(canonical_json(consent_data).encode("utf-8")).hexdigest()
    versions = [e for e in log if e.kind == "consent" and e.entity_id == consent_id]
    entry = next((e for e in versions if e.version == version), None)
    if entry is None:
        raise _reject("the consent record has no entry in the custody log")
    if entry.details.get("data_sha256") != digest:
        raise _reject("the consent record was edited: it does not match its custody log entry")
    if any(e.version is not None and e.version > version for e in versions):
        raise _reject("a later version of the consent exists: this package is out of date")
    _check_consent_fits(header, consent, recipient)
    return consent


def _check_consent_fits(header: JsonObject, consent: ConsentRecord, recipient: str) -> None:
    if consent.uid != header.get("consent_uid"):
        raise _reject("the consent record is not the one the package names")
    if consent.casebook_id != header.get("casebook_id"):
        raise _reject("the consent record belongs to another casebook")
    if consent.recipient_key != recipient:
        raise _reject("this package was made for a different recipient key")
    if consent.revoked:
        raise _reject("the consent in this package was revoked")
    if consent.fingerprint_confirmed_at is None:
        raise _reject("the person never confirmed this recipient's key")
    if consent.notice_public_key != header.get("notice_public_key"):
        raise _reject("the package's signing key is not the consent's")
    created = from_iso(str(header.get("created_at")))
    if not consent.in_force(created):
        raise _reject("the package was made outside the consent's period")


def _check_header(header: JsonObject, info: dict[str, str], log: list[LogEntry]) -> None:
    if header.get("format") != PACKAGE_FORMAT or header.get("format_version") != FORMAT_VERSION:
        raise _reject("this is not a Safetrail share package of a known version")
    sequence = _int(header.get("sequence"), "sequence")
    previous = (header.get("previous_package_id"), header.get("previous_sha256"))
    if sequence < 1 or (sequence == 1) != (previous == (None, None)):
        raise _reject("the package's sequence number and the package it updates disagree")
    if info.get("Safetrail-Casebook") != header.get("casebook_id"):
        raise _reject("bag-info.txt names another casebook than the package")
    head = log[-1].hash if log else ""
    if info.get("Custody-Log-Head") != head or header.get("custody_head") != head:
        raise _reject("the custody log's last hash does not match the recorded head")


def _check_sequence(
    marker: PackageMarker, header: JsonObject, log: list[LogEntry], last: PackageMarker | None
) -> None:
    if marker.sequence == 1:
        if last is not None:
            raise _reject(
                "a first package for this consent was already received: this one is a replay "
                "or out of sequence"
            )
        return
    if last is None:
        raise _reject(
            f"this package updates package {marker.sequence - 1}, which was not received here"
        )
    if marker.sequence != last.sequence + 1:
        raise _reject(
            f"out of sequence: package {last.sequence + 1} was expected, "
            f"this is package {marker.sequence}"
        )
    if (header.get("previous_package_id"), header.get("previous_sha256")) != (
        last.package_id,
        last.sha256,
    ):
        raise _reject("this package updates a different package from the last one received")
    if last.notice_public_key != marker.notice_public_key:
        raise _reject("this package is signed with a different key from the earlier ones")
    if last.custody_head not in {e.hash for e in log}:
        raise _reject("the custody log does not continue the one of the earlier package")


@dataclass(frozen=True)
class Contents:
    incidents: tuple[JsonObject, ...]
    records: tuple[JsonObject, ...]
    evidence: tuple[EvidenceEntry, ...]
    reports: tuple[ReportFile, ...]
    safety: JsonObject | None


def _check_safety(
    bag: Bag, contents: JsonObject, manifest: dict[str, str], consent: ConsentRecord
) -> JsonObject | None:
    listed = contents.get("safety")
    if listed is None:
        if f"data/{SAFETY_FILE}" in manifest:
            raise _reject("the safety plan is in the package but not listed in its header")
        return None
    if not consent.scope.safety_plan:
        raise _reject("the safety plan is outside the consent")
    entry = _object(listed, "safety")
    name = f"data/{SAFETY_FILE}"
    if entry.get("filename") != name or manifest.get(name) != entry.get("sha256"):
        raise _reject("the safety plan does not match its SHA-256")
    safety = _object(bag.json(name), "safety.json")
    if set(safety) - set(SAFETY_KINDS):
        raise _reject("safety.json holds something other than the safety plan")
    for kind, items in safety.items():
        _objects(items, f"safety.json {kind}")
    return safety


def _check_incidents(bag: Bag, consent: ConsentRecord, listed: set[int]) -> list[JsonObject]:
    scope = consent.scope
    incidents = _objects(bag.json("data/incidents.json"), "incidents.json")
    ids = [_int(i.get("id"), "incident id") for i in incidents]
    if set(ids) != listed or len(ids) != len(listed):
        raise _reject("incidents.json does not hold the incidents the package lists")
    for incident, incident_id in zip(incidents, ids, strict=True):
        if not scope.everything and incident_id not in scope.incident_ids:
            raise _reject(f"incident {incident_id} is outside the consent")
        try:
            when = from_iso(str(incident.get("occurred_start")))
        except ValueError as exc:
            raise _reject(f"incident {incident_id} has no readable time") from exc
        if not scope.covers_time(when):
            raise _reject(f"incident {incident_id} is outside the consent's period")
        if not scope.include_private_notes and incident.get("private_notes"):
            raise _reject(f"incident {incident_id} holds private notes the consent leaves out")
    return incidents


def _evidence_entry(item: JsonObject, manifest: dict[str, str]) -> EvidenceEntry:
    evidence_id = _int(item.get("id"), "evidence id")
    facts = item.get("file")
    payload = _opt_text(item.get("payload"), "payload")
    name = size = digest = None
    if isinstance(facts, dict):
        name = _opt_text(facts.get("original_filename"), "original_filename")
        size = _int(facts.get("size"), "size")
        digest = _opt_text(facts.get("sha256"), "sha256")
    if payload is not None and (payload not in manifest or manifest[payload] != digest):
        raise _reject(f"the original of evidence {evidence_id} does not match its SHA-256")
    return EvidenceEntry(
        evidence_id=evidence_id,
        exhibit_ref=str(item.get("exhibit_ref")),
        original_filename=name,
        size=size,
        sha256=digest,
        payload=payload,
        data=item,
    )


def _check_contents(
    bag: Bag, manifest: dict[str, str], header: JsonObject, consent: ConsentRecord
) -> Contents:
    scope = consent.scope
    contents = _object(header.get("contents"), "contents")
    incidents = _check_incidents(bag, consent, set(_int_list(contents.get("incidents"), "ids")))
    items = _objects(bag.json("data/evidence.json"), "evidence.json")
    evidence = [_evidence_entry(item, manifest) for item in items]
    ids = {e.evidence_id for e in evidence}
    if ids != set(_int_list(contents.get("evidence"), "ids")) or len(ids) != len(evidence):
        raise _reject("evidence.json does not hold the evidence the package lists")
    allowed = None if scope.everything else scope.evidence_ids
    if allowed is not None and not ids <= allowed:
        raise _reject("an evidence item is outside the consent")
    for entry in evidence:
        if entry.payload is not None and entry.size != bag.files[entry.payload].file_size:
            raise _reject(f"the original of evidence {entry.evidence_id} has the wrong size")
    groups = set(_int_list(contents.get("record_groups"), "record groups"))
    if allowed is not None and not groups <= allowed:
        raise _reject("records from evidence outside the consent are listed")
    records = _check_records(bag, contents, groups, consent)
    reports = _reports(contents, manifest, scope.reports)
    safety = _check_safety(bag, contents, manifest, consent)
    return Contents(tuple(incidents), tuple(records), tuple(evidence), reports, safety)


def _check_records(
    bag: Bag, contents: JsonObject, groups: set[int], consent: ConsentRecord
) -> list[JsonObject]:
    records = _objects(bag.json("data/records.json"), "records.json")
    for record in records:
        if _int(record.get("evidence_id"), "record evidence") not in groups:
            raise _reject(f"record {record.get('id')} comes from evidence outside the package")
        occurred = record.get("occurred_at")
        try:
            when = from_iso(occurred) if isinstance(occurred, str) else None
        except ValueError as exc:
            raise _reject(f"record {record.get('id')} has an unreadable time") from exc
        if not consent.scope.covers_time(when):
            raise _reject(f"record {record.get('id')} is outside the consent's period")
    if len(records) != contents.get("records"):
        raise _reject("records.json does not hold the number of records the package lists")
    return records


def _reports(
    contents: JsonObject, manifest: dict[str, str], allowed: frozenset[str]
) -> tuple[ReportFile, ...]:
    reports: list[ReportFile] = []
    for item in _objects(contents.get("reports"), "reports"):
        report = ReportFile(
            name=str(item.get("name")),
            filename=str(item.get("filename")),
            sha256=str(item.get("sha256")),
            media_type=str(item.get("media_type")),
        )
        if report.name not in allowed:
            raise _reject(f"the report {report.name!r} is outside the consent")
        if manifest.get(report.filename) != report.sha256:
            raise _reject(f"the report {report.name!r} does not match its SHA-256")
        reports.append(report)
    return tuple(reports)


def _read_package(data_path: Path) -> bytes:
    try:
        if data_path.stat().st_size > MAX_PACKAGE_BYTES:
            raise _reject("the package file is larger than allowed")
        return data_path.read_bytes()
    except OSError as exc:
        raise _reject(f"the package file cannot be read ({exc.strerror})") from exc


def open_verified(
    data_path: Path, identity: str, last_received: LastReceived | None
) -> OpenedPackage:
    from safetrail.share.package import OpenedPackage

    raw = _read_package(data_path)
    recipient = public_key_of(identity)
    plain = decrypt_bytes(raw, identity)
    bag = _open_zip(plain)
    manifest, info = check_bag(bag)
    header = _object(bag.json(f"data/{HEADER_FILE}"), "package.json")
    signature = bag.read(SIGNATURE_FILE, 1024).decode("ascii", "replace").strip()
    if not signature_valid(str(header.get("notice_public_key")), signature, bag.read(SIGNED_FILE)):
        raise _reject("the signature does not match: the package was not made by this consent")
    log = read_log(bag)
    _check_header(header, info, log)
    consent_data = _object(bag.json(f"data/{CONSENT_FILE}"), "consent.json")
    consent = _check_consent(header, consent_data, log, recipient)
    marker = PackageMarker(
        package_id=str(header.get("package_id")),
        sha256=hashlib.sha256(raw).hexdigest(),
        sequence=_int(header.get("sequence"), "sequence"),
        casebook_id=consent.casebook_id,
        consent_uid=consent.uid,
        notice_public_key=consent.notice_public_key,
        custody_head=log[-1].hash,
    )
    last = last_received(marker.casebook_id, marker.consent_uid) if last_received else None
    _check_sequence(marker, header, log, last)
    contents = _check_contents(bag, manifest, header, consent)
    withdrawn = _object(header.get("withdrawn"), "withdrawn")
    return OpenedPackage(
        marker=marker,
        previous_package_id=_opt_text(header.get("previous_package_id"), "previous"),
        previous_sha256=_opt_text(header.get("previous_sha256"), "previous"),
        created_at=from_iso(str(header.get("created_at"))),
        consent=consent,
        incidents=contents.incidents,
        records=contents.records,
        evidence=contents.evidence,
        reports=contents.reports,
        withdrawn_incidents=tuple(_int_list(withdrawn.get("incidents"), "withdrawn")),
        withdrawn_evidence=tuple(_int_list(withdrawn.get("evidence"), "withdrawn")),
        custody_log=tuple(log),
        custody_head=log[-1].hash,
        _bag=plain,
        _top=bag.top,
        safety=contents.safety,
        withdrawn_safety=withdrawn.get("safety") is True,
    )
