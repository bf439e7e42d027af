"""Checking an evidence bundle with no casebook and no passphrase: files, bag and custody chain."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import bagit

from safetrail.importers.base import ImportFormatError, Limits
from safetrail.importers.safezip import open_checked_zip, safe_member_name
from safetrail.models.jsonvalue import JsonObject
from safetrail.vault.custody import LogEntry, chain_problems

MANIFEST = "manifest-sha256.txt"
CUSTODY_LOG = "data/custody-log.jsonl"


@dataclass
class BundleReport:
    path: Path
    problems: list[str] = field(default_factory=list)
    files_checked: int = 0
    log_entries: int = 0
    log_head: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> JsonObject:
        return {
            "path": str(self.path),
            "ok": self.ok,
            "problems": list(self.problems),
            "files_checked": self.files_checked,
            "log_entries": self.log_entries,
            "log_head": self.log_head,
        }


def _decode_path(text: str) -> str:
    """BagIt manifest paths percent-encode CR, LF and %."""
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _extract(path: Path, target: Path) -> Path:
    """Extract the zip safely into `target`; the bag folder (the single top folder)."""
    with open_checked_zip(path, Limits()) as archive:
        tops: set[str] = set()
        for info in archive.infolist():
            name = safe_member_name(info.filename)
            parts = PurePosixPath(name).parts
            if not parts:
                continue
            tops.add(parts[0])
            if info.is_dir() or len(parts) < 2:
                continue
            dest = target.joinpath(*parts)
            dest.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source, dest.open("xb") as sink:
                shutil.copyfileobj(source, sink)
    if len(tops) != 1:
        raise ImportFormatError("the bundle should hold exactly one top folder")
    return target / tops.pop()


def _check_manifest(bag_dir: Path, report: BundleReport) -> None:
    """Name each file that is missing, added or changed against manifest-sha256.txt."""
    manifest = bag_dir / MANIFEST
    if not manifest.is_file():
        report.problems.append(f"{MANIFEST} is missing")
        return
    listed: dict[str, str] = {}
    for number, line in enumerate(manifest.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        digest, _, name = line.partition(" ")
        if len(digest) != 64 or not name:
            report.problems.append(f"{MANIFEST} line {number} is not '<sha256> <path>'")
            continue
        listed[_decode_path(name.lstrip(" *"))] = digest.lower()
    on_disk = {
        path.relative_to(bag_dir).as_posix()
        for path in (bag_dir / "data").rglob("*")
        if path.is_file()
    }
    for name in sorted(on_disk - listed.keys()):
        report.problems.append(f"{name} was added: it is not in {MANIFEST}")
    for name, digest in sorted(listed.items()):
        if name not in on_disk:
            report.problems.append(f"{name} is missing")
        elif _sha256_file(bag_dir / name) != digest:
            report.problems.append(f"{name} was changed: its SHA-256 does not match {MANIFEST}")
        report.files_checked += 1


def _check_bagit(bag_dir: Path, report: BundleReport) -> dict[str, str]:
    """bagit's own full validation. Returns bag-info.txt's fields."""
    try:
        bag = bagit.Bag(str(bag_dir))
    except bagit.BagError as exc:
        report.problems.append(f"this is not a readable BagIt bag: {exc}")
        return {}
    try:
        bag.validate(fast=False)
    except bagit.BagValidationError as exc:
        report.problems.append(f"BagIt validation failed: {exc}")
    info: dict[str, str] = {}
    for key, value in bag.info.items():
        info[str(key)] = str(value[-1] if isinstance(value, list) else value)
    return info


def _read_log(bag_dir: Path, report: BundleReport) -> list[LogEntry]:
    entries: list[LogEntry] = []
    log = bag_dir / CUSTODY_LOG
    if not log.is_file():
        report.problems.append(f"{CUSTODY_LOG} is missing")
        return entries
    for number, line in enumerate(log.read_text("utf-8").splitlines(), start=1):
        try:
            data = json.loads(line)
            entries.append(
                LogEntry(
                    seq=int(data["seq"]),
                    at=str(data["at"]),
                    action=str(data["action"]),
                    kind=str(data["kind"]),
                    entity_id=None if data["entity_id"] is None else int(data["entity_id"]),
                    version=None if data["version"] is None else int(data["version"]),
                    details=dict(data["details"]),
                    prev_hash=str(data["prev_hash"]),
                    hash=str(data["hash"]),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            report.problems.append(f"{CUSTODY_LOG} line {number} cannot be read ({exc})")
    return entries


def _check_custody(bag_dir: Path, info: dict[str, str], report: BundleReport) -> None:
    entries = _read_log(bag_dir, report)
    report.log_entries = len(entries)
    report.problems.extend(chain_problems(entries))
    report.log_head = entries[-1].hash if entries else ""
    recorded = info.get("Custody-Log-Head")
    if recorded is None:
        report.problems.append("bag-info.txt has no Custody-Log-Head")
    elif entries and recorded != report.log_head:
        report.problems.append(
            "the custody log's last hash does not match Custody-Log-Head in bag-info.txt"
        )


def verify_bundle(path: Path) -> BundleReport:
    """Check a bundle zip: every file against the manifest, the bag, and the custody chain."""
    report = BundleReport(path)
    # Beside the bundle, not in the system temp folder: the bundle's contents are plaintext.
    workdir = Path(tempfile.mkdtemp(prefix=".safetrail-verify-", dir=path.parent))
    try:
        try:
            bag_dir = _extract(path, workdir)
        except (ImportFormatError, zipfile.BadZipFile, OSError) as exc:
            report.problems.append(f"the bundle cannot be opened: {exc}")
            return report
        _check_manifest(bag_dir, report)
        info = _check_bagit(bag_dir, report)
        _check_custody(bag_dir, info, report)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return report
