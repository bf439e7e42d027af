"""Did a change to the import path change what an import stores? Run this with the old code and
the new code on the same files and compare the two outputs line by line.

    python -m benchmarks.import_equivalence BOOK FILE...        (BOOK is made afresh)
    PYTHONPATH=/path/to/old/src python -m benchmarks.import_equivalence BOOK2 FILE...

Each file is imported, in the order given, into one new casebook; then a SHA-256 is printed over
every `records`, `import_warnings` and `record_tags` row, every evidence row and version, and
every custody-log entry, leaving out only what differs from run to run by design: uids, clock
times, blob names (an HMAC under the casebook's own key), the casebook's id and key file name,
and the hashes that cover those (`data_sha256`, the chain's own hashes). The import entries are
kept whole. The last line says whether `verify_casebook` (what `safetrail verify` runs) found
the casebook sound.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Connection

from safetrail.services.casebook import create_casebook
from safetrail.services.ingest import ImportFailed, IngestOptions, ingest
from safetrail.services.verify import verify_casebook

PASSPHRASE = "import equivalence"
RANDOM_KEYS = ("uid", "acquired_at", "blob_name")
RANDOM_DETAILS = ("data_sha256", "casebook_id", "keyfile")


def _digest(rows: Iterable[object]) -> str:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(json.dumps(row, sort_keys=True, default=str).encode())
        digest.update(b"\n")
        count += 1
    return f"{count} rows, sha256 {digest.hexdigest()[:16]}"


def _without(text: str, keys: tuple[str, ...]) -> object:
    value = json.loads(text)
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k not in keys}
    return value


def _table(conn: Connection, sql: str) -> list[tuple[object, ...]]:
    return [tuple(row) for row in conn.exec_driver_sql(sql)]


def fingerprint(conn: Connection) -> list[str]:
    lines = [
        f"records: {_digest(_table(conn, 'SELECT * FROM records ORDER BY id'))}",
        f"import_warnings: {_digest(_table(conn, 'SELECT * FROM import_warnings ORDER BY id'))}",
        "record_tags: "
        + _digest(_table(conn, "SELECT * FROM record_tags ORDER BY record_id, tag, rule, start")),
        f"records_fts: {_table(conn, 'SELECT count(*) FROM records_fts')[0][0]} rows",
    ]
    evidence = [
        (*row[:-1], _without(str(row[-1]), RANDOM_KEYS))
        for row in _table(
            conn,
            "SELECT id, version, removed, exhibit_number, exhibit_ref, kind, sha256, size,"
            " parent_id, data FROM evidence ORDER BY id",
        )
    ]
    versions = [
        (*row[:-1], _without(str(row[-1]), RANDOM_KEYS))
        for row in _table(
            conn, "SELECT kind, entity_id, version, log_seq, data FROM versions ORDER BY log_seq"
        )
    ]
    log = [
        (*row[:-1], _without(str(row[-1]), () if row[1] == "import" else RANDOM_DETAILS))
        for row in _table(
            conn,
            "SELECT seq, action, kind, entity_id, version, details FROM custody_log ORDER BY seq",
        )
    ]
    lines += [
        f"evidence: {_digest(evidence)}",
        f"versions: {_digest(versions)}",
        f"custody log: {_digest(log)}",
        f"import entries: {_digest(entry for entry in log if entry[1] == 'import')}",
    ]
    return lines


def run(book_dir: Path, files: list[Path]) -> list[str]:
    shutil.rmtree(book_dir, ignore_errors=True)
    book = create_casebook(book_dir, PASSPHRASE, "EQ")
    lines: list[str] = []
    try:
        for path in files:
            try:
                result = ingest(book, path, IngestOptions())
            except ImportFailed as exc:
                lines.append(f"{path.name}: failed: {exc}")
                continue
            lines.append(
                f"{path.name}: {result.records} records, {result.duplicates} duplicates, "
                f"{result.attachments} attachments, {result.warnings_total} warnings, "
                f"{result.exhibit_ref}{' (already imported)' if result.already_imported else ''}"
            )
        with book.read() as conn:
            lines += fingerprint(conn)
        problems = verify_casebook(book).problems
        lines.append("verify: sound" if not problems else f"verify: {problems[:5]}")
    finally:
        book.close()
    return lines


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit("usage: python -m benchmarks.import_equivalence BOOK FILE...")
    print("\n".join(run(Path(sys.argv[1]), [Path(arg) for arg in sys.argv[2:]])))
