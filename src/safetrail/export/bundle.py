"""The evidence bundle: a BagIt bag, zipped, that anyone can check without Safetrail.

The bundle is plaintext by design. It is what the person hands to the police, a solicitor or a
court, so the originals inside it are decrypted. While it is built, the decrypted files live
only in a private temporary folder (mode 0700) that is removed whatever happens.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import json
import os
import shutil
import tempfile
import time
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import bagit

from safetrail.export.selection import Selection
from safetrail.models.evidence import EvidenceItem
from safetrail.models.filenames import safe_filename
from safetrail.models.incident import Incident
from safetrail.models.jsonvalue import JsonObject, canonical_json
from safetrail.models.timeutil import to_iso
from safetrail.services import entities
from safetrail.services.casebook import Casebook
from safetrail.services.errors import SafetrailError
from safetrail.services.evidence import list_evidence
from safetrail.services.incidents import list_incidents
from safetrail.services.records import MAX_LIMIT, RecordFilter, RecordView, list_records
from safetrail.storage import repository
from safetrail.vault.atomic import fsync_dir
from safetrail.vault.crashpoint import crash_point
from safetrail.vault.custody import GENESIS_HASH, LogEntry

CSV_COLUMNS = (
    "id",
    "exhibit",
    "kind",
    "channel",
    "occurred_at",
    "timestamp_text",
    "timezone_assumed",
    "sender",
    "sender_address",
    "direction",
    "text",
    "locator",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ORIGINALS = "originals"
EXTERNAL_DESCRIPTION = (
    "Evidence bundle exported by Safetrail: the original files byte for byte, the records "
    "imported from them, the diary of incidents and the hash-chained custody log."
)
README_TEXT = """\
Safetrail evidence bundle
=========================

This folder is a BagIt bag (RFC 8493). It is NOT encrypted: keep it as safely as the
originals. You can check it without Safetrail.

What is inside
--------------
data/originals/      the original files, byte for byte, as they were added to the casebook
data/evidence.json   each exhibit: reference, original file name, size and SHA-256
data/records.json    the messages, calls and emails imported from the originals
data/records.csv     the same records as a spreadsheet (cells that begin with = + - or @
                     have a ' in front so that a spreadsheet never runs them)
data/incidents.json  the diary of incidents
data/custody-log.jsonl  every custody log entry, one JSON object a line
data/report/report.pdf   the report (PDF/A-2b) and the same report as a web page
data/report/report.html  (report.html opens offline and fetches nothing)
data/report/case.jsonld  the files, their hashes and how they came in, as CASE/UCO JSON-LD
bag-info.txt         when the bag was made; Custody-Log-Head is the hash of the last entry

1. Check every file against its SHA-256
---------------------------------------
Unzip the bundle, go into the bag folder (the one holding this data/ folder), and run:

    sha256sum -c manifest-sha256.txt

Every line must end in OK and the command must exit 0. This finds changed and missing files.
To find files that were added, count the files and compare with the second number of
Payload-Oxum in bag-info.txt (octets.files):

    find data -type f | wc -l

Or, with Python and the bagit library (pip install bagit):

    python3 -c "import bagit; bagit.Bag('.').validate(); print('valid')"

2. Recompute the custody chain
------------------------------
Each entry's hash is the SHA-256 of its fields (without "hash") as JSON with sorted keys, no
spaces and UTF-8 kept; each entry's prev_hash is the hash of the entry before it (64 zeros for
the first). Run this inside the bag folder:

    python3 - <<'EOF'
    import hashlib, json
    prev = "0" * 64
    for line in open("data/custody-log.jsonl", encoding="utf-8"):
        entry = json.loads(line)
        digest = entry.pop("hash")
        body = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert entry["prev_hash"] == prev, f"entry {entry['seq']} does not follow"
        assert hashlib.sha256(body.encode("utf-8")).hexdigest() == digest, entry["seq"]
        prev = digest
    print("chain intact, head", prev)
    EOF

The head it prints must equal Custody-Log-Head in bag-info.txt.
"""


@dataclass(frozen=True, slots=True)
class BundleSelection:
    """Which records and incidents go in (by time and person). Every original file goes in,
    unless `evidence_ids` names the exhibits; `incident_ids` and `record_evidence_ids` (records
    taken from those exhibits) narrow the rest the same way. None means no narrowing."""

    start: datetime | None = None
    end: datetime | None = None
    subject_id: int | None = None
    include_private_notes: bool = False
    incident_ids: frozenset[int] | None = None
    evidence_ids: frozenset[int] | None = None
    record_evidence_ids: frozenset[int] | None = None


@dataclass(frozen=True, slots=True)
class BundleSummary:
    path: Path
    sha256: str
    files: int
    originals: int
    records: int
    incidents: int
    log_head: str

    def to_json(self) -> JsonObject:
        return {
            "path": str(self.path),
            "sha256": self.sha256,
            "files": self.files,
            "originals": self.originals,
            "records": self.records,
            "incidents": self.incidents,
            "log_head": self.log_head,
        }


def csv_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ (formula) gets a ' before it."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def payload_name(item: EvidenceItem) -> str:
    """'JS-1_screenshot.png': no separators, and no % or \\ that manifests would escape."""
    original = item.file.original_filename if item.file else ""
    name = safe_filename(original, item.exhibit_ref)
    name = name.replace("%", "_").replace("\\", "_")
    return f"{item.exhibit_ref.replace('/', '-')}_{name}"


def _records_of(
    book: Casebook, selection: BundleSelection, evidence_id: int | None
) -> Iterator[RecordView]:
    offset = 0
    while True:
        page = list_records(
            book,
            RecordFilter(
                subject_id=selection.subject_id,
                start=selection.start,
                end=selection.end,
                evidence_id=evidence_id,
                limit=MAX_LIMIT,
                offset=offset,
            ),
        )
        yield from page
        if len(page) < MAX_LIMIT:
            return
        offset += len(page)


def _all_records(book: Casebook, selection: BundleSelection) -> Iterator[RecordView]:
    """In time order; with `record_evidence_ids`, exhibit by exhibit, each in time order."""
    if selection.record_evidence_ids is None:
        yield from _records_of(book, selection, None)
        return
    for evidence_id in sorted(selection.record_evidence_ids):
        yield from _records_of(book, selection, evidence_id)


def _selected_incidents(book: Casebook, selection: BundleSelection) -> list[Incident]:
    chosen: list[Incident] = []
    for incident in list_incidents(book):
        when = incident.details.occurred_start
        if selection.start is not None and when < selection.start:
            continue
        if selection.end is not None and when >= selection.end:
            continue
        if selection.subject_id is not None and incident.details.subject_id != selection.subject_id:
            continue
        if selection.incident_ids is not None and incident.id not in selection.incident_ids:
            continue
        chosen.append(incident)
    return chosen


def _incident_json(incident: Incident, include_private_notes: bool) -> JsonObject:
    details = incident.details.to_data()
    if not include_private_notes:
        details.pop("private_notes", None)
    return {
        "id": incident.id,
        "version": incident.version,
        "recorded_at": to_iso(incident.recorded_at),
        "written_at": to_iso(incident.written_at),
        **details,
    }


def _records_csv(records: list[RecordView]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        row = [
            str(record.id),
            record.exhibit_ref,
            record.kind,
            record.channel,
            record.occurred_at or "",
            record.timestamp_text,
            record.timezone_assumed or "",
            record.sender or "",
            record.sender_address or "",
            record.direction,
            record.text,
            canonical_json(record.locator),
        ]
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()


def _write_json(path: Path, value: list[JsonObject]) -> None:
    """A JSON list with one item a line: readable, and written by json's fast C encoder (an
    indented dump of 100,000 records took seconds in the pure-Python one)."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("[\n")
        for index, item in enumerate(value):
            handle.write(("," if index else "") + json.dumps(item, ensure_ascii=False) + "\n")
        handle.write("]\n")


def _write_originals(
    book: Casebook, folder: Path, chosen: frozenset[int] | None
) -> list[JsonObject]:
    """Decrypt every (chosen) original into `folder`, checking each against its SHA-256."""
    listed: list[JsonObject] = []
    folder.mkdir(mode=0o700)
    for item in list_evidence(book):
        if chosen is not None and item.id not in chosen:
            continue
        entry: JsonObject = {"id": item.id, **item.to_data(), "payload": None}
        if item.file is not None:
            with book.read() as conn:
                _, data = entities.load(conn, "evidence", item.id)
            blob_name = data.get("blob_name")
            if isinstance(blob_name, str):
                name = payload_name(item)
                digest = hashlib.sha256()
                with (folder / name).open("xb") as sink:
                    for chunk in book.blobs.read_chunks(blob_name):
                        digest.update(chunk)
                        sink.write(chunk)
                if digest.hexdigest() != item.file.sha256:
                    raise SafetrailError(
                        f"The stored copy of {item.exhibit_ref} does not match its recorded "
                        "SHA-256, so no bundle was written. Run 'safetrail verify'."
                    )
                entry["payload"] = f"data/{ORIGINALS}/{name}"
        listed.append(entry)
    return listed


def report_selection(selection: BundleSelection) -> Selection:
    """The report in the bundle covers the same period, person and private notes choice."""
    return Selection(
        start=selection.start,
        end=selection.end,
        subject_id=selection.subject_id,
        include_private_notes=selection.include_private_notes,
    )


def _write_report(book: Casebook, folder: Path, selection: BundleSelection) -> None:
    """The report (PDF and HTML) and the CASE/UCO description, under data/report/."""
    from safetrail.export.case_uco import write_case
    from safetrail.export.report.build import build_report
    from safetrail.export.report.html import render_html
    from safetrail.export.report.pdf import render_pdf

    folder.mkdir(mode=0o700)
    chosen = report_selection(selection)
    report = build_report(book, chosen)
    (folder / "report.pdf").write_bytes(render_pdf(report))
    (folder / "report.html").write_text(render_html(report), encoding="utf-8")
    write_case(book, folder / "case.jsonld", chosen)


def stage_bag(
    book: Casebook,
    bag_dir: Path,
    selection: BundleSelection,
    *,
    extra_files: Mapping[str, bytes] | None = None,
    description: str = EXTERNAL_DESCRIPTION,
    with_report: bool = True,
) -> tuple[str, int, int]:
    """Write the payload into `bag_dir` and make it a bag. (log head, records, incidents).

    `extra_files` maps paths under data/ (e.g. "share/consent.json") to their bytes. A share
    package sends only the reports its consent names, so it passes `with_report=False`.
    """
    evidence = _write_originals(book, bag_dir / ORIGINALS, selection.evidence_ids)
    _write_json(bag_dir / "evidence.json", evidence)
    records = list(_all_records(book, selection))
    _write_json(bag_dir / "records.json", [record.to_json() for record in records])
    (bag_dir / "records.csv").write_text(_records_csv(records), encoding="utf-8", newline="")
    incidents = _selected_incidents(book, selection)
    _write_json(
        bag_dir / "incidents.json",
        [_incident_json(incident, selection.include_private_notes) for incident in incidents],
    )
    with book.read() as conn:
        entries: list[LogEntry] = list(repository.log_entries(conn))
    head = entries[-1].hash if entries else GENESIS_HASH
    lines = [canonical_json(asdict(entry)) + "\n" for entry in entries]
    (bag_dir / "custody-log.jsonl").write_text("".join(lines), encoding="utf-8")
    (bag_dir / "README.txt").write_text(README_TEXT, encoding="utf-8")
    if with_report:
        _write_report(book, bag_dir / "report", selection)
    for relative, content in (extra_files or {}).items():
        target = bag_dir / relative
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        target.write_bytes(content)
    bagit.make_bag(
        str(bag_dir),
        bag_info={
            "External-Description": description,
            "Custody-Log-Head": head,
            "Safetrail-Casebook": book.casebook_id,
        },
        checksums=["sha256"],
    )
    return head, len(records), len(incidents)


def zip_bag(bag_dir: Path, out: Path, top: str) -> tuple[str, int]:
    """Zip the bag to `out` atomically, every entry under `top/`. (zip SHA-256, files).

    The zip is written inside the staging folder (beside `out`, so the rename is atomic): a
    half-written zip of plaintext left by a crash is then removed with the rest of the staging.
    """
    files = sorted(path for path in bag_dir.rglob("*") if path.is_file())
    part = bag_dir.parent / "bundle.zip.part"
    with part.open("xb") as handle:
        with zipfile.ZipFile(handle, "w") as archive:
            for path in files:
                relative = path.relative_to(bag_dir).as_posix()
                stored = relative.startswith(f"data/{ORIGINALS}/")
                archive.write(
                    path,
                    f"{top}/{relative}",
                    compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED,
                )
        handle.flush()
        os.fsync(handle.fileno())
    crash_point("bundle-zipped")
    part.replace(out)
    fsync_dir(out.parent)
    digest = hashlib.sha256()
    with out.open("rb") as written:
        for chunk in iter(lambda: written.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest(), len(files)


STAGING_PREFIX = ".safetrail-bundle-"
STAGING_LOCK = ".in-use"
UNLOCKED_GRACE_SECONDS = 600


def _hold(staging: Path) -> int:
    """Mark a staging folder as in use for as long as this process lives (an flock)."""
    fd = os.open(staging / STAGING_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def remove_stale_staging(folder: Path) -> int:
    """Remove plaintext staging folders left beside an output by a bundle that was killed.

    A folder is stale when no live process holds its lock; the OS drops the lock when a
    process dies, however it dies.
    """
    removed = 0
    for candidate in folder.glob(f"{STAGING_PREFIX}*"):
        if not candidate.is_dir() or candidate.is_symlink():
            continue
        try:
            fd = os.open(candidate / STAGING_LOCK, os.O_RDONLY)
        except FileNotFoundError:
            # killed before it was locked, or just made by a bundle about to lock it
            if time.time() - candidate.stat().st_mtime > UNLOCKED_GRACE_SECONDS:
                shutil.rmtree(candidate, ignore_errors=True)
                removed += 1
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue
        finally:
            os.close(fd)
        shutil.rmtree(candidate, ignore_errors=True)
        removed += 1
    return removed


def write_bundle(
    book: Casebook, out: Path, selection: BundleSelection | None = None
) -> BundleSummary:
    """Write the evidence bundle (a zipped BagIt bag, plaintext by design) to `out`.

    The export is logged in the custody log after the zip is in place. The bag is staged in a
    private folder beside `out` (never in the system temp folder, which must hold no plaintext)
    and removed whatever happens.
    """
    chosen = selection or BundleSelection()
    top = safe_filename(out.stem, "safetrail-bundle")
    remove_stale_staging(out.parent)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out.parent))
    staging.chmod(0o700)
    in_use = _hold(staging)
    try:
        bag_dir = staging / top
        bag_dir.mkdir(mode=0o700)
        head, records, incidents = stage_bag(book, bag_dir, chosen)
        originals = sum(1 for _ in (bag_dir / "data" / ORIGINALS).iterdir())
        crash_point("bundle-staged")
        sha256, files = zip_bag(bag_dir, out, top)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        os.close(in_use)
    with book.transaction() as conn:
        repository.append_log(
            conn, "bundle", "casebook", {"sha256": sha256, "files": files, "log_head": head}
        )
    return BundleSummary(out, sha256, files, originals, records, incidents, head)
