"""SIGKILL during import, incident edit, backup, bundle and passphrase change: nothing half-done.

`make test` runs a small fixed budget; `make soak` sets SAFETRAIL_KILL_POINTS (per operation)
and SAFETRAIL_KILL_SEED. With SAFETRAIL_RELIABILITY_OUT set, every point is written there as
JSON lines (operation, seed, moment, what was found), for RELIABILITY.md.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from safetrail.models.incident import IncidentDetails
from safetrail.services.backup import create_backup
from safetrail.services.casebook import create_casebook
from safetrail.services.evidence import add_file
from safetrail.services.incidents import add_incident
from safetrail.services.ingest import IngestOptions, ingest
from safetrail.vault.crashpoint import POINTS
from tests.conftest import FAST_KDF
from tests.reliability.crash import (
    OLD_PASSPHRASE,
    OPERATIONS,
    KillOutcome,
    Operation,
    Reference,
    interpreter_startup,
    kill_moments,
    kill_point,
    measure,
)
from tests.reliability.exports import sms_xml, whatsapp_zip
from tests.services.factories import full_incident

SAMPLES = Path(__file__).parent.parent / "samples"
DEFAULT_SEED = 20261124
DEFAULT_POINTS = 3
SOAK = os.environ.get("SAFETRAIL_SOAK") == "1"
SIZE = 6000 if SOAK else 3000  # messages in each large export
_REFERENCES: dict[str, Reference] = {}


def reference(template: Path, exports: Path, work: Path, op: Operation) -> Reference:
    """One uninterrupted run per operation, shared by its tests."""
    if op.name not in _REFERENCES:
        _REFERENCES[op.name] = measure(template, exports, work, op)
    return _REFERENCES[op.name]


def _points() -> int:
    return int(os.environ.get("SAFETRAIL_KILL_POINTS", DEFAULT_POINTS))


def _seed() -> int:
    return int(os.environ.get("SAFETRAIL_KILL_SEED", DEFAULT_SEED))


@pytest.fixture(scope="module")
def memory_dir() -> Iterator[Path]:
    """A tmpfs folder when there is one: SIGKILL tests need no disk durability (the kernel
    keeps written pages after a process dies), and on a busy shared disk fsync dominates."""
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    folder = Path(tempfile.mkdtemp(prefix="safetrail-crash-", dir=base))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def work(memory_dir: Path, request: pytest.FixtureRequest) -> Path:
    folder = memory_dir / re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.name)
    folder.mkdir()
    return folder


@pytest.fixture(scope="module")
def exports(memory_dir: Path) -> Path:
    folder = memory_dir / "exports"
    folder.mkdir()
    whatsapp_zip(folder / "WhatsApp Chat with Sam.zip", messages=SIZE, media=SIZE // 50)
    sms_xml(folder / "sms-big.xml", messages=SIZE, mms=SIZE // 50)
    return folder


@pytest.fixture(scope="module")
def template(memory_dir: Path, exports: Path) -> Path:
    """A casebook with a little of everything committed before any kill."""
    root = memory_dir / "template" / "book"
    with create_casebook(root, OLD_PASSPHRASE, "JS", kdf=FAST_KDF) as book:
        details: IncidentDetails = full_incident("He was waiting at the bus stop again")
        add_incident(book, details)
        photo = SAMPLES / "image" / "exif_offset.jpg"
        add_file(book, photo)
        ingest(book, SAMPLES / "whatsapp" / "android_24h_dmy.txt", IngestOptions())
        ingest(book, SAMPLES / "sms_backup_restore" / "messages.xml", IngestOptions())
        create_backup(book, exports / "template.stb")
    (root / "lock").unlink(missing_ok=True)
    return root


def _record(outcomes: list[KillOutcome], seed: int) -> None:
    target = os.environ.get("SAFETRAIL_RELIABILITY_OUT")
    if not target:
        return
    with Path(target).open("a", encoding="utf-8") as out:
        for o in outcomes:
            row = {"suite": "crash", "seed": seed, **o.__dict__}
            out.write(json.dumps(row) + "\n")


CRASH_POINTS = [
    ("import-whatsapp", "ingest-parsed"),
    ("import-sms", "transaction-committed"),
    ("incident-edit", "transaction-committed"),
    ("incident-edit", "atomic-written"),
    ("backup", "atomic-written"),
    ("backup", "transaction-committed"),
    ("bundle", "bundle-staged"),
    ("bundle", "bundle-zipped"),
    ("restore", "restore-staged"),
    ("passphrase-change", "atomic-written"),
    ("passphrase-change", "keyfile-replaced"),
    ("passphrase-change", "transaction-committed"),
]


def test_every_crash_point_is_exercised() -> None:
    assert {point for _, point in CRASH_POINTS} == set(POINTS)


@pytest.mark.parametrize(("name", "point"), CRASH_POINTS)
def test_sigkill_at_a_named_crash_point(
    name: str, point: str, template: Path, exports: Path, work: Path
) -> None:
    op = OPERATIONS[name]
    ref = reference(template, exports, work, op)
    outcome = kill_point(template, exports, work, op, ref, 0, None, crash_at=point)
    _record([outcome], 0)
    assert outcome.killed, f"{name} never reached the crash point {point}"
    assert not outcome.problems, f"{name} killed at {point}: {outcome.problems}"


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_sigkill_leaves_the_operation_whole_or_not_at_all(
    name: str, template: Path, exports: Path, work: Path
) -> None:
    op = OPERATIONS[name]
    seed = _seed() + sorted(OPERATIONS).index(name)
    rng = random.Random(seed)
    ref = reference(template, exports, work, op)
    changed = ref.after.content != ref.before.content
    logged = len(ref.after.log_hashes) > len(ref.before.log_hashes)
    assert changed or op.makes_output or logged, "the reference run did nothing"
    startup = interpreter_startup(dict(os.environ))
    moments = kill_moments(rng, ref.duration, startup, _points())
    outcomes = [
        kill_point(template, exports, work, op, ref, index, moment)
        for index, moment in enumerate(moments)
    ]
    _record(outcomes, seed)
    failed = [o for o in outcomes if o.problems]
    assert not failed, (
        f"seed {seed}, {op.name} took {ref.duration:.2f}s; kill moments {moments}; "
        + "; ".join(f"at {o.kill_at}s: {o.problems}" for o in failed)
    )
    shutil.rmtree(work, ignore_errors=True)
