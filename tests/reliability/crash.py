"""Kill real `safetrail` commands with SIGKILL at seeded random moments and check what is left.

Each operation runs once uninterrupted to measure how long it takes; kill moments are drawn
uniformly over that span (after the interpreter has started), from a seeded generator so a
failing point can be replayed. After every kill the casebook must open, `verify` must pass,
everything committed before must still be there, the interrupted operation must have happened
whole or not at all, and running it again must complete it without duplicates.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from safetrail.export.bundle import STAGING_PREFIX
from safetrail.export.bundle_verify import verify_bundle
from safetrail.services.backup import restore_backup
from safetrail.services.casebook import Casebook, open_casebook
from safetrail.services.verify import verify_casebook
from safetrail.storage.schema import (
    custody_log,
    evidence,
    import_warnings,
    incidents,
    records,
    versions,
)
from safetrail.vault.crashpoint import ENV_CRASH_AT
from safetrail.vault.keys import WrongPassphrase

OLD_PASSPHRASE = "correct horse battery staple"
NEW_PASSPHRASE = "a different horse, same stable"
EDITED_TEXT = "He was waiting at the bus stop again, edited"


@dataclass(frozen=True)
class Snapshot:
    """What a person would notice: how much of each thing, and the incident's text."""

    counts: tuple[int, ...]
    incident_text: str
    log_hashes: tuple[str, ...]

    @property
    def content(self) -> tuple[tuple[int, ...], str]:
        return self.counts, self.incident_text


def snapshot(book: Casebook) -> Snapshot:
    tables = (records, evidence, incidents, versions, import_warnings)
    with book.read() as conn:
        counts = tuple(
            int(conn.execute(select(func.count()).select_from(t)).scalar() or 0) for t in tables
        )
        text = conn.execute(select(incidents.c.data).where(incidents.c.id == 1)).scalar()
        order = select(custody_log.c.hash).order_by(custody_log.c.seq)
        hashes = tuple(conn.execute(order).scalars())
    return Snapshot(counts, str(text), hashes)


@dataclass
class Workspace:
    """One kill point's folder: a fresh copy of the template casebook, and its own HOME/TMPDIR."""

    root: Path
    exports: Path

    @property
    def book(self) -> Path:
        return self.root / "book"

    @property
    def out(self) -> Path:
        return self.root / "out"

    def env(self) -> dict[str, str]:
        home = self.root / "home"
        (home / "tmp").mkdir(parents=True, exist_ok=True)
        return {
            **os.environ,
            "HOME": str(home),
            "TMPDIR": str(home / "tmp"),
            "XDG_DATA_HOME": str(home / "data"),
            "PYTHONDONTWRITEBYTECODE": "1",
        }


@dataclass(frozen=True)
class Operation:
    name: str
    argv: Callable[[Workspace], list[str]]
    # the output file (if any) after a kill or a run: "absent", "complete", or a problem
    output_state: Callable[[Workspace], str] = lambda _ws: "absent"
    makes_output: bool = False


def _pass_file(ws: Workspace, passphrase: str, name: str) -> str:
    path = ws.root / name
    path.write_text(passphrase + "\n")
    return str(path)


def _casebook_args(ws: Workspace) -> list[str]:
    return ["--casebook", str(ws.book), "--passphrase-file", _pass_file(ws, OLD_PASSPHRASE, "pw")]


def _backup_state(ws: Workspace) -> str:
    target = ws.out / "backup.stb"
    if not target.exists():
        return "absent"
    restored = ws.root / "restored"
    shutil.rmtree(restored, ignore_errors=True)
    try:
        with restore_backup(target, restored, OLD_PASSPHRASE) as book:
            report = verify_casebook(book)
    except Exception as exc:
        return f"the backup left by the kill does not restore: {type(exc).__name__}: {exc}"
    finally:
        shutil.rmtree(restored, ignore_errors=True)
    return "complete" if report.ok else f"restored backup fails verify: {report.problems}"


def _restore_state(ws: Workspace) -> str:
    target = ws.out / "restored"
    if not target.exists():
        return "absent"
    try:
        with open_casebook(target, OLD_PASSPHRASE) as book:
            report = verify_casebook(book)
    except Exception as exc:
        return f"the restored casebook left by the kill does not open: {type(exc).__name__}"
    return "complete" if report.ok else f"restored casebook fails verify: {report.problems}"


def _bundle_state(ws: Workspace) -> str:
    target = ws.out / "bundle.zip"
    if not target.exists():
        return "absent"
    result = verify_bundle(target)
    return "complete" if result.ok else f"bundle left by the kill fails its check: {result}"


OPERATIONS: dict[str, Operation] = {
    "import-whatsapp": Operation(
        "import-whatsapp",
        lambda ws: ["import", str(ws.exports / "WhatsApp Chat with Sam.zip"), *_casebook_args(ws)],
    ),
    "import-sms": Operation(
        "import-sms", lambda ws: ["import", str(ws.exports / "sms-big.xml"), *_casebook_args(ws)]
    ),
    "incident-edit": Operation(
        "incident-edit",
        lambda ws: ["incident", "edit", "1", "--what", EDITED_TEXT, *_casebook_args(ws)],
    ),
    "backup": Operation(
        "backup",
        lambda ws: ["backup", "--out", str(ws.out / "backup.stb"), *_casebook_args(ws)],
        _backup_state,
        makes_output=True,
    ),
    "bundle": Operation(
        "bundle",
        lambda ws: ["bundle", "--out", str(ws.out / "bundle.zip"), *_casebook_args(ws)],
        _bundle_state,
        makes_output=True,
    ),
    "restore": Operation(
        "restore",
        lambda ws: [
            "restore",
            str(ws.exports / "template.stb"),
            "--casebook",
            str(ws.out / "restored"),
            "--passphrase-file",
            _pass_file(ws, OLD_PASSPHRASE, "pw"),
        ],
        _restore_state,
        makes_output=True,
    ),
    "passphrase-change": Operation(
        "passphrase-change",
        lambda ws: [
            "passphrase",
            "change",
            *_casebook_args(ws),
            "--new-passphrase-file",
            _pass_file(ws, NEW_PASSPHRASE, "pw-new"),
        ],
    ),
}


def run_cli(
    ws: Workspace, argv: list[str], kill_after: float | None = None, crash_at: str | None = None
) -> int | None:
    """Run `safetrail argv`; SIGKILL it after kill_after seconds or at the named crash point.

    None if it was killed.
    """
    env = ws.env()
    if crash_at:
        env[ENV_CRASH_AT] = crash_at
    process = subprocess.Popen(
        [sys.executable, "-m", "safetrail", *argv],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _out, err = process.communicate(timeout=kill_after if kill_after is not None else 300)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.communicate()
        return None
    if process.returncode == -signal.SIGKILL:
        return None
    if process.returncode != 0:
        raise AssertionError(f"safetrail {argv[:2]} failed: {err.decode(errors='replace')}")
    return process.returncode


def open_either(path: Path) -> tuple[Casebook, str]:
    """Open with the old passphrase or the new one; exactly one of them must work."""
    try:
        return open_casebook(path, OLD_PASSPHRASE), "old"
    except WrongPassphrase:
        return open_casebook(path, NEW_PASSPHRASE), "new"


@dataclass
class KillOutcome:
    operation: str
    index: int
    kill_at: float | str
    killed: bool
    state: str  # "before", "after"
    passphrase: str
    output: str
    leftovers: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class Reference:
    before: Snapshot
    after: Snapshot
    duration: float


def measure(template: Path, exports: Path, work: Path, op: Operation) -> Reference:
    """Run the operation once, whole, to learn its result and how long it takes."""
    ws = _workspace(template, exports, work / f"{op.name}-reference")
    with open_casebook(ws.book, OLD_PASSPHRASE) as book:
        before = snapshot(book)
    started = time.monotonic()
    run_cli(ws, op.argv(ws))
    duration = time.monotonic() - started
    with open_either(ws.book)[0] as book:
        after = snapshot(book)
    shutil.rmtree(ws.root)
    return Reference(before, after, duration)


def _workspace(template: Path, exports: Path, root: Path) -> Workspace:
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    shutil.copytree(template, root / "book")
    (root / "out").mkdir()
    return Workspace(root, exports)


def kill_point(
    template: Path,
    exports: Path,
    work: Path,
    op: Operation,
    ref: Reference,
    index: int,
    kill_at: float | None,
    crash_at: str | None = None,
) -> KillOutcome:
    ws = _workspace(template, exports, work / f"{op.name}-{index}")
    killed = run_cli(ws, op.argv(ws), kill_after=kill_at, crash_at=crash_at) is None
    outcome = KillOutcome(op.name, index, kill_at or crash_at or "", killed, "?", "?", "?")
    _check_after_kill(ws, op, ref, outcome)
    _rerun(ws, op, outcome)
    _check_after_rerun(ws, op, ref, outcome)
    if not outcome.problems:
        shutil.rmtree(ws.root)
    return outcome


def _check_after_kill(ws: Workspace, op: Operation, ref: Reference, outcome: KillOutcome) -> None:
    problems = outcome.problems
    book, outcome.passphrase = open_either(ws.book)
    with book:
        report = verify_casebook(book)
        problems.extend(f"verify after the kill: {p}" for p in report.problems)
        state = snapshot(book)
    if state.log_hashes[: len(ref.before.log_hashes)] != ref.before.log_hashes:
        problems.append("custody entries committed before the kill changed or went missing")
    if state.content == ref.before.content:
        outcome.state = "before"
    elif state.content == ref.after.content:
        outcome.state = "after"
    else:
        problems.append(f"half-done: {state.content} is neither {ref.before.content} nor after")
    _check_passphrase_whole(op, outcome, state, ref)
    outcome.output = op.output_state(ws)
    if outcome.output not in ("absent", "complete"):
        problems.append(outcome.output)


def _check_after_rerun(ws: Workspace, op: Operation, ref: Reference, outcome: KillOutcome) -> None:
    problems = outcome.problems
    outcome.leftovers = sorted(
        p.name for p in ws.out.iterdir() if p.name not in ("backup.stb", "bundle.zip", "restored")
    )
    plaintext = op.name == "bundle" and outcome.leftovers  # a partial bundle is plaintext
    if plaintext or any(name.startswith(STAGING_PREFIX) for name in outcome.leftovers):
        problems.append(f"plaintext staging left beside the output: {outcome.leftovers}")
    with open_either(ws.book)[0] as book:
        report = verify_casebook(book)
        problems.extend(f"verify after running again: {p}" for p in report.problems)
        final = snapshot(book)
    if final.content != ref.after.content:
        problems.append(f"after running again: {final.content}, expected {ref.after.content}")
    final_output = op.output_state(ws)
    if final_output != ("complete" if op.makes_output else "absent"):
        problems.append(f"after running again the output is: {final_output}")
    if op.name == "passphrase-change":
        book, which = open_either(ws.book)
        book.close()
        if which != "new":
            problems.append("after running again the old passphrase still opens the casebook")


def _check_passphrase_whole(
    op: Operation, outcome: KillOutcome, state: Snapshot, ref: Reference
) -> None:
    """The passphrase change and its custody entry go together."""
    if op.name != "passphrase-change":
        if outcome.passphrase != "old":
            outcome.problems.append("the passphrase changed during an unrelated operation")
        return
    changed_in_log = len(state.log_hashes) == len(ref.after.log_hashes)
    if changed_in_log != (outcome.passphrase == "new"):
        outcome.problems.append(
            f"passphrase is the {outcome.passphrase} one but the custody log says "
            f"{'changed' if changed_in_log else 'unchanged'}"
        )


def _rerun(ws: Workspace, op: Operation, outcome: KillOutcome) -> None:
    if op.name == "passphrase-change":
        if outcome.passphrase == "old":
            run_cli(ws, op.argv(ws))
        return
    if op.output_state(ws) == "complete":
        return  # the output was finished before the kill; a new run would refuse to overwrite
    if op.name == "incident-edit" and outcome.state == "after":
        return  # editing again would add a version with the same text: not a duplicate import
    run_cli(ws, op.argv(ws))
    if op.name.startswith("import"):
        run_cli(ws, op.argv(ws))  # a second run must find everything already there


def kill_moments(rng: random.Random, duration: float, startup: float, count: int) -> list[float]:
    """Seeded kill moments spread over the operation, from part-way through start-up to its end."""
    low = startup * 0.5
    high = max(duration * 1.05, low + 0.05)
    return sorted(round(rng.uniform(low, high), 4) for _ in range(count))


def interpreter_startup(ws_env: dict[str, str]) -> float:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-c", "import safetrail.services.casebook, safetrail.cli"],
        env=ws_env,
        check=True,
    )
    return time.monotonic() - started
