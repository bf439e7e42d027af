"""`verify`: prove the casebook is intact, or name exactly what is wrong.

Checks, in order: SQLCipher's page authentication and SQLite's integrity check; the custody
log's hash chain and the head record (which catches a database rolled back to an older copy);
every stored version against the hash its log entry holds; every current row against its latest
version; the facts fixed at arrival (hash, size, name, exhibit number, time written) against every
later version; and every original file, decrypted and hashed again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, func, select, text

from safetrail.models.jsonvalue import JsonObject, as_object, canonical_json
from safetrail.services.casebook import HEAD, Casebook
from safetrail.services.entities import project
from safetrail.storage import repository
from safetrail.storage.schema import ENTITY_TABLES, custody_log, import_warnings, records, versions
from safetrail.vault.custody import LogEntry, chain_problems
from safetrail.vault.head import HeadError, read_head

VERSIONED_ACTIONS = frozenset({"create", "edit", "remove", "restore", "link", "confirm", "revoke"})
FIXED_FIELDS: dict[str, tuple[str, ...]] = {
    "subject": ("uid",),
    "incident": ("uid", "recorded_at"),
    "evidence": (
        "uid",
        "kind",
        "exhibit_number",
        "exhibit_ref",
        "acquired_at",
        "file",
        "blob_name",
        "parent_id",
    ),
    "consent": (
        "uid",
        "casebook_id",
        "recipient_key",
        "recipient_fingerprint",
        "valid_from",
        "created_at",
        "notice_public_key",
    ),
    "share_package": (
        "uid",
        "consent_id",
        "consent_version",
        "marker",
        "previous_package_id",
        "created_at",
        "counts",
        "sent",
    ),
}


@dataclass
class VerifyReport:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    log_entries: int = 0
    versions: int = 0
    records: int = 0
    blobs_checked: int = 0
    bytes_checked: int = 0
    head_hash: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_casebook(
    book: Casebook, progress: Callable[[int, int], None] | None = None
) -> VerifyReport:
    report = VerifyReport()
    if book.rollback_suspected:
        report.problems.append(book.rollback_suspected)
    with book.read() as conn:
        _check_database(conn, report)
        entries = _check_log(book, conn, report)
        stored = _check_versions(conn, entries, report)
        _check_current_rows(conn, stored, report)
        _check_fixed_fields(stored, report)
        _check_records(conn, report)
        _check_blobs(book, conn, report, progress)
    return report


def _check_database(conn: Connection, report: VerifyReport) -> None:
    for row in conn.execute(text("PRAGMA cipher_integrity_check")):
        report.problems.append(f"database page check: {row[0]}")
    result = [str(r[0]) for r in conn.execute(text("PRAGMA integrity_check"))]
    if result != ["ok"]:
        report.problems.extend(f"database integrity: {line}" for line in result[:20])


SETTINGS = ("casebook_id", "initials", "timezone", "jurisdiction")


def _check_settings(conn: Connection, entries: list[LogEntry], report: VerifyReport) -> None:
    """The settings table must hold what the log says was last set."""
    logged: dict[str, object] = {}
    for entry in entries:
        if entry.kind == "casebook" and entry.action in ("create", "settings"):
            logged.update({k: v for k, v in entry.details.items() if k in SETTINGS})
    for key in SETTINGS:
        if key in logged and repository.get_meta(conn, key) != logged[key]:
            report.problems.append(f"the setting '{key}' was changed outside Safetrail")


def read_log(conn: Connection, report: VerifyReport) -> list[LogEntry]:
    """Every entry, tolerating damage: an entry that cannot be read is a problem, not a crash."""
    entries: list[LogEntry] = []
    for row in conn.execute(select(custody_log).order_by(custody_log.c.seq)):
        try:
            details = as_object(json.loads(row.details))
        except ValueError:
            report.problems.append(f"custody log entry {row.seq} cannot be read")
            details = {"unreadable": str(row.details)}
        else:
            if canonical_json(details) != row.details:
                report.problems.append(f"custody log entry {row.seq} was rewritten")
        entries.append(
            LogEntry(
                row.seq,
                row.at,
                row.action,
                row.kind,
                row.entity_id,
                row.version,
                details,
                row.prev_hash,
                row.hash,
            )
        )
    return entries


def _check_log(book: Casebook, conn: Connection, report: VerifyReport) -> list[LogEntry]:
    entries = read_log(conn, report)
    report.log_entries = len(entries)
    report.problems.extend(chain_problems(entries))
    _check_settings(conn, entries, report)
    head = repository.last_head(conn)
    report.head_hash = head.hash
    try:
        recorded = read_head(book.root / HEAD, book.keys.head)
    except HeadError as exc:
        report.problems.append(str(exc))
        return entries
    if recorded is None:
        report.notes.append("there was no head record; one has been written")
    elif recorded.seq == head.seq and recorded.hash != head.hash:
        report.problems.append(
            f"custody entry {head.seq} is not the one recorded when it was written"
        )
    by_seq = {e.seq: e for e in entries}
    versioned = {
        e.seq for e in entries if e.kind in ENTITY_TABLES and e.action in VERSIONED_ACTIONS
    }
    version_seqs = {int(s) for s in conn.execute(select(versions.c.log_seq)).scalars()}
    for seq in sorted(versioned - version_seqs):
        entry = by_seq[seq]
        report.problems.append(
            f"custody entry {seq} records version {entry.version} of {entry.kind} "
            f"{entry.entity_id}, but that version is missing"
        )
    return entries


StoredMap = dict[tuple[str, int], list[tuple[int, JsonObject]]]


def _check_versions(conn: Connection, entries: list[LogEntry], report: VerifyReport) -> StoredMap:
    stored: StoredMap = {}
    log = {e.seq: e for e in entries}
    for row in conn.execute(
        select(versions).order_by(versions.c.kind, versions.c.entity_id, versions.c.version)
    ):
        report.versions += 1
        label = f"version {row.version} of {row.kind} {row.entity_id}"
        if repository.sha256_text(row.data) != row.data_sha256:
            report.problems.append(f"{label} was changed after it was written")
        entry = log.get(row.log_seq)
        if entry is None:
            report.problems.append(
                f"{label} has no custody log entry (entry {row.log_seq} is gone)"
            )
        elif (entry.kind, entry.entity_id, entry.version) != (row.kind, row.entity_id, row.version):
            report.problems.append(
                f"{label} points at custody entry {row.log_seq}, which is about something else"
            )
        elif entry.details.get("data_sha256") != row.data_sha256:
            report.problems.append(
                f"{label} does not match the hash in custody entry {row.log_seq}"
            )
        elif entry.at != row.written_at:
            report.problems.append(f"{label} has a different time from its custody entry")
        try:
            data = as_object(json.loads(row.data))
        except ValueError:
            report.problems.append(f"{label} cannot be read")
            continue
        stored.setdefault((row.kind, row.entity_id), []).append((row.version, data))
    return stored


def _check_current_rows(conn: Connection, stored: StoredMap, report: VerifyReport) -> None:
    for kind, table in ENTITY_TABLES.items():
        seen: set[int] = set()
        for row in conn.execute(select(table)):
            seen.add(row.id)
            history = stored.get((kind, row.id))
            if not history:
                report.problems.append(f"{kind} {row.id} has no recorded versions")
                continue
            version, data = history[-1]
            try:
                expected = project(kind, row.id, version, data)
            except (KeyError, ValueError, TypeError):
                report.problems.append(f"{kind} {row.id}: its latest version cannot be read")
                continue
            actual = dict(row._mapping)
            if actual != expected:
                changed = sorted(k for k in expected if actual.get(k) != expected[k])
                report.problems.append(
                    f"{kind} {row.id} was changed outside Safetrail ({', '.join(changed)} "
                    "differ from its logged version)"
                )
        missing = {entity_id for (k, entity_id) in stored if k == kind} - seen
        report.problems.extend(f"{kind} {i} is missing from the casebook" for i in sorted(missing))


def _check_fixed_fields(stored: StoredMap, report: VerifyReport) -> None:
    for (kind, entity_id), history in stored.items():
        first = history[0][1]
        for version, data in history[1:]:
            for name in FIXED_FIELDS.get(kind, ()):
                if data.get(name) != first.get(name):
                    report.problems.append(
                        f"{kind} {entity_id}: '{name}' changed in version {version}; "
                        "it must never change"
                    )


def _check_records(conn: Connection, report: VerifyReport) -> None:
    """Every imported record and warning must be exactly what its import's entry hashed."""
    from safetrail.services.ingest import iter_import_entries, record_digest_text

    expected_records = 0
    for seq, details in iter_import_entries(conn):
        expected_records += int(str(details.get("records_added") or 0))
        first, last = details.get("first_record_id"), details.get("last_record_id")
        digest = hashlib.sha256()
        if isinstance(first, int) and isinstance(last, int):
            query = select(records).where(records.c.id.between(first, last)).order_by(records.c.id)
            for row in conn.execute(query):
                digest.update(record_digest_text(dict(row._mapping)).encode())
        if digest.hexdigest() != details.get("records_sha256"):
            report.problems.append(
                f"records of the import in custody entry {seq} were changed, added or removed"
            )
        warnings = hashlib.sha256()
        first_w, last_w = details.get("first_warning_id"), details.get("last_warning_id")
        if isinstance(first_w, int) and isinstance(last_w, int):
            query = select(import_warnings).where(import_warnings.c.id.between(first_w, last_w))
            for row in conn.execute(query.order_by(import_warnings.c.id)):
                warnings.update(canonical_json([row.message, row.location]).encode())
        if warnings.hexdigest() != details.get("warnings_sha256"):
            report.problems.append(f"warnings of the import in custody entry {seq} were changed")
    actual = int(conn.execute(select(func.count()).select_from(records)).scalar() or 0)
    report.records = actual
    if actual != expected_records:
        report.problems.append(
            f"the casebook holds {actual} imported records, "
            f"but its imports added {expected_records}"
        )


def _check_blobs(
    book: Casebook,
    conn: Connection,
    report: VerifyReport,
    progress: Callable[[int, int], None] | None,
) -> None:
    table = ENTITY_TABLES["evidence"]
    rows = conn.execute(
        select(table.c.exhibit_ref, table.c.blob_name, table.c.sha256, table.c.size).where(
            table.c.blob_name.is_not(None)
        )
    ).all()
    referenced: set[str] = set()
    for index, row in enumerate(rows, start=1):
        referenced.add(row.blob_name)
        problem = book.blobs.check(row.blob_name, row.sha256, row.size)
        if problem:
            report.problems.append(f"exhibit {row.exhibit_ref}: {problem}")
        report.blobs_checked += 1
        report.bytes_checked += int(row.size or 0)
        if progress:
            progress(index, len(rows))
    unexplained = book.blobs.all_names() - referenced
    if unexplained:
        report.notes.append(
            f"{len(unexplained)} stored file(s) belong to no evidence item (left by an "
            "interrupted import); they do no harm"
        )
