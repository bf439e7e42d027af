"""Every file in the hostile corpus through the real import, in a real casebook.

Refused files: a typed ImportFailed naming the file, nothing kept, the casebook unchanged and
valid. Files read with warnings: each warning says where. Nothing is fetched (a loopback
listener counts connections), nothing is written outside the casebook, nothing runs past
the time bound.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from safetrail.services.casebook import Casebook
from safetrail.services.ingest import ImportFailed, IngestOptions, ingest
from safetrail.services.verify import verify_casebook
from safetrail.storage.schema import import_warnings, records
from tests.reliability.crash import snapshot
from tests.reliability.fuzz.bounds import bounded
from tests.reliability.hostile import CORPUS, HOSTILE_DIR, Hostile

TIME_BOUND = 60.0
MEMORY_BOUND = 2 << 30


class Listener:
    """A loopback TCP listener that only counts who knocks."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = int(self.sock.getsockname()[1])
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    knock = Listener()
    try:
        yield knock
    finally:
        knock.close()


def hostile_bytes(hostile: Hostile) -> bytes:
    kept = HOSTILE_DIR / hostile.filename
    return hostile.build() if hostile.large else kept.read_bytes()


def test_kept_corpus_matches_its_builders() -> None:
    for name, hostile in CORPUS.items():
        if not hostile.large:
            assert (HOSTILE_DIR / hostile.filename).read_bytes() == hostile.build(), name


def _outcome_row(name: str, outcome: str) -> None:
    target = os.environ.get("SAFETRAIL_RELIABILITY_OUT")
    if target:
        with Path(target).open("a", encoding="utf-8") as out:
            out.write(json.dumps({"suite": "hostile", "case": name, "outcome": outcome}) + "\n")


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file(name: str, book: Casebook, tmp_path: Path, listener: Listener) -> None:
    hostile = CORPUS[name]
    data = hostile_bytes(hostile).replace(b"{port}", str(listener.port).encode())
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = inbox / hostile.filename
    path.write_bytes(data)
    before = snapshot(book)
    outcome = "refused"
    with bounded(TIME_BOUND, MEMORY_BOUND):
        try:
            options = IngestOptions(format=hostile.importer, column_map=hostile.column_map)
            result = ingest(book, path, options)
        except ImportFailed as failure:
            message = str(failure)
            assert hostile.filename in message and "Nothing was kept" in message, message
            assert snapshot(book) == before, "a refused file left something behind"
        else:
            outcome = "warned" if result.warnings_total else "kept-as-data"
            _check_warnings_say_where(book)
    _outcome_row(name, outcome)
    assert outcome == hostile.expect, f"{name}: expected {hostile.expect}, got {outcome}"
    assert listener.connections == 0, "the import reached out to the network"
    written = [p for p in tmp_path.rglob("*") if p.is_file() and book.root not in p.parents]
    assert [p.name for p in written] == [hostile.filename], "a file was written outside"
    assert not (Path("/tmp") / "escape.txt").exists()
    report = verify_casebook(book)
    assert report.ok, report.problems
    secret = Path("/etc/hostname")
    if secret.exists() and secret.read_text().strip():
        assert not _records_mention(book, secret.read_text().strip())


def _check_warnings_say_where(book: Casebook) -> None:
    with book.read() as conn:
        rows = conn.execute(select(import_warnings.c.message, import_warnings.c.location)).all()
    for message, location in rows:
        assert message and location and location != "whole file", (message, location)


def _records_mention(book: Casebook, text: str) -> bool:
    with book.read() as conn:
        bodies = conn.execute(select(records.c.text)).scalars()
        return any(text in (body or "") for body in bodies)
