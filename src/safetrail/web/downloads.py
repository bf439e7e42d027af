"""Sending a file the person asked to download (a report, a bundle, a backup) and leaving no
copy of it behind.

The file is written to a private folder beside the casebook. It is opened, then the folder is
deleted at once, before a byte is sent: the open handle still reads it, and nothing is left on
disk even if the browser stops the download half way.
"""

from __future__ import annotations

import os
import shutil
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from starlette.responses import StreamingResponse

CHUNK = 256 * 1024


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    try:
        while chunk := handle.read(CHUNK):
            yield chunk
    finally:
        handle.close()


def send_and_forget(path: Path, media_type: str, filename: str) -> StreamingResponse:
    """Stream `path` as an attachment called `filename` (plain ASCII); delete its folder first."""
    handle = path.open("rb")
    try:
        size = os.fstat(handle.fileno()).st_size
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    chunks = _chunks(handle)
    weakref.finalize(chunks, handle.close)  # also closed if the download never starts
    return StreamingResponse(
        chunks,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Content-Length": str(size),
        },
    )
