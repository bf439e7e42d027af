"""`ingest`: keep an export as evidence, parse it, and store its records, all or nothing.

The original is hashed and encrypted first. The records, the attachments (each its own evidence
item), the warnings and one custody-log entry are written in a single transaction: a file that
fails leaves nothing behind but a clear error naming the place in the file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, lru_cache
from operator import itemgetter
from pathlib import Path

from sqlalchemy import Connection, func, insert, select

from safetrail.importers.base import (
    AmbiguousDateOrder,
    DateOrder,
    Importer,
    ImportFormatError,
    ImportOptions,
    Source,
)
from safetrail.importers.registry import ImporterRegistry, UnknownFormat
from safetrail.models.enums import EvidenceKind
from safetrail.models.evidence import EvidenceDescription
from safetrail.models.jsonvalue import JsonObject, canonical_json
from safetrail.models.record import Attachment, ParseWarning, Record
from safetrail.models.timeutil import utc_key
from safetrail.services import entities
from safetrail.services.casebook import Casebook
from safetrail.services.errors import InvalidInput, SafetrailError
from safetrail.services.evidence import ItemBatch, find_by_sha256, guess_media_type, store_item
from safetrail.services.identity import IdentityMap, sender_key
from safetrail.services.tagging import ensure_current as ensure_tags_current
from safetrail.services.tagging import tag_rows
from safetrail.storage import repository
from safetrail.storage.schema import custody_log, import_warnings, records
from safetrail.vault.blobstore import StoredBlob
from safetrail.vault.crashpoint import crash_point

BATCH = 2000
IMPORT_CACHE_KIB = 64 * 1024
MAX_STORED_WARNINGS = 10_000
ATTACHMENT_BATCH = 256
ATTACHMENT_DESCRIPTION = EvidenceDescription(description="Attachment taken from an imported export")
Progress = Callable[[int, int], None]

_canonical = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
"""canonical_json with its encoder built once: the same text, without a new encoder per call."""
_digest_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class ImportFailed(SafetrailError):
    """The file could not be imported. Nothing from it was kept."""


class DateOrderNeeded(ImportFailed):
    """Every date in the file reads both day-first and month-first: the person must choose."""


@dataclass(frozen=True, slots=True)
class IngestOptions:
    format: str | None = None
    timezone: str | None = None
    date_order: DateOrder | None = None
    me: tuple[str, ...] = ()
    subject_id: int | None = None
    column_map: dict[str, str] = field(default_factory=dict)


@dataclass
class IngestResult:
    file: Path
    format: str
    evidence_id: int
    exhibit_ref: str
    records: int = 0
    duplicates: int = 0
    attachments: int = 0
    warnings: list[str] = field(default_factory=list)
    warnings_total: int = 0
    already_imported: bool = False

    def to_json(self) -> JsonObject:
        return {
            "file": str(self.file),
            "format": self.format,
            "evidence_id": self.evidence_id,
            "exhibit_ref": self.exhibit_ref,
            "records": self.records,
            "duplicates": self.duplicates,
            "attachments": self.attachments,
            "warnings": list(self.warnings),
            "warnings_total": self.warnings_total,
            "already_imported": self.already_imported,
        }


@lru_cache(maxsize=1)
def registry() -> ImporterRegistry:
    """Built-ins plus installed plugins, loaded once per process."""
    loaded = ImporterRegistry()
    loaded.discover()
    return loaded


def choose_importer(source: Source, head: bytes, wanted: str | None) -> Importer:
    reg = registry()
    if wanted:
        try:
            return reg.get(wanted)
        except UnknownFormat as exc:
            raise InvalidInput(str(exc)) from None
    importer = reg.detect(source, head)
    if importer is None:
        from safetrail.importers.image import missing_decoder_hint

        hint = missing_decoder_hint(head)
        known = (
            f"{hint} "
            if hint
            else f"If you know it, name it with --format (one of: {', '.join(reg.names())}). "
        )
        raise ImportFailed(
            f"Safetrail does not recognise the format of {source.display_name}. {known}"
            "You can still keep the file as evidence with 'safetrail evidence add'."
        )
    return importer


def ingest(
    book: Casebook, path: Path, options: IngestOptions, progress: Progress | None = None
) -> IngestResult:
    """Import one file. Raises ImportFailed (nothing kept) or InvalidInput."""
    try:
        before = path.stat()
        with path.open("rb") as handle:
            head = handle.read(4096)
            handle.seek(0)
            blob = book.blobs.put_file(handle)
    except FileNotFoundError:
        raise InvalidInput(f"There is no file at {path}.") from None
    except IsADirectoryError:
        raise InvalidInput(
            f"{path} is a folder. Please choose the export file inside it."
        ) from None
    source = Source(path=path, display_name=path.name, sha256=blob.sha256, size=blob.size)
    new_blobs: list[StoredBlob] = [blob]
    try:
        importer = choose_importer(source, head, options.format)
    except BaseException:
        _forget_unused(book, new_blobs)
        raise
    try:
        with book.transaction() as conn:
            # A 64 MiB page cache for this import: its index inserts (dedupe_key above all) land
            # on random pages, and with SQLite's default 2 MB cache each one means decrypting
            # and re-encrypting pages again and again. The engine opens a new connection for
            # each transaction (NullPool), so the setting ends with this one.
            conn.exec_driver_sql(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
            result = _ingest_in_transaction(
                book, conn, source, head, importer, options, new_blobs, progress
            )
            after = path.stat()
            if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
                raise ImportFailed(
                    f"{path.name} changed while it was being imported. Nothing was kept."
                )
            book.blobs.sync(b.name for b in new_blobs)
            crash_point("ingest-parsed")
    except AmbiguousDateOrder as exc:
        _forget_unused(book, new_blobs)
        raise DateOrderNeeded(f"{path.name}: {exc.describe()}") from exc
    except ImportFormatError as exc:
        _forget_unused(book, new_blobs)
        raise ImportFailed(
            f"{path.name} could not be imported: {exc.describe()}. Nothing was kept."
        ) from exc
    except BaseException:
        _forget_unused(book, new_blobs)
        raise
    return result


def _forget_unused(book: Casebook, blobs: list[StoredBlob]) -> None:
    """Remove blobs this import wrote that no evidence item uses (the import was rolled back)."""
    from safetrail.storage.schema import evidence

    with book.read() as conn:
        used = set(
            conn.execute(
                select(evidence.c.blob_name).where(
                    evidence.c.blob_name.in_([b.name for b in blobs])
                )
            ).scalars()
        )
    for blob in blobs:
        if blob.name not in used:
            book.blobs.path_for(blob.name).unlink(missing_ok=True)


def _importer_label(importer: Importer) -> str:
    return f"{importer.name}@{importer.version}"


def _previous_import(conn: Connection, evidence_id: int, importer: Importer) -> JsonObject | None:
    rows = conn.execute(
        select(custody_log.c.details).where(
            custody_log.c.action == "import",
            custody_log.c.entity_id == evidence_id,
        )
    ).scalars()
    for details in rows:
        parsed = json.loads(details)
        if isinstance(parsed, dict) and parsed.get("importer") == _importer_label(importer):
            return parsed
    return None


def _ingest_in_transaction(
    book: Casebook,
    conn: Connection,
    source: Source,
    head: bytes,
    importer: Importer,
    options: IngestOptions,
    new_blobs: list[StoredBlob],
    progress: Progress | None,
) -> IngestResult:
    ensure_tags_current(conn)
    existing = find_by_sha256(conn, source.sha256)
    if existing is not None:
        previous = _previous_import(conn, existing, importer)
        if previous is not None:
            _, data = entities.load(conn, "evidence", existing)
            return IngestResult(
                file=source.path,
                format=importer.name,
                evidence_id=existing,
                exhibit_ref=str(data["exhibit_ref"]),
                duplicates=int(str(previous.get("records_added", 0))),
                already_imported=True,
            )
        evidence_id = existing
    else:
        evidence_id = store_item(
            conn,
            EvidenceKind.FILE,
            repository.now_utc(),
            EvidenceDescription(description=f"{importer.label} imported by Safetrail"),
            new_blobs[0],
            source.display_name,
            guess_media_type(source.display_name, head),
        )
    if options.subject_id is not None:
        entities.load(conn, "subject", options.subject_id)
    _, evidence_data = entities.load(conn, "evidence", evidence_id)
    writer = _RecordWriter(book, conn, evidence_id, importer, options, new_blobs)
    parse_options = ImportOptions(
        timezone=options.timezone or book.setting("timezone") or "Europe/London",
        date_order=options.date_order,
        me=options.me,
        column_map=options.column_map,
    )
    for item in importer.parse(source, parse_options):
        writer.add(item)
        if progress and writer.seen % 5000 == 0:
            progress(writer.seen, _bytes_done(item))
    writer.flush()
    writer.finish_attachments()
    writer.log(parse_options)
    return IngestResult(
        file=source.path,
        format=importer.name,
        evidence_id=evidence_id,
        exhibit_ref=str(evidence_data["exhibit_ref"]),
        records=writer.added,
        duplicates=writer.duplicates,
        attachments=writer.attachment_items,
        warnings=writer.warning_texts[:50],
        warnings_total=writer.warnings_total,
    )


def _bytes_done(item: Record | ParseWarning) -> int:
    return item.locator.byte_end or 0


def dedupe_identity(record: Record, key: str | None, occurred_iso: str | None = None) -> str:
    """What makes two records the same message, whichever export they came from.

    `occurred_iso` may pass `record.occurred_at.isoformat()` when the caller has it already.
    """
    if record.external_id:
        return _canonical(["id", record.channel, record.thread, record.external_id])
    return _canonical(
        [
            record.kind.value,
            record.channel,
            record.thread,
            (occurred_iso or record.occurred_at.isoformat())
            if record.occurred_at
            else record.timestamp_text,
            key,
            record.text,
            record.title,
            record.call_type.value if record.call_type else None,
            record.duration_seconds,
        ]
    )


LONE_SURROGATE_WARNING = (
    "text held a character that is not valid Unicode (half of a surrogate pair); "
    "it was replaced with \ufffd"
)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _record_strings(record: Record) -> list[str]:
    """Every text a Record carries that `without_lone_surrogates` would walk (StrEnum values
    and times aside: those are never lone surrogates)."""
    loc = record.locator
    texts = [
        record.channel,
        record.timestamp_text,
        record.text,
        record.timezone_assumed or "",
        record.ambiguity or "",
        record.sender or "",
        record.sender_address or "",
        record.thread or "",
        record.title or "",
        record.external_id or "",
        loc.row or "",
        loc.member or "",
    ]
    texts.extend(record.recipients)
    for pair in record.extra:
        texts.extend(pair)
    for attachment in record.attachments:
        texts.append(attachment.filename)
        texts.append(attachment.media_type)
        texts.append(attachment.missing or "")
    return texts


def record_without_lone_surrogates(record: Record) -> Record:
    """`without_lone_surrogates` for a record, with a fast answer for the usual clean one.

    A surrogate is one code point, so it shows in the joined text exactly when it is in one of
    the parts; only then is the record walked field by field.
    """
    joined = "".join(_record_strings(record))
    if joined.isascii() or not _LONE_SURROGATE.search(joined):
        return record
    repaired = without_lone_surrogates(record)
    assert isinstance(repaired, Record)
    return repaired


def without_lone_surrogates(value: object) -> object:
    """The value with lone UTF-16 surrogates replaced by U+FFFD; the same object if none.

    A JSON escape such as \\ud800 decodes to a string that cannot be stored as UTF-8. Records,
    their attachments and locators are dataclasses and tuples of strings, walked here.
    """
    if isinstance(value, str):
        if value.isascii() or not _LONE_SURROGATE.search(value):
            return value
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, tuple):
        items = tuple(without_lone_surrogates(v) for v in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for spec in dataclasses.fields(value):
            old = getattr(value, spec.name)
            new = without_lone_surrogates(old)
            if new is not old:
                changes[spec.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value


class _RecordWriter:
    """Buffers records, drops duplicates, stores attachments, and writes in batches."""

    def __init__(
        self,
        book: Casebook,
        conn: Connection,
        evidence_id: int,
        importer: Importer,
        options: IngestOptions,
        new_blobs: list[StoredBlob],
    ) -> None:
        self.book = book
        self.conn = conn
        self.evidence_id = evidence_id
        self.importer_label = _importer_label(importer)
        self.options = options
        self.new_blobs = new_blobs
        self.identities = IdentityMap.load(conn)
        self.next_id = int(conn.execute(select(func.max(records.c.id))).scalar() or 0) + 1
        self.first_id = self.next_id
        # Keys are unique within one import (each identity carries its occurrence count), so a
        # duplicate can only be a record kept before it: with none, there is nothing to look up.
        self.earlier_records = conn.execute(select(records.c.id).limit(1)).first() is not None
        self.pending: list[dict[str, object]] = []
        self.occurrences: dict[bytes, int] = {}
        self.batch_keys: set[str] = set()
        self.digest = hashlib.sha256()
        self.warning_digest = hashlib.sha256()
        self.seen = self.added = self.duplicates = self.attachment_items = 0
        self.warnings_total = 0
        self.warning_texts: list[str] = []
        self.next_warning_id = (
            int(conn.execute(select(func.max(import_warnings.c.id))).scalar() or 0) + 1
        )
        self.first_warning_id = self.next_warning_id

    def add(self, item: Record | ParseWarning) -> None:
        if isinstance(item, ParseWarning):
            self._warn(item.message, item.locator.describe())
            return
        self.seen += 1
        repaired = record_without_lone_surrogates(item)
        if repaired is not item:
            self._warn(LONE_SURROGATE_WARNING, item.locator.describe())
            item = repaired
        key = sender_key(item.sender, item.sender_address)
        occurred_iso = item.occurred_at.isoformat() if item.occurred_at else None
        identity = dedupe_identity(item, key, occurred_iso)
        # Counted by a 128-bit digest of the identity, not the text: a million messages' texts
        # would hold hundreds of MB.
        seen = hashlib.blake2b(identity.encode(), digest_size=16).digest()
        count = self.occurrences.get(seen, 0)
        self.occurrences[seen] = count + 1
        dedupe_key = hashlib.sha256(f"{identity}#{count}".encode()).hexdigest()
        self.pending.append(self._row(item, key, dedupe_key, occurred_iso))
        if len(self.pending) >= BATCH:
            self.flush()

    def _row(
        self, record: Record, key: str | None, dedupe_key: str, occurred_iso: str | None
    ) -> dict[str, object]:
        subject_id = self.identities.subject_for(key, record.recipients)
        if subject_id is None:
            subject_id = self.options.subject_id
        occurred = record.occurred_at
        return {
            "evidence_id": self.evidence_id,
            "importer": self.importer_label,
            "kind": record.kind.value,
            "channel": record.channel,
            "occurred_utc": repository_utc(occurred),
            "occurred_at": occurred_iso,
            "timestamp_text": record.timestamp_text,
            "timezone_assumed": record.timezone_assumed,
            "ambiguity": record.ambiguity,
            "sender": record.sender,
            "sender_address": record.sender_address,
            "sender_key": key,
            "recipients": _canonical(list(record.recipients)) if record.recipients else "[]",
            "direction": record.direction.value,
            "thread": record.thread,
            "text": record.text,
            "title": record.title,
            "call_type": record.call_type.value if record.call_type else None,
            "duration_seconds": record.duration_seconds,
            "external_id": record.external_id,
            "locator": locator_json(record),
            "attachments": record.attachments,
            "extra": _canonical(dict(record.extra)) if record.extra else "{}",
            "dedupe_key": dedupe_key,
            "subject_id": subject_id,
        }

    def flush(self) -> None:
        if not self.pending:
            return
        present: set[str] = set()
        if self.earlier_records:
            keys = [str(row["dedupe_key"]) for row in self.pending]
            present.update(
                self.conn.execute(
                    select(records.c.dedupe_key).where(records.c.dedupe_key.in_(keys))
                ).scalars()
            )
        # Keys written by earlier batches are in `present` (this transaction sees its own rows),
        # so only this batch's keys need holding.
        self.batch_keys.clear()
        fresh: list[dict[str, object]] = []
        for row in self.pending:
            key = str(row["dedupe_key"])
            if key in present or key in self.batch_keys:
                self.duplicates += 1
                continue
            self.batch_keys.add(key)
            attachments: tuple[Attachment, ...] = row["attachments"]  # type: ignore[assignment]
            row["attachments"] = (
                _canonical(self._store_attachments(attachments)) if attachments else "[]"
            )
            row["id"] = self.next_id
            self.next_id += 1
            self.digest.update(record_digest_text(row).encode())
            fresh.append(row)
        self.pending.clear()
        if fresh:
            columns = tuple(fresh[0])
            values = itemgetter(*columns)
            self.conn.exec_driver_sql(_insert_sql(columns), [values(row) for row in fresh])
            self.conn.exec_driver_sql(
                "INSERT INTO records_fts(rowid, text, sender, title) VALUES (?, ?, ?, ?)",
                [(r["id"], r["text"], r["sender"] or "", r["title"] or "") for r in fresh],
            )
            tag_rows(self.conn, fresh)
            self.added += len(fresh)

    def _store_attachments(self, attachments: tuple[Attachment, ...]) -> list[JsonObject]:
        stored: list[JsonObject] = []
        for attachment in attachments:
            entry: JsonObject = {
                "filename": attachment.filename,
                "media_type": attachment.media_type,
                "missing": attachment.missing,
                "evidence_id": None,
            }
            if attachment.data is not None:
                entry["evidence_id"] = self._attachment_item(attachment)
            stored.append(entry)
        return stored

    def _attachment_item(self, attachment: Attachment) -> int:
        assert attachment.data is not None
        blob = self.book.blobs.put_bytes(attachment.data, sync=False)
        self.new_blobs.append(blob)
        existing = self._attachment_batch.find_by_sha256(blob.sha256)
        if existing is not None:
            return existing
        self.attachment_items += 1
        entity_id = self._attachment_batch.add(
            EvidenceKind.FILE,
            repository.now_utc(),
            ATTACHMENT_DESCRIPTION,
            blob,
            attachment.filename,
            attachment.media_type or guess_media_type(attachment.filename, attachment.data[:64]),
            parent_id=self.evidence_id,
        )
        if len(self._attachment_batch) >= ATTACHMENT_BATCH:
            self._attachment_batch.write()
        return entity_id

    @cached_property
    def _attachment_batch(self) -> ItemBatch:
        """The attachments' evidence items, written a batch at a time (see finish_attachments)."""
        return ItemBatch(self.conn)

    def finish_attachments(self) -> None:
        """Store the attachment items still waiting; call before anything else is logged."""
        self._attachment_batch.write()

    def _warn(self, message: str, location: str) -> None:
        self.warnings_total += 1
        text = f"{message} ({location})" if location != "whole file" else message
        if len(self.warning_texts) < 50:
            self.warning_texts.append(text)
        if self.warnings_total <= MAX_STORED_WARNINGS:
            self.warning_digest.update(canonical_json([message, location]).encode())
            self.conn.execute(
                insert(import_warnings).values(
                    id=self.next_warning_id,
                    evidence_id=self.evidence_id,
                    message=message,
                    location=location,
                )
            )
            self.next_warning_id += 1

    def log(self, options: ImportOptions) -> None:
        details: JsonObject = {
            "importer": self.importer_label,
            "records_added": self.added,
            "duplicates": self.duplicates,
            "first_record_id": self.first_id if self.added else None,
            "last_record_id": self.next_id - 1 if self.added else None,
            "records_sha256": self.digest.hexdigest(),
            "warnings": self.warnings_total,
            "warnings_sha256": self.warning_digest.hexdigest(),
            "first_warning_id": self.first_warning_id,
            "last_warning_id": self.next_warning_id - 1,
            "timezone": options.timezone,
            "date_order": options.date_order,
            "me": list(options.me),
        }
        repository.append_log(self.conn, "import", "evidence", details, self.evidence_id)


def repository_utc(value: object) -> str | None:
    return utc_key(value) if isinstance(value, datetime) else None


def locator_json(record: Record) -> str:
    """The canonical JSON of `locator_data`, written directly when the locator holds only
    whole numbers (the usual case), with the same keys in the same sorted order."""
    loc = record.locator
    if loc.row is not None or loc.member is not None:
        return _canonical(locator_data(record))
    parts: list[str] = []
    for name, value in (
        ("byte_end", loc.byte_end),
        ("byte_start", loc.byte_start),
        ("line_end", loc.line_end),
        ("line_start", loc.line_start),
    ):
        if value is None:
            continue
        if type(value) is not int:
            return _canonical(locator_data(record))
        parts.append(f'"{name}":{value}')
    return "{" + ",".join(parts) + "}"


def locator_data(record: Record) -> JsonObject:
    loc = record.locator
    data: JsonObject = {
        "line_start": loc.line_start,
        "line_end": loc.line_end,
        "byte_start": loc.byte_start,
        "byte_end": loc.byte_end,
        "row": loc.row,
        "member": loc.member,
    }
    return {k: v for k, v in data.items() if v is not None}


DIGEST_COLUMNS = (
    "id",
    "evidence_id",
    "importer",
    "kind",
    "channel",
    "occurred_utc",
    "occurred_at",
    "timestamp_text",
    "timezone_assumed",
    "ambiguity",
    "sender",
    "sender_address",
    "recipients",
    "direction",
    "thread",
    "text",
    "title",
    "call_type",
    "duration_seconds",
    "external_id",
    "locator",
    "attachments",
    "extra",
    "dedupe_key",
)


_digest_values = itemgetter(*DIGEST_COLUMNS)


@lru_cache(maxsize=4)
def _insert_sql(columns: tuple[str, ...]) -> str:
    """The INSERT for rows with these keys. Every records column is plain TEXT or INTEGER, so
    the values go to the driver as they are, as SQLAlchemy's insert() would send them."""
    unknown = set(columns) - set(records.c.keys())
    if unknown:
        raise ValueError(f"not columns of records: {sorted(unknown)}")
    return f"INSERT INTO records ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"


def record_digest_text(row: Mapping[str, object]) -> str:
    """The importer's output for one record, as hashed into the import's custody entry.

    The person's later corrections (subject, direction) are not part of it; they are logged on
    their own.
    """
    return _digest_json(list(_digest_values(row))) + "\n"


def iter_import_entries(conn: Connection) -> Iterator[tuple[int, JsonObject]]:
    for seq, details in conn.execute(
        select(custody_log.c.seq, custody_log.c.details).where(custody_log.c.action == "import")
    ):
        parsed = json.loads(details)
        if isinstance(parsed, dict):
            yield int(seq), parsed
