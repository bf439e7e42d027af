"""Chunked AES-256-GCM: large files are encrypted and checked in 1 MiB pieces.

Layout: a 17-byte header (magic "STB1", format version, chunk size, 8-byte random nonce prefix),
then the chunks, each sealed with nonce = prefix || chunk counter. The header, the purpose of the
stream and a last-chunk flag are bound in as associated data, so chunks cannot be reordered, cut
off, moved between streams or between purposes without the decryption failing.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"STB1"
FORMAT_VERSION = 1
CHUNK_SIZE = 1 << 20
TAG_SIZE = 16
HEADER = struct.Struct(">4sBI8s")


class StreamError(Exception):
    """The encrypted stream is damaged, cut short, or was sealed with another key."""


def _nonce(prefix: bytes, counter: int) -> bytes:
    return prefix + struct.pack(">I", counter)


def _aad(header: bytes, purpose: bytes, last: bool) -> bytes:
    return header + (b"\x01" if last else b"\x00") + purpose


class EncryptingWriter:
    """Write plaintext in; sealed chunks go to `sink`. Call close() to seal the last chunk."""

    def __init__(self, sink: BinaryIO, key: bytes, purpose: bytes) -> None:
        self._sink = sink
        self._aead = AESGCM(key)
        self._purpose = purpose
        self._prefix = os.urandom(8)
        self._header = HEADER.pack(MAGIC, FORMAT_VERSION, CHUNK_SIZE, self._prefix)
        self._buffer = bytearray()
        self._counter = 0
        self._closed = False
        sink.write(self._header)

    def write(self, data: bytes | bytearray | memoryview) -> int:
        """A full chunk is sealed only once more data arrives (the last one is flagged), and
        each byte is copied once, into the chunk being filled."""
        view = memoryview(data).cast("B")
        position = 0
        while position < len(view):
            if len(self._buffer) == CHUNK_SIZE:
                self._seal(self._buffer, last=False)
                self._buffer = bytearray()
            take = min(CHUNK_SIZE - len(self._buffer), len(view) - position)
            self._buffer += view[position : position + take]
            position += take
        return len(view)

    def _seal(self, chunk: bytes | bytearray, *, last: bool) -> None:
        if self._counter >= 0xFFFFFFFF:
            raise StreamError("stream too long")
        nonce = _nonce(self._prefix, self._counter)
        self._sink.write(self._aead.encrypt(nonce, chunk, _aad(self._header, self._purpose, last)))
        self._counter += 1

    def close(self) -> None:
        if not self._closed:
            self._seal(self._buffer, last=True)
            self._buffer = bytearray()
            self._closed = True


def _read_exact(source: BinaryIO, size: int) -> bytes:
    parts: list[bytes] = []
    remaining = size
    while remaining > 0:
        piece = source.read(remaining)
        if not piece:
            break
        parts.append(piece)
        remaining -= len(piece)
    return b"".join(parts)


def decrypt_chunks(source: BinaryIO, key: bytes, purpose: bytes) -> Iterator[bytes]:
    """Yield the plaintext chunk by chunk; raise StreamError at the first sign of damage."""
    header = _read_exact(source, HEADER.size)
    if len(header) != HEADER.size:
        raise StreamError("the encrypted file is too short to be valid")
    magic, version, chunk_size, prefix = HEADER.unpack(header)
    if magic != MAGIC or version != FORMAT_VERSION or not 0 < chunk_size <= 64 << 20:
        raise StreamError("this is not a Safetrail encrypted file")
    aead = AESGCM(key)
    sealed_size = chunk_size + TAG_SIZE
    counter = 0
    current = _read_exact(source, sealed_size)
    while True:
        following = _read_exact(source, sealed_size)
        last = not following
        if len(current) < TAG_SIZE or (not last and len(current) != sealed_size):
            raise StreamError(f"the encrypted file is cut short (chunk {counter})")
        try:
            plain = aead.decrypt(_nonce(prefix, counter), current, _aad(header, purpose, last))
        except InvalidTag:
            raise StreamError(
                f"chunk {counter} fails its integrity check: the file was changed, cut short, "
                "or sealed with another casebook's key"
            ) from None
        yield plain
        if last:
            return
        current = following
        counter += 1


class DecryptingReader:
    """A read()-only file object over decrypt_chunks, for tarfile and friends."""

    def __init__(self, source: BinaryIO, key: bytes, purpose: bytes) -> None:
        self._chunks = decrypt_chunks(source, key, purpose)
        self._buffer = b""
        self._done = False

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            try:
                self._buffer += next(self._chunks)
            except StopIteration:
                self._done = True
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data
