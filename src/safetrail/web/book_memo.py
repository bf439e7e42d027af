"""Slow reads of a large casebook, remembered until the case changes.

Every change to a casebook writes to its custody log, so the head of the log (its last sequence
number) names the state of the case. Values are kept for one state of one casebook at a time;
a new state drops them all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from safetrail.services.casebook import Casebook
from safetrail.storage import repository

T = TypeVar("T")


def log_head(book: Casebook) -> int:
    """The sequence number of the custody log's last entry (0 for none)."""
    with book.read() as conn:
        return repository.last_head(conn).seq


class BookMemo:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: tuple[str, int] | None = None
        self._values: dict[str, Any] = {}

    def get(self, book: Casebook, name: str, make: Callable[[], T]) -> T:
        """The value called `name` for the casebook as it is now, made by `make` if needed."""
        state = (book.casebook_id, log_head(book))
        with self._lock:
            if state != self._state:
                self._state, self._values = state, {}
            if name in self._values:
                found: T = self._values[name]
                return found
        value = make()
        with self._lock:
            if self._state == state:
                self._values[name] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._state, self._values = None, {}


BOOK_MEMO = BookMemo()
