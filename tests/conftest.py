"""Shared fixtures: real encrypted casebooks in temporary folders, with a faster Argon2id."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from safetrail.services.casebook import Casebook, create_casebook
from safetrail.vault.keys import KdfParams

PASSPHRASE = "correct horse battery staple"
# Argon2id at test strength: the real defaults cost 64 MiB and ~0.3 s per open.
FAST_KDF = KdfParams(time_cost=1, memory_cost_kib=8 * 1024, parallelism=1)


@pytest.fixture
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> KdfParams:
    monkeypatch.setattr("safetrail.vault.keys.KdfParams.__init__.__defaults__", (1, 8 * 1024, 1))
    return FAST_KDF


@pytest.fixture
def book_root(tmp_path: Path) -> Path:
    return tmp_path / "casebook"


@pytest.fixture
def book(book_root: Path) -> Iterator[Casebook]:
    opened = create_casebook(book_root, PASSPHRASE, "JS", kdf=FAST_KDF)
    try:
        yield opened
    finally:
        opened.close()
