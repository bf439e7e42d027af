"""The content-addressed store of original files, each encrypted at rest.

A blob's file name is an HMAC of the plaintext's SHA-256 under a casebook key, so the names say
nothing about the contents, and the same file stored twice is kept once.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from safetrail.vault.atomic import fsync_dir
from safetrail.vault.stream import CHUNK_SIZE, EncryptingWriter, StreamError, decrypt_chunks

PURPOSE = b"safetrail/blob"
SYNC_THREADS = 8


@dataclass(frozen=True, slots=True)
class StoredBlob:
    name: str
    sha256: str
    size: int


def fsync_path(path: Path) -> None:
    """Flush one file or folder to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class BlobMissing(Exception):
    pass


class BlobStore:
    def __init__(self, root: Path, encryption_key: bytes, name_key: bytes) -> None:
        self.root = root
        self._key = encryption_key
        self._name_key = name_key
        self._staging_made = False

    def name_for(self, sha256_hex: str) -> str:
        return hmac.new(self._name_key, bytes.fromhex(sha256_hex), hashlib.sha256).hexdigest()

    def path_for(self, name: str) -> Path:
        return self.root / name[:2] / name

    def _staging(self) -> Path:
        """The staging folder, made on first use (an import stages thousands of files in it)."""
        staging = self.root / "staging"
        if not self._staging_made:
            staging.mkdir(parents=True, exist_ok=True)
            self._staging_made = True
        return staging

    def put_chunks(self, chunks: Iterable[bytes], *, sync: bool = True) -> StoredBlob:
        """Hash and encrypt in one pass; the sealed file is named once the hash is known.

        With sync=False the caller must call `sync` with the returned names before relying on
        them (a batch syncs once at the end instead of waiting on the disk for every file).
        """
        digest = hashlib.sha256()
        size = 0
        tmp = self._staging() / f"{secrets.token_hex(8)}.part"
        try:
            with _create(tmp) as sink:
                writer = EncryptingWriter(sink, self._key, PURPOSE)
                for chunk in chunks:
                    digest.update(chunk)
                    size += len(chunk)
                    writer.write(chunk)
                writer.close()
                sink.flush()
                if sync:
                    os.fsync(sink.fileno())
            sha = digest.hexdigest()
            name = self.name_for(sha)
            final = self.path_for(name)
            if final.exists():
                tmp.unlink()
            else:
                final.parent.mkdir(parents=True, exist_ok=True)
                tmp.replace(final)
                if sync:
                    fsync_dir(final.parent)
            return StoredBlob(name=name, sha256=sha, size=size)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def put_file(self, handle: BinaryIO, *, sync: bool = True) -> StoredBlob:
        return self.put_chunks(iter(lambda: handle.read(CHUNK_SIZE), b""), sync=sync)

    def sync(self, names: Iterable[str]) -> None:
        """Make blobs written with sync=False durable: each file, then each folder once.

        The fsyncs run a few at a time (they wait on the disk, not on Python), so the file
        system can write many of them in one journal commit. Returns only when all are done;
        the first failure is raised.
        """
        paths = sorted({self.path_for(name) for name in names})
        folders = sorted({path.parent for path in paths})
        if len(paths) < 2 * SYNC_THREADS:
            for target in paths + folders:
                fsync_path(target)
            return
        with ThreadPoolExecutor(max_workers=SYNC_THREADS) as pool:
            list(pool.map(fsync_path, paths))
            list(pool.map(fsync_path, folders))

    def put_bytes(self, data: bytes, *, sync: bool = True) -> StoredBlob:
        pieces = [data[i : i + CHUNK_SIZE] for i in range(0, len(data), CHUNK_SIZE)]
        return self.put_chunks(pieces, sync=sync)

    def read_chunks(self, name: str) -> Iterator[bytes]:
        path = self.path_for(name)
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            raise BlobMissing(name) from None
        with handle:
            yield from decrypt_chunks(handle, self._key, PURPOSE)

    def read_bytes(self, name: str) -> bytes:
        return b"".join(self.read_chunks(name))

    def check(self, name: str, expected_sha256: str, expected_size: int) -> str | None:
        """None if the blob decrypts and matches; otherwise what is wrong, in plain words."""
        digest = hashlib.sha256()
        size = 0
        try:
            for chunk in self.read_chunks(name):
                digest.update(chunk)
                size += len(chunk)
        except BlobMissing:
            return "the stored file is missing"
        except StreamError as exc:
            return f"the stored file is damaged: {exc}"
        if digest.hexdigest() != expected_sha256 or size != expected_size:
            return "the stored file does not match the SHA-256 recorded when it arrived"
        return None

    def all_names(self) -> set[str]:
        if not self.root.exists():
            return set()
        return {
            p.name
            for sub in self.root.iterdir()
            if sub.is_dir() and len(sub.name) == 2
            for p in sub.iterdir()
            if p.is_file()
        }

    def clear_staging(self) -> int:
        staging = self.root / "staging"
        removed = 0
        if staging.exists():
            for leftover in staging.iterdir():
                leftover.unlink()
                removed += 1
        return removed


def _create(path: Path) -> BinaryIO:
    """A new file; its folder is made again if it was removed since it was first made."""
    try:
        return path.open("xb")
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.open("xb")
