"""An encrypted single-file backup of a whole casebook, and restoring it bit for bit.

Layout: a short plain header ("SAFETRAIL-BACKUP 1", the key file, which is itself sealed by the
passphrase), then one encrypted stream holding a tar of the casebook's files and a manifest of
their SHA-256 hashes. Restoring needs the passphrase that was in use when the backup was made.
"""

from __future__ import annotations

import hashlib
import io
import json
import secrets
import shutil
import struct
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from sqlalchemy import text

from safetrail.services.casebook import BLOBS, DATABASE, HEAD, KEYFILE, Casebook, open_casebook
from safetrail.services.errors import CasebookExists, SafetrailError
from safetrail.storage import repository
from safetrail.vault.atomic import atomic_output
from safetrail.vault.crashpoint import crash_point
from safetrail.vault.keys import derive_subkeys, unwrap_master_key
from safetrail.vault.stream import CHUNK_SIZE, DecryptingReader, EncryptingWriter, StreamError

MAGIC = b"SAFETRAIL-BACKUP 1\n"
PURPOSE = b"safetrail/backup"
MANIFEST = "MANIFEST.json"
MAX_KEYFILE_BYTES = 64 * 1024


class BackupError(SafetrailError):
    pass


@dataclass(frozen=True, slots=True)
class BackupSummary:
    path: Path
    files: int
    bytes: int
    log_head: str


def _casebook_files(book: Casebook) -> Iterator[tuple[str, Path]]:
    yield KEYFILE, book.root / KEYFILE
    yield DATABASE, book.root / DATABASE
    if (book.root / HEAD).exists():
        yield HEAD, book.root / HEAD
    blob_root = book.root / BLOBS
    if blob_root.exists():
        for sub in sorted(blob_root.iterdir()):
            if sub.is_dir() and len(sub.name) == 2:
                for blob in sorted(sub.iterdir()):
                    yield f"{BLOBS}/{sub.name}/{blob.name}", blob


class _HashingReader:
    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.digest.update(data)
        return data


def create_backup(book: Casebook, out: Path) -> BackupSummary:
    """Write the backup to `out` atomically. The casebook stays open and locked meanwhile."""
    with book.engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        head = repository.last_head(conn)
    keyfile = (book.root / KEYFILE).read_bytes()
    manifest: dict[str, str] = {}
    total = 0
    with atomic_output(out) as sink:
        sink.write(MAGIC + struct.pack(">I", len(keyfile)) + keyfile)
        writer = EncryptingWriter(sink, book.keys.backup, PURPOSE)
        with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as archive:  # type: ignore[call-overload]
            for name, path in _casebook_files(book):
                info = tarfile.TarInfo(name)
                info.size = path.stat().st_size
                info.mode = 0o600
                with path.open("rb") as handle:
                    hashing = _HashingReader(handle)
                    archive.addfile(info, hashing)
                manifest[name] = hashing.digest.hexdigest()
                total += info.size
            body = json.dumps({"files": manifest, "log_head": head.hash}, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
        writer.close()
    with book.transaction() as conn:
        repository.append_log(
            conn, "backup", "casebook", {"files": len(manifest), "log_head": head.hash}
        )
    return BackupSummary(out, len(manifest), total, head.hash)


def _read_header(handle: BinaryIO, path: Path) -> dict[str, object]:
    if handle.read(len(MAGIC)) != MAGIC:
        raise BackupError(f"{path} is not a Safetrail backup.")
    (length,) = struct.unpack(">I", handle.read(4).rjust(4, b"\0"))
    if not 0 < length <= MAX_KEYFILE_BYTES:
        raise BackupError(f"{path} is damaged (its header is not valid).")
    try:
        keyfile = json.loads(handle.read(length))
    except ValueError as exc:
        raise BackupError(f"{path} is damaged (its header cannot be read).") from exc
    if not isinstance(keyfile, dict):
        raise BackupError(f"{path} is damaged (its header is not valid).")
    return keyfile


def _allowed_member(name: str) -> bool:
    parts = PurePosixPath(name).parts
    if name in (KEYFILE, DATABASE, HEAD, MANIFEST):
        return True
    return (
        len(parts) == 3
        and parts[0] == BLOBS
        and len(parts[1]) == 2
        and all(c in "0123456789abcdef" for c in parts[2])
    )


def _extract(reader: DecryptingReader, staging: Path) -> dict[str, str]:
    """Unpack into `staging`, hashing as we go; returns name -> sha256 of what was written."""
    written: dict[str, str] = {}
    with tarfile.open(fileobj=reader, mode="r|") as archive:  # type: ignore[call-overload]
        for member in archive:
            if not member.isfile() or not _allowed_member(member.name) or member.name in written:
                raise BackupError(f"the backup holds an unexpected entry: {member.name!r}")
            source = archive.extractfile(member)
            if source is None:
                raise BackupError(f"the backup entry {member.name!r} cannot be read")
            target = staging / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with target.open("xb") as sink:
                while chunk := source.read(CHUNK_SIZE):
                    digest.update(chunk)
                    sink.write(chunk)
            written[member.name] = digest.hexdigest()
    return written


def restore_backup(backup: Path, target: Path, passphrase: str) -> Casebook:
    """Unpack a backup into a new casebook at `target`, check every hash, then open it."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CasebookExists(f"There is already something at {target}. Restore into a new place.")
    with backup.open("rb") as handle:
        keyfile = _read_header(handle, backup)
        keys = derive_subkeys(unwrap_master_key(keyfile, passphrase))
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = target.parent / f".{target.name}.restoring-{secrets.token_hex(4)}"
        staging.mkdir(mode=0o700)
        try:
            written = _extract(DecryptingReader(handle, keys.backup, PURPOSE), staging)
            _check_manifest(staging, written)
            (staging / MANIFEST).unlink()
            if target.exists():
                target.rmdir()
            crash_point("restore-staged")
            staging.rename(target)
        except (StreamError, tarfile.TarError) as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise BackupError(f"{backup} is damaged and cannot be restored: {exc}") from exc
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return open_casebook(target, passphrase)


def _check_manifest(staging: Path, written: dict[str, str]) -> None:
    try:
        manifest = json.loads((staging / MANIFEST).read_text("utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupError("the backup's list of files is missing or damaged") from exc
    del written[MANIFEST]
    if manifest != written:
        raise BackupError("the files in the backup do not match its list of files")
