"""Files sent from the browser: kept in a private temporary folder only until they are stored.

A batch is the files of one upload. Each file is imported (an export whose messages Safetrail
can read), or kept as an evidence file, or waits for the person to say the date order. The
temporary copies are deleted as soon as each file is stored, the batch's folder as soon as no
question about its files remains, and all of them when the casebook is locked or the app stops.
A folder left by an app that was killed (its process is gone) is removed when the app starts.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, Literal

from safetrail.importers.base import DateOrder, Source
from safetrail.models.filenames import safe_filename
from safetrail.services.casebook import Casebook
from safetrail.services.errors import NotFound, SafetrailError
from safetrail.services.evidence import add_file
from safetrail.services.incidents import link_evidence
from safetrail.services.ingest import DateOrderNeeded, IngestOptions, ingest, registry

Mode = Literal["auto", "import", "keep"]
Status = Literal["waiting", "imported", "kept", "ask_date_order", "failed"]
MODES: tuple[Mode, ...] = ("auto", "import", "keep")
MAX_NAME_BYTES = 200
FOLDER_PREFIX = "safetrail-upload-"
_OWNED_FOLDER = re.compile(re.escape(FOLDER_PREFIX) + r"(?P<pid>\d+)-")
LEGACY_FOLDER_AGE_SECONDS = 24 * 3600


@dataclass
class UploadedFile:
    name: str
    path: Path
    status: Status = "waiting"
    message: str = ""
    exhibit_ref: str = ""
    evidence_id: int | None = None
    format: str = ""
    records: int = 0
    duplicates: int = 0
    attachments: int = 0
    warnings: list[str] = field(default_factory=list)
    warnings_total: int = 0


@dataclass
class UploadBatch:
    token: str
    folder: Path
    mode: Mode
    incident_id: int | None
    files: list[UploadedFile] = field(default_factory=list)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def settle(self) -> None:
        """Remove the folder once no file in it waits for the person's answer."""
        if not any(item.status == "ask_date_order" for item in self.files):
            self.discard()


def stored_name(name: str, index: int) -> str:
    """The file's own name (it is recorded as the original name), made safe as a path."""
    safe = safe_filename(name or "", f"upload-{index}")
    while len(safe.encode("utf-8")) > MAX_NAME_BYTES:
        safe = safe[:-1]
    return safe


def new_batch(mode: Mode, incident_id: int | None) -> UploadBatch:
    folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
    return UploadBatch(secrets.token_urlsafe(16), folder, mode, incident_id)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: not ours to judge
    return True


def remove_abandoned_folders(temp_dir: Path | None = None, now: float | None = None) -> int:
    """Delete upload folders whose app is no longer running (it was killed before it could
    clean up), so no plaintext copy of a person's evidence outlives its app. Folders from
    earlier versions, which carry no process id, go once they are a day old. Returns how many
    were removed."""
    folder = temp_dir or Path(tempfile.gettempdir())
    now = time.time() if now is None else now
    removed = 0
    for path in folder.glob(f"{FOLDER_PREFIX}*"):
        try:
            info = path.lstat()
        except FileNotFoundError:
            continue
        if not path.is_dir() or path.is_symlink() or info.st_uid != os.getuid():
            continue
        owner = _OWNED_FOLDER.match(path.name)
        if owner is not None:
            abandoned = not _running(int(owner["pid"]))
        else:
            abandoned = now - info.st_mtime > LEGACY_FOLDER_AGE_SECONDS
        if abandoned:
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


def add_upload(batch: UploadBatch, name: str, stream: BinaryIO) -> None:
    index = len(batch.files)
    folder = batch.folder / str(index)
    folder.mkdir(mode=0o700)
    path = folder / stored_name(name, index)
    with path.open("xb") as sink:
        shutil.copyfileobj(stream, sink, 1024 * 1024)
    batch.files.append(UploadedFile(name=path.name, path=path))


def _readable_export(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(4096)
    source = Source(path=path, display_name=path.name, sha256="", size=path.stat().st_size)
    return registry().detect(source, head) is not None


def _keep(book: Casebook, item: UploadedFile) -> None:
    added = add_file(book, item.path)
    item.status = "kept"
    item.evidence_id = added.item.id
    item.exhibit_ref = added.item.exhibit_ref
    if added.already_present:
        item.message = f"This file was already kept as {added.item.exhibit_ref}."


def _import(book: Casebook, item: UploadedFile, date_order: DateOrder | None) -> None:
    options = IngestOptions(date_order=date_order)
    try:
        result = ingest(book, item.path, options)
    except DateOrderNeeded as exc:
        item.status = "ask_date_order"
        item.message = str(exc)
        return
    item.status = "imported"
    item.evidence_id = result.evidence_id
    item.exhibit_ref = result.exhibit_ref
    item.format = result.format
    item.records = result.records
    item.duplicates = result.duplicates
    item.attachments = result.attachments
    item.warnings = list(result.warnings)
    item.warnings_total = result.warnings_total
    if result.already_imported:
        item.message = f"This export was already brought in as {result.exhibit_ref}."


def process_file(
    book: Casebook, batch: UploadBatch, item: UploadedFile, date_order: DateOrder | None = None
) -> None:
    """Store one waiting file; afterwards its temporary copy is gone unless a question remains."""
    try:
        if batch.mode == "keep" or (batch.mode == "auto" and not _readable_export(item.path)):
            _keep(book, item)
        else:
            _import(book, item, date_order)
    except SafetrailError as exc:
        item.status = "failed"
        item.message = str(exc)
    if item.status != "ask_date_order":
        item.path.unlink(missing_ok=True)
    if batch.incident_id is not None and item.evidence_id is not None:
        try:
            link_evidence(book, batch.incident_id, item.evidence_id)
        except NotFound:
            batch.incident_id = None


def process_batch(book: Casebook, batch: UploadBatch) -> None:
    for item in batch.files:
        if item.status == "waiting":
            process_file(book, batch, item)


def answer_date_order(
    book: Casebook, batch: UploadBatch, index: int, date_order: DateOrder
) -> None:
    item = batch.files[index]
    if item.status != "ask_date_order":
        return
    item.status, item.message = "waiting", ""
    process_file(book, replace(batch, mode="import"), item, date_order)
    batch.settle()
