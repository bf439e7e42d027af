"""Errors the services raise for the person to read. Messages are plain and kind."""

from __future__ import annotations

import errno


class SafetrailError(Exception):
    """A problem the person can do something about. The message says what and how."""


class NotFound(SafetrailError):
    pass


class CasebookNotFound(SafetrailError):
    pass


class CasebookExists(SafetrailError):
    pass


class InvalidInput(SafetrailError):
    pass


DISK_FULL = (
    "There is no room left on the disk{where}. What you were doing was not saved, and your "
    "casebook is as it was before. Free some space (or choose another place), then try again."
)
READ_ONLY = (
    "Safetrail cannot write{where}: it is read-only, or this account may not change it. "
    "What you were doing was not saved, and your casebook is as it was before."
)
DISK_PROBLEM = (
    "Safetrail could not read or write the disk that holds the casebook: it may be full, "
    "read-only or failing. What you were doing was not saved. Free some space or check the "
    "disk, then run 'safetrail verify'."
)
FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
READ_ONLY_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
SQLITE_FULL = ("database or disk is full",)
SQLITE_READ_ONLY = ("readonly database", "unable to open database file")
SQLITE_IO = ("disk i/o error",)


def _where(exc: BaseException) -> str:
    filename = getattr(exc, "filename", None)
    return f" at {filename}" if isinstance(filename, str) else ""


def storage_failure(exc: BaseException) -> str | None:
    """A plain message if `exc` (or what caused it) is a full disk or a read-only place.

    Only the error's kind and file name are used, never its text beyond SQLite's fixed
    phrases, because SQL errors can carry the values being written.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in FULL_ERRNOS:
            return DISK_FULL.format(where=_where(current))
        if isinstance(current, OSError) and current.errno in READ_ONLY_ERRNOS:
            return READ_ONLY.format(where=_where(current))
        if type(current).__module__.startswith(("sqlite3", "sqlcipher3")):
            text = str(current).lower()
            if any(phrase in text for phrase in SQLITE_FULL):
                return DISK_FULL.format(where=" that holds the casebook")
            if any(phrase in text for phrase in SQLITE_READ_ONLY):
                return READ_ONLY.format(where=" to the casebook")
            if any(phrase in text for phrase in SQLITE_IO):
                return DISK_PROBLEM
        current = current.__cause__ or current.__context__
    return None
