from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from safetrail.vault.blobstore import BlobStore

KEY = b"k" * 32
NAME_KEY = b"n" * 32


def test_put_read_and_dedupe(tmp_path: Path) -> None:
    store = BlobStore(tmp_path, KEY, NAME_KEY)
    data = os.urandom(3 * 1024 * 1024 + 5)
    first = store.put_file(io.BytesIO(data))
    second = store.put_bytes(data)
    assert first == second
    assert first.sha256 == hashlib.sha256(data).hexdigest()
    assert first.name != first.sha256
    assert store.read_bytes(first.name) == data
    assert store.all_names() == {first.name}
    assert store.check(first.name, first.sha256, first.size) is None


def test_flipped_byte_and_missing_blob(tmp_path: Path) -> None:
    store = BlobStore(tmp_path, KEY, NAME_KEY)
    blob = store.put_bytes(b"evidence bytes")
    path = store.path_for(blob.name)
    raw = bytearray(path.read_bytes())
    raw[-3] ^= 0xFF
    path.write_bytes(bytes(raw))
    problem = store.check(blob.name, blob.sha256, blob.size)
    assert problem is not None and "damaged" in problem
    path.unlink()
    assert store.check(blob.name, blob.sha256, blob.size) == "the stored file is missing"


def test_blob_from_another_store_is_refused(tmp_path: Path) -> None:
    ours = BlobStore(tmp_path / "a", KEY, NAME_KEY)
    theirs = BlobStore(tmp_path / "b", b"x" * 32, NAME_KEY)
    blob = theirs.put_bytes(b"someone else's")
    target = ours.path_for(blob.name)
    target.parent.mkdir(parents=True)
    target.write_bytes(theirs.path_for(blob.name).read_bytes())
    problem = ours.check(blob.name, blob.sha256, blob.size)
    assert problem is not None and "another casebook" in problem


def test_swapped_blobs_fail_the_hash_check(tmp_path: Path) -> None:
    store = BlobStore(tmp_path, KEY, NAME_KEY)
    a, b = store.put_bytes(b"first"), store.put_bytes(b"second")
    path_a, path_b = store.path_for(a.name), store.path_for(b.name)
    raw_a, raw_b = path_a.read_bytes(), path_b.read_bytes()
    path_a.write_bytes(raw_b)
    path_b.write_bytes(raw_a)
    assert store.check(a.name, a.sha256, a.size) is not None


def test_interrupted_write_leaves_no_blob(tmp_path: Path) -> None:
    store = BlobStore(tmp_path, KEY, NAME_KEY)

    def chunks() -> Iterator[bytes]:
        yield b"partial"
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        store.put_chunks(chunks())
    assert store.all_names() == set()
    assert not any((tmp_path / "staging").iterdir())


def test_staging_folder_removed_after_first_use_is_made_again(tmp_path: Path) -> None:
    store = BlobStore(tmp_path, KEY, NAME_KEY)
    store.put_bytes(b"first")
    (tmp_path / "staging").rmdir()
    second = store.put_bytes(b"second")
    assert store.read_bytes(second.name) == b"second"
