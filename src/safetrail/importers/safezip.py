"""Reading zip exports defensively: no climbing out, no bombs, bounded sizes."""

from __future__ import annotations

import lzma
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from safetrail.importers.base import ImportFormatError, Limits
from safetrail.models.record import Locator

# What a damaged member can raise while being read: bad deflate data, a CRC mismatch, a short
# stream, an unsupported or encrypted entry.
MEMBER_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
)


def safe_member_name(name: str) -> str:
    """The member's path if it stays inside the archive; otherwise ImportFormatError."""
    if "\x00" in name:
        raise ImportFormatError("a file inside the zip has a NUL byte in its name")
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or (pure.parts and ":" in pure.parts[0]):
        raise ImportFormatError(
            "a file inside the zip tries to point outside the archive", Locator(member=name)
        )
    return str(pure)


def open_checked_zip(path: Path, limits: Limits) -> zipfile.ZipFile:
    """Open a zip and check every member before anything is read from it."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFormatError(f"this is not a readable zip file: {exc}") from exc
    infos = archive.infolist()
    if len(infos) > limits.max_zip_members:
        archive.close()
        raise ImportFormatError(f"the zip holds too many files ({len(infos)})")
    total = 0
    for info in infos:
        safe_member_name(info.filename)
        total += info.file_size
        ratio_base = max(info.compress_size, 1)
        if info.file_size > 1 << 20 and info.file_size / ratio_base > limits.max_zip_ratio:
            archive.close()
            raise ImportFormatError(
                "a file inside the zip expands far beyond its stored size (a zip bomb?)",
                Locator(member=info.filename),
            )
    if total > limits.max_zip_total_bytes:
        archive.close()
        raise ImportFormatError("the zip expands to more than the allowed size (a zip bomb?)")
    return archive


def read_member(archive: zipfile.ZipFile, name: str, max_bytes: int) -> bytes:
    """Read one member, stopping if it turns out larger than it claimed or than allowed."""
    info = archive.getinfo(name)
    if info.file_size > max_bytes:
        raise ImportFormatError(
            f"a file inside the zip is too large ({info.file_size} bytes)", Locator(member=name)
        )
    pieces: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as handle:
            # In pieces: read(n) reserves all n bytes at once, even for a small member.
            while size <= max_bytes and (piece := handle.read(1 << 20)):
                pieces.append(piece)
                size += len(piece)
    except MEMBER_ERRORS as exc:
        raise ImportFormatError(
            f"a file inside the zip is damaged and cannot be read ({type(exc).__name__})",
            Locator(member=name),
        ) from exc
    data = b"".join(pieces)
    if len(data) > max_bytes:
        raise ImportFormatError(
            "a file inside the zip is larger than allowed", Locator(member=name)
        )
    return data
