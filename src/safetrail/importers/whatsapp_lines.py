"""Reading a chat text line by line in bounded pieces, with each line's byte offset."""

from __future__ import annotations

import lzma
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO

from safetrail.importers.base import ImportFormatError
from safetrail.models.record import Locator

BOM = b"\xef\xbb\xbf"
STREAM_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, RuntimeError)
"""What reading a file, or a member of a damaged, encrypted or odd zip, can raise."""
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def raw_lines(
    stream: IO[bytes], max_line_bytes: int, member: str | None
) -> Iterator[tuple[int, int, bytes]]:
    """(line number, byte offset of its content, content without the line break).

    Never holds more than one line (at most `max_line_bytes`) in memory. A UTF-8 byte order mark
    is left out of the first line's content and counted in its offset.
    """
    readline = stream.readline
    limit = max_line_bytes + 2
    offset = 0
    number = 0
    while True:
        try:
            raw = readline(limit)
        except STREAM_ERRORS as exc:
            raise ImportFormatError(
                f"the chat could not be read to the end ({exc})",
                Locator(line_start=number + 1, byte_start=offset, member=member),
            ) from exc
        if not raw:
            return
        number += 1
        start = offset
        offset += len(raw)
        if number == 1:
            if raw.startswith(_UTF16_BOMS):
                raise ImportFormatError(
                    "this chat is saved as UTF-16; WhatsApp writes UTF-8, so it may have been "
                    "re-saved by another program",
                    Locator(line_start=1, byte_start=0, member=member),
                )
            if raw.startswith(BOM):
                raw = raw[3:]
                start = 3
        content = raw.rstrip(b"\n")
        if content.endswith(b"\r"):
            content = content[:-1]
        if len(content) > max_line_bytes or (len(raw) == limit and not raw.endswith(b"\n")):
            raise ImportFormatError(
                f"line {number} is longer than {max_line_bytes} bytes, too long for a chat line",
                Locator(line_start=number, byte_start=start, member=member),
            )
        yield number, start, content
