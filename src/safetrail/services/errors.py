"""Errors the services raise for the person to read. Messages are plain and kind."""

from __future__ import annotations


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
