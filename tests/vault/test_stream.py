from __future__ import annotations

import io
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safetrail.vault.stream import (
    CHUNK_SIZE,
    HEADER,
    TAG_SIZE,
    DecryptingReader,
    EncryptingWriter,
    StreamError,
    decrypt_chunks,
)

KEY = bytes(range(32))
OTHER_KEY = bytes(reversed(range(32)))


def seal(data: bytes, key: bytes = KEY, purpose: bytes = b"test") -> bytes:
    sink = io.BytesIO()
    writer = EncryptingWriter(sink, key, purpose)
    for start in range(0, len(data), 100_000):
        writer.write(data[start : start + 100_000])
    writer.close()
    return sink.getvalue()


def open_sealed(sealed: bytes, key: bytes = KEY, purpose: bytes = b"test") -> bytes:
    return b"".join(decrypt_chunks(io.BytesIO(sealed), key, purpose))


@pytest.mark.parametrize(
    "size", [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE, 3 * CHUNK_SIZE + 7]
)
def test_round_trip_at_chunk_boundaries(size: int) -> None:
    data = os.urandom(size)
    sealed = seal(data)
    assert open_sealed(sealed) == data
    chunks = max(1, -(-size // CHUNK_SIZE))
    assert len(sealed) == HEADER.size + size + chunks * TAG_SIZE


def test_plaintext_does_not_appear_in_ciphertext() -> None:
    marker = b"MARKER-the-stalker-said-this" * 10
    assert marker[:20] not in seal(marker)


def test_wrong_key_and_wrong_purpose_fail() -> None:
    sealed = seal(b"hello")
    with pytest.raises(StreamError):
        open_sealed(sealed, key=OTHER_KEY)
    with pytest.raises(StreamError):
        open_sealed(sealed, purpose=b"other")


def test_truncation_at_a_chunk_boundary_is_detected() -> None:
    sealed = seal(os.urandom(2 * CHUNK_SIZE + 10))
    cut = sealed[: HEADER.size + 2 * (CHUNK_SIZE + TAG_SIZE)]
    with pytest.raises(StreamError):
        open_sealed(cut)


def test_swapped_chunks_are_detected() -> None:
    sealed = seal(os.urandom(3 * CHUNK_SIZE))
    size = CHUNK_SIZE + TAG_SIZE
    first = sealed[HEADER.size : HEADER.size + size]
    second = sealed[HEADER.size + size : HEADER.size + 2 * size]
    swapped = sealed[: HEADER.size] + second + first + sealed[HEADER.size + 2 * size :]
    with pytest.raises(StreamError):
        open_sealed(swapped)


def test_not_a_stream() -> None:
    with pytest.raises(StreamError):
        open_sealed(b"hello world, this is plain text")
    with pytest.raises(StreamError):
        open_sealed(b"")


def test_reader_reads_in_any_sizes() -> None:
    data = os.urandom(CHUNK_SIZE + 12345)
    reader = DecryptingReader(io.BytesIO(seal(data)), KEY, b"test")
    parts = [reader.read(1000), reader.read(CHUNK_SIZE), reader.read()]
    assert b"".join(parts) == data
    assert reader.read(10) == b""


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=5000), flip=st.integers(min_value=0))
def test_any_single_flipped_byte_is_detected(data: bytes, flip: int) -> None:
    sealed = bytearray(seal(data))
    position = flip % len(sealed)
    sealed[position] ^= 0x01
    with pytest.raises(StreamError):
        open_sealed(bytes(sealed))


@pytest.mark.parametrize("piece", [1, 4096, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 5 << 20])
def test_chunks_do_not_depend_on_how_the_bytes_are_written(
    piece: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same bytes give the same stream whatever the sizes of the writes (fixed nonce)."""
    monkeypatch.setattr("safetrail.vault.stream.os.urandom", lambda n: b"\x07" * n)
    data = os.urandom(3 * CHUNK_SIZE + 5) if piece > 1 else os.urandom(CHUNK_SIZE + 3)
    whole = io.BytesIO()
    writer = EncryptingWriter(whole, KEY, b"test")
    writer.write(data)
    writer.close()
    pieces = io.BytesIO()
    writer = EncryptingWriter(pieces, KEY, b"test")
    for start in range(0, len(data), piece):
        writer.write(memoryview(data)[start : start + piece])
    writer.close()
    assert pieces.getvalue() == whole.getvalue()
    chunks = -(-len(data) // CHUNK_SIZE)
    assert len(whole.getvalue()) == HEADER.size + len(data) + chunks * TAG_SIZE
    assert open_sealed(whole.getvalue()) == data
