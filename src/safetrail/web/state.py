"""The app's one piece of mutable state: which casebook is open, if any, and since when idle."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from safetrail.services.casebook import Casebook, create_casebook, open_casebook
from safetrail.web.analysis_cache import ANALYSIS_CACHE
from safetrail.web.book_memo import BOOK_MEMO
from safetrail.web.config import WebConfig
from safetrail.web.preferences import WebPreferences, load_preferences
from safetrail.web.uploads import UploadBatch


class Locked(Exception):
    """A page needs the casebook, and it is locked. The app answers with the unlock page."""


@dataclass
class AppState:
    """Held on `app.state.safetrail`. Handlers run in a thread pool, so changes take the lock."""

    config: WebConfig
    book: Casebook | None = None
    demo_dir: Path | None = None
    last_activity: float = field(default_factory=time.monotonic)
    uploads: dict[str, UploadBatch] = field(default_factory=dict)
    busy: int = 0  # long jobs running (imports): idle time does not lock during them
    _guard: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @property
    def is_demo(self) -> bool:
        return self.book is not None and self.demo_dir is not None

    @property
    def casebook_exists(self) -> bool:
        return (self.config.casebook_root / "keyfile.json").exists()

    def preferences(self) -> WebPreferences:
        return load_preferences(self.config.casebook_root)

    def require_book(self) -> Casebook:
        """The open casebook, counting this as activity; Locked if it is (or just went) locked."""
        with self._guard:
            self.lock_if_idle()
            if self.book is None:
                raise Locked
            self.touch()
            return self.book

    def touch(self) -> None:
        self.last_activity = time.monotonic()

    def idle_seconds(self) -> float:
        return time.monotonic() - self.last_activity

    @contextmanager
    def working(self) -> Iterator[None]:
        """Around a long job: idle time is not counted while it runs, and restarts after it."""
        with self._guard:
            self.busy += 1
        try:
            yield
        finally:
            with self._guard:
                self.busy -= 1
                self.touch()

    def lock_if_idle(self) -> bool:
        """Lock when nothing has happened for the chosen idle time. True if it locked now."""
        limit = self.preferences().idle_minutes * 60
        with self._guard:
            if self.book is not None and not self.busy and self.idle_seconds() > limit:
                self.lock()
                return True
        return False

    def unlock(self, passphrase: str) -> Casebook:
        """Open the real casebook. Raises WrongPassphrase, CasebookNotFound... unchanged."""
        with self._guard:
            self.lock()
            self.book = open_casebook(self.config.casebook_root, passphrase)
            self.touch()
            return self.book

    def create(self, passphrase: str, initials: str, timezone: str) -> Casebook:
        with self._guard:
            self.lock()
            self.book = create_casebook(
                self.config.casebook_root, passphrase, initials, timezone, kdf=self.config.kdf
            )
            self.touch()
            return self.book

    def open_demo(self) -> Casebook:
        """A fictional casebook in a temporary folder of its own, gone when it is locked."""
        from safetrail.web.demo import build_demo

        with self._guard:
            self.lock()
            self.book, self.demo_dir = build_demo(self.config.kdf)
            self.touch()
            return self.book

    def lock(self) -> None:
        """Close the casebook (the key leaves memory with it). Safe to call when locked."""
        with self._guard:
            book, self.book = self.book, None
            ANALYSIS_CACHE.clear()
            BOOK_MEMO.clear()
            for batch in self.uploads.values():
                batch.discard()
            self.uploads.clear()
            if book is not None:
                book.close()
            if self.demo_dir is not None:
                shutil.rmtree(self.demo_dir, ignore_errors=True)
                self.demo_dir = None
