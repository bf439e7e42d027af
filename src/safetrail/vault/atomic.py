"""Writing files so that a crash leaves either the old file or the new one, never half of one."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from safetrail.vault.crashpoint import crash_point


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """Yield a temporary file beside `path`; on success it replaces `path` in one step."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    handle = tmp.open("xb")
    try:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        crash_point("atomic-written")
        tmp.replace(path)
        fsync_dir(path.parent)
    except BaseException:
        handle.close()
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_output(path) as handle:
        handle.write(data)
