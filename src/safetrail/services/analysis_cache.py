"""The case analysis, kept while nothing it depends on has changed.

Analysing a large casebook takes seconds; the web app asks for the summary on many pages. Every
change to incidents, records, subjects or tag decisions adds a custody-log entry, so the log's
head, the settings the analysis reads and the day it is run on together say whether a kept
result still holds. One result is kept per open casebook, in memory only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime

from safetrail.services.analysis import CaseAnalysis, analyse_case
from safetrail.services.casebook import Casebook
from safetrail.storage import repository

CacheKey = tuple[str, int, str, str | None, str | None, str]


@dataclass
class AnalysisCache:
    """A one-entry cache of `analyse_case`; safe to share between request threads."""

    _key: CacheKey | None = None
    _value: CaseAnalysis | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    misses: int = 0

    def get(self, book: Casebook, jurisdiction: str | None = None) -> CaseAnalysis:
        with self._lock:
            key = _key(book, jurisdiction)
            if self._key != key or self._value is None:
                self._value = analyse_case(book, jurisdiction)
                self._key = key
                self.misses += 1
            return self._value

    def clear(self) -> None:
        with self._lock:
            self._key = None
            self._value = None


def _key(book: Casebook, jurisdiction: str | None) -> CacheKey:
    with book.read() as conn:
        head = repository.last_head(conn)
        zone = repository.get_meta(conn, "timezone")
        chosen = jurisdiction or repository.get_meta(conn, "jurisdiction")
    today = datetime.now().astimezone().date().isoformat()
    return (book.casebook_id, head.seq, head.hash, zone, chosen, today)
