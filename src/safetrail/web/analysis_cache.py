"""One analysis per casebook state, kept in memory so the pattern pages answer at once.

The same interface as `safetrail.services.analysis_cache.AnalysisCache` on main, which replaces
this module at merge. An entry is keyed by the casebook, the jurisdiction and the head of its
custody log, so any change to the case (which always writes to the log) gives a fresh analysis.
"""

from __future__ import annotations

import threading

from safetrail.services.analysis import CaseAnalysis, analyse_case
from safetrail.services.casebook import Casebook
from safetrail.web.book_memo import log_head

Key = tuple[str, str, int]


class AnalysisCache:
    """Keeps the latest analysis only: one casebook is open at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: Key | None = None
        self._value: CaseAnalysis | None = None

    def get(self, book: Casebook, jurisdiction: str | None = None) -> CaseAnalysis:
        chosen = jurisdiction or book.setting("jurisdiction") or "england-wales"
        key = (book.casebook_id, chosen, log_head(book))
        with self._lock:
            if self._key == key and self._value is not None:
                return self._value
            value = analyse_case(book, chosen)
            self._key, self._value = key, value
            return value

    def clear(self) -> None:
        with self._lock:
            self._key, self._value = None, None


ANALYSIS_CACHE = AnalysisCache()
