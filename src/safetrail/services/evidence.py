"""Evidence items: original files kept byte for byte, and records of physical items.

A file is hashed and encrypted in one pass as it arrives; the hash, size, name and media type are
fixed from then on. Only the description, source, capture time and handling notes can be edited,
and each edit is a new version.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, func, select

from safetrail.models.enums import EvidenceKind
from safetrail.models.evidence import EvidenceDescription, EvidenceItem, FileFacts, exhibit_ref
from safetrail.models.filenames import safe_filename
from safetrail.models.jsonvalue import JsonObject, as_object
from safetrail.services import entities
from safetrail.services.casebook import Casebook
from safetrail.services.errors import InvalidInput, NotFound, SafetrailError
from safetrail.storage import repository
from safetrail.storage.schema import evidence as evidence_table
from safetrail.vault.atomic import atomic_output
from safetrail.vault.blobstore import StoredBlob

KIND: entities.Kind = "evidence"

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
    (b"SQLite format 3\x00", "application/vnd.sqlite3"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/vnd.ms-outlook"),
)


@dataclass(frozen=True, slots=True)
class AddedEvidence:
    item: EvidenceItem
    already_present: bool


def guess_media_type(filename: str, head: bytes) -> str:
    """From the first bytes where they are telling, else from the name; never executes anything."""
    for signature, media_type in _SIGNATURES:
        if head.startswith(signature):
            return media_type
    if head[8:12] in (b"WEBP",) and head.startswith(b"RIFF"):
        return "image/webp"
    guessed, _ = mimetypes.guess_type(filename, strict=False)
    return guessed or "application/octet-stream"


def _to_item(entity_id: int, version: int, data: JsonObject) -> EvidenceItem:
    kind, ref, acquired, facts, parent = EvidenceItem.fixed_from_data(data)
    return EvidenceItem(
        id=entity_id,
        uid=str(data["uid"]),
        version=version,
        kind=kind,
        exhibit_ref=ref,
        acquired_at=acquired,
        file=facts,
        description=EvidenceDescription.from_data(as_object(data["description"])),
        parent_id=parent,
        removed=bool(data.get("removed", False)),
    )


def _next_exhibit_number(conn: Connection) -> int:
    """Exhibit numbers go up by one and are never reused: removed items keep theirs."""
    return int(conn.execute(select(func.max(evidence_table.c.exhibit_number))).scalar() or 0) + 1


def find_by_sha256(conn: Connection, sha256: str) -> int | None:
    """The first evidence item holding these bytes. Plain SQL: imports ask once per attachment."""
    row = conn.exec_driver_sql(_FIND_BY_SHA256, (sha256,)).first()
    return None if row is None else int(row[0])


_FIND_BY_SHA256 = "SELECT id FROM evidence WHERE sha256 = ? ORDER BY id LIMIT 1"


class ItemBatch:
    """New evidence items written together, as `store_item` would write them one by one.

    Ids and exhibit numbers are given out here as items are added (the next free ones when the
    batch starts), so the caller has each id at once; `write` then stores every item, its first
    version and its custody entry with one INSERT per table. Nothing else may create evidence
    items in the same transaction while a batch holds unwritten items: the numbers would clash,
    and the INSERT fails rather than reuse one.
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._pending: list[entities.NewEntity] = []
        self._next_id = 0
        self._next_number = 0
        self._initials = ""
        self._shas: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._pending)

    def add(
        self,
        kind: EvidenceKind,
        acquired_at: datetime,
        description: EvidenceDescription,
        blob: StoredBlob | None = None,
        filename: str = "",
        media_type: str = "",
        parent_id: int | None = None,
    ) -> int:
        """Give the item its id and exhibit number; it is stored by the next `write`."""
        if not self._pending:
            self._initials = repository.get_meta(self._conn, "initials") or "EX"
            self._next_id = repository.next_entity_id(self._conn, KIND)
            self._next_number = _next_exhibit_number(self._conn)
        entity_id, number = self._next_id, self._next_number
        self._next_id += 1
        self._next_number += 1
        ref = exhibit_ref(self._initials, number)
        facts = (
            FileFacts(blob.sha256, blob.size, filename, media_type).to_data()
            if blob is not None
            else None
        )
        data: JsonObject = {
            "uid": entities.new_uid(),
            "removed": False,
            "kind": kind.value,
            "exhibit_number": number,
            "exhibit_ref": ref,
            "acquired_at": acquired_at.isoformat(),
            "file": facts,
            "blob_name": blob.name if blob is not None else None,
            "parent_id": parent_id,
            "description": description.to_data(),
        }
        self._pending.append(entities.NewEntity(entity_id, data, {"exhibit_ref": ref}))
        if blob is not None:
            self._shas.setdefault(blob.sha256, entity_id)
        return entity_id

    def find_by_sha256(self, sha256: str) -> int | None:
        """The first item with these bytes: one already stored, else one waiting in this batch."""
        stored = find_by_sha256(self._conn, sha256)
        return stored if stored is not None else self._shas.get(sha256)

    def write(self) -> None:
        """Store every waiting item (one INSERT per table); the batch is then empty."""
        if self._pending:
            entities.create_many(self._conn, KIND, self._pending)
            self._pending = []
            self._shas.clear()


def store_item(
    conn: Connection,
    kind: EvidenceKind,
    acquired_at: datetime,
    description: EvidenceDescription,
    blob: StoredBlob | None = None,
    filename: str = "",
    media_type: str = "",
    parent_id: int | None = None,
) -> int:
    """Write a new evidence item inside the caller's transaction; returns its id."""
    batch = ItemBatch(conn)
    entity_id = batch.add(kind, acquired_at, description, blob, filename, media_type, parent_id)
    batch.write()
    return entity_id


def _store_blob(book: Casebook, path: Path, *, sync: bool = True) -> tuple[StoredBlob, bytes]:
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
            handle.seek(0)
            return book.blobs.put_file(handle, sync=sync), head
    except FileNotFoundError:
        raise InvalidInput(f"There is no file at {path}.") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a folder. Please choose the files inside it.") from None
    except PermissionError:
        raise InvalidInput(f"Safetrail is not allowed to read {path}.") from None


def add_files(
    book: Casebook, paths: list[Path], description: EvidenceDescription | None = None
) -> list[AddedEvidence]:
    """Keep original files, all in one transaction: either every file is added or none is.

    Each file is hashed and encrypted first; the same bytes added again return the item already
    kept. A file that cannot be read stops the whole batch before anything is recorded.
    """
    stored = [(path, *_store_blob(book, path, sync=False)) for path in paths]
    book.blobs.sync(blob.name for _, blob, _ in stored)
    results: list[tuple[int, bool]] = []
    with book.transaction() as conn:
        for path, blob, head in stored:
            existing = find_by_sha256(conn, blob.sha256)
            if existing is not None:
                results.append((existing, True))
                continue
            entity_id = store_item(
                conn,
                EvidenceKind.FILE,
                repository.now_utc(),
                description or EvidenceDescription(),
                blob,
                path.name,
                guess_media_type(path.name, head),
            )
            results.append((entity_id, False))
    return [AddedEvidence(get_evidence(book, i), present) for i, present in results]


def add_file(
    book: Casebook, path: Path, description: EvidenceDescription | None = None
) -> AddedEvidence:
    """Keep one original file (see add_files)."""
    return add_files(book, [path], description)[0]


def add_physical(
    book: Casebook, description: EvidenceDescription, photo: Path | None = None
) -> EvidenceItem:
    """Record a letter, gift or other item, optionally with a photo of it."""
    if not description.description.strip():
        raise InvalidInput("Please describe the item, for example 'Card left on my car'.")
    blob = None
    head = b""
    if photo is not None:
        try:
            with photo.open("rb") as handle:
                head = handle.read(64)
                handle.seek(0)
                blob = book.blobs.put_file(handle)
        except OSError as exc:
            raise InvalidInput(f"The photo {photo} cannot be read ({type(exc).__name__}).") from exc
    with book.transaction() as conn:
        entity_id = store_item(
            conn,
            EvidenceKind.PHYSICAL,
            repository.now_utc(),
            description,
            blob,
            photo.name if photo else "",
            guess_media_type(photo.name, head) if photo else "",
        )
    return get_evidence(book, entity_id)


def get_evidence(book: Casebook, evidence_id: int) -> EvidenceItem:
    with book.read() as conn:
        version, data = entities.load(conn, KIND, evidence_id)
    return _to_item(evidence_id, version, data)


def find_evidence(book: Casebook, key: str) -> EvidenceItem:
    """By number (3) or exhibit reference (JS/3)."""
    if key.isdigit():
        return get_evidence(book, int(key))
    with book.read() as conn:
        row = conn.execute(
            select(evidence_table.c.id).where(evidence_table.c.exhibit_ref == key.strip().upper())
        ).first()
    if row is None:
        raise NotFound(f"There is no evidence item {key}.")
    return get_evidence(book, int(row.id))


def list_evidence(book: Casebook, include_removed: bool = False) -> list[EvidenceItem]:
    with book.read() as conn:
        rows = entities.current_rows(conn, KIND, include_removed)
    return [_to_item(i, v, d) for i, v, d in rows]


def edit_description(
    book: Casebook, evidence_id: int, description: EvidenceDescription
) -> EvidenceItem:
    with book.transaction() as conn:
        _, data = entities.load(conn, KIND, evidence_id)
        entities.update(conn, KIND, evidence_id, {**data, "description": description.to_data()})
    return get_evidence(book, evidence_id)


def remove_evidence(book: Casebook, evidence_id: int, reason: str) -> EvidenceItem:
    with book.transaction() as conn:
        entities.set_removed(conn, KIND, evidence_id, True, reason)
    return get_evidence(book, evidence_id)


def export_original(book: Casebook, evidence_id: int, out: Path, overwrite: bool = False) -> Path:
    """Write the original bytes to `out`, checked against the SHA-256 taken when it arrived."""
    item = get_evidence(book, evidence_id)
    with book.read() as conn:
        _, data = entities.load(conn, KIND, evidence_id)
    blob_name = data.get("blob_name")
    if item.file is None or not isinstance(blob_name, str):
        raise InvalidInput(f"{item.exhibit_ref} is a record of a physical item with no file.")
    target = (
        out / safe_filename(item.file.original_filename, item.exhibit_ref) if out.is_dir() else out
    )
    if target.exists() and not overwrite:
        raise InvalidInput(f"{target} already exists. Choose another name, or a folder.")
    digest = hashlib.sha256()
    with atomic_output(target) as sink:
        for chunk in book.blobs.read_chunks(blob_name):
            digest.update(chunk)
            sink.write(chunk)
        if digest.hexdigest() != item.file.sha256:
            raise SafetrailError(
                f"The stored copy of {item.exhibit_ref} does not match its recorded SHA-256. "
                "Nothing was written. Run 'safetrail verify' to see what is wrong."
            )
    with book.transaction() as conn:
        repository.append_log(
            conn, "export", KIND, {"sha256": item.file.sha256}, evidence_id, item.version
        )
    return target
