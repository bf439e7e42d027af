"""A full disk, a read-only casebook, a second process, a stale lock and a copy taken while open.

Each must end in a clear message and a casebook that still opens and verifies, with nothing
changed by the operation that failed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from safetrail.services.casebook import create_casebook, open_casebook
from safetrail.services.incidents import add_incident
from safetrail.services.verify import verify_casebook
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.reliability.crash import Snapshot, snapshot
from tests.reliability.exports import sms_xml
from tests.reliability.smallfs import SmallFs, mount_small, unmount
from tests.services.factories import full_incident

SAFETRAIL = (sys.executable, "-m", "safetrail")
INTERNAL_ERROR = 70
FS_SIZE = 8 << 20
# Free space left when the operations start: each makes them fail at a different step.
FREE_KIB = [0, 48, 400, 1600] if os.environ.get("SAFETRAIL_SOAK") == "1" else [0, 400]


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[SmallFs]:
    fs = mount_small(tmp_path / "small", FS_SIZE)
    try:
        yield fs
    finally:
        unmount(fs)


def _safetrail(
    book: Path, *args: str, fs: SmallFs | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    pass_file = book.parent.parent / "pw"
    pass_file.write_text(PASSPHRASE + "\n")
    return subprocess.run(
        [*SAFETRAIL, *args, "--casebook", str(book), "--passphrase-file", str(pass_file)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})},
        preexec_fn=fs.preexec() if fs else None,
        timeout=120,
    )


def _state(book: Path) -> Snapshot:
    with open_casebook(book, PASSPHRASE) as opened:
        report = verify_casebook(opened)
        assert report.ok, report.problems
        return snapshot(opened)


def _clear_failure(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode not in (0, INTERNAL_ERROR), (result.returncode, result.stderr)
    assert "Something went wrong inside" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def _make_book(root: Path) -> Path:
    book = root / "book"
    with create_casebook(book, PASSPHRASE, "JS", kdf=FAST_KDF) as opened:
        add_incident(opened, full_incident())
    return book


# --- disk full -------------------------------------------------------------------------------


@pytest.mark.parametrize("leave_kib", FREE_KIB)
def test_disk_full_during_import_evidence_and_backup(
    small_fs: SmallFs, tmp_path: Path, leave_kib: int
) -> None:
    if small_fs.kind != "tmpfs":
        pytest.skip("mounting a tmpfs is not permitted here; the RLIMIT_FSIZE test covers it")
    book = _make_book(small_fs.path)
    export = tmp_path / "sms.xml"
    sms_xml(export, messages=1000, mms=60)
    photo = tmp_path / "photo.bin"
    photo.write_bytes(os.urandom(2 << 20))
    before = _state(book)
    backup = small_fs.path / "backup.stb"
    filler = small_fs.fill(leave_kib << 10)
    for args in (
        ("import", str(export)),
        ("evidence", "add", str(photo)),
        ("backup", "--out", str(backup)),
    ):
        result = _safetrail(book, *args)
        if args[0] == "backup" and result.returncode == 0:
            assert backup.stat().st_size < leave_kib << 10, "a backup that fitted"
            backup.unlink()
        else:
            _clear_failure(result, "disk")
        assert not backup.exists()
        filler.unlink()  # room to open and verify, then fill again
        assert _state(book).content == before.content, f"{args[0]} changed the casebook"
        assert _orphans(book) == 0, f"{args[0]} left files no evidence item uses on a full disk"
        filler = small_fs.fill(leave_kib << 10)
    filler.unlink()
    result = _safetrail(book, "import", str(export))
    assert result.returncode == 0, result.stderr
    assert _state(book).counts[0] == 1060, "with room again the import completes"


def _orphans(book: Path) -> int:
    with open_casebook(book, PASSPHRASE) as opened:
        return len(verify_casebook(opened).notes)


def test_file_size_limit_during_import(small_fs: SmallFs, tmp_path: Path) -> None:
    """RLIMIT_FSIZE: every file the child writes is capped (the fallback where mounts fail)."""
    book = _make_book(tmp_path)
    export = tmp_path / "sms.xml"
    sms_xml(export, messages=3000, mms=80)
    before = _state(book)
    capped = SmallFs(tmp_path, "rlimit", 256 << 10)
    result = _safetrail(book, "import", str(export), fs=capped)
    _clear_failure(result)
    assert _state(book).content == before.content


# --- read-only -------------------------------------------------------------------------------


def test_read_only_casebook(small_fs: SmallFs, tmp_path: Path) -> None:
    if small_fs.kind != "tmpfs":
        pytest.skip("remounting read-only needs a mount, which is not permitted here")
    book = _make_book(small_fs.path)
    before = _state(book)
    note = tmp_path / "note.txt"
    note.write_text("a note")
    small_fs.read_only(True)
    try:
        for args in (
            ("evidence", "add", str(note)),
            ("incident", "edit", "1", "--impact", "new words"),
            ("verify",),
        ):
            result = _safetrail(book, *args)
            _clear_failure(result, "read-only")
    finally:
        small_fs.read_only(False)
    assert _state(book).content == before.content


# --- two processes, stale locks, copies ------------------------------------------------------


def test_second_process_is_refused_clearly(tmp_path: Path) -> None:
    book = _make_book(tmp_path)
    with open_casebook(book, PASSPHRASE):
        result = _safetrail(book, "incident", "list")
    _clear_failure(result, "open in another Safetrail")
    assert _state(book).counts[2] == 1


def test_stale_lock_after_sigkill_does_not_block(tmp_path: Path) -> None:
    book = _make_book(tmp_path)
    with subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from safetrail.services.casebook import open_casebook; "
            "b = open_casebook(__import__('pathlib').Path(sys.argv[1]), sys.argv[2]); "
            "print('open', flush=True); time.sleep(60)",
            str(book),
            PASSPHRASE,
        ],
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        refused = _safetrail(book, "incident", "list")
        _clear_failure(refused, "open in another Safetrail")
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert (book / "lock").exists(), "the lock file stays; only the flock went with the process"
    result = _safetrail(book, "incident", "list", "--json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 1


def _copy_as_a_file_manager_would(source: Path, target: Path) -> None:
    """File by file, skipping any that vanish mid-copy (SQLite's -wal and -shm come and go)."""
    for path in sorted(source.rglob("*")):
        destination = target / path.relative_to(source)
        try:
            if path.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
            else:
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, destination)
        except FileNotFoundError:
            continue


def test_copy_taken_while_open_and_writing(tmp_path: Path) -> None:
    """A copy made mid-write (as a sync tool or a file manager might): the original is fine,
    and the copy either opens and verifies or names what is wrong, never crashes."""
    book = _make_book(tmp_path)
    with subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; "
            "from safetrail.services.casebook import open_casebook; "
            "from safetrail.services.incidents import add_incident; "
            "from tests.services.factories import full_incident; "
            "b = open_casebook(Path(sys.argv[1]), sys.argv[2]); print('open', flush=True)\n"
            "for i in range(80): add_incident(b, full_incident(f'entry {i}'))\n"
            "b.close()",
            str(book),
            PASSPHRASE,
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    ) as writer:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "open"
        for index in range(3):
            time.sleep(0.15)
            copy = tmp_path / f"copy-{index}"
            _copy_as_a_file_manager_would(book, copy)
            result = _safetrail(copy, "verify")
            assert result.returncode in (0, 1), result.stderr
            assert "Something went wrong inside" not in result.stderr, result.stderr
            if result.returncode == 1:
                assert "Problems found" in result.stdout or result.stderr.strip(), result
        assert writer.wait(timeout=120) == 0
    assert _state(book).counts[2] == 81
