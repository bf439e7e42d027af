"""One Safetrail process at a time per casebook. The OS releases the lock if the process dies."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class CasebookBusy(Exception):
    """Another Safetrail process has this casebook open."""


class CasebookLock:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise CasebookBusy(
                "This casebook is open in another Safetrail window or command. "
                "Close that first, then try again."
            ) from None
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
