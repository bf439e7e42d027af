"""Upload folders: gone once nothing is pending, and cleaned up after an app that was killed."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

from safetrail.web.uploads import (
    FOLDER_PREFIX,
    LEGACY_FOLDER_AGE_SECONDS,
    UploadedFile,
    add_upload,
    new_batch,
    remove_abandoned_folders,
)


def dead_pid() -> int:
    """The id of a process that has finished (and been reaped)."""
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(child.stdout)


def folder(temp: Path, name: str, age: float = 0) -> Path:
    path = temp / name
    (path / "0").mkdir(parents=True)
    (path / "0" / "chat.txt").write_text("plaintext evidence")
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))
    return path


def test_a_killed_apps_folder_is_removed_and_a_running_ones_kept(tmp_path: Path) -> None:
    dead = folder(tmp_path, f"{FOLDER_PREFIX}{dead_pid()}-abc")
    alive = folder(tmp_path, f"{FOLDER_PREFIX}{os.getpid()}-def")
    assert remove_abandoned_folders(tmp_path) == 1
    assert not dead.exists()
    assert (alive / "0" / "chat.txt").exists()


def test_old_folders_without_a_process_id_go_after_a_day(tmp_path: Path) -> None:
    old = folder(tmp_path, f"{FOLDER_PREFIX}old1", age=LEGACY_FOLDER_AGE_SECONDS + 60)
    recent = folder(tmp_path, f"{FOLDER_PREFIX}new1", age=60)
    other = folder(tmp_path, "someone-else-123", age=LEGACY_FOLDER_AGE_SECONDS * 3)
    assert remove_abandoned_folders(tmp_path) == 1
    assert not old.exists()
    assert recent.exists() and other.exists()


def test_a_symlink_named_like_a_folder_is_not_followed(tmp_path: Path) -> None:
    target = folder(tmp_path, "precious")
    (tmp_path / f"{FOLDER_PREFIX}{dead_pid()}-x").symlink_to(target)
    assert remove_abandoned_folders(tmp_path) == 0
    assert (target / "0" / "chat.txt").exists()


def test_a_batch_folder_names_its_process_and_settles_when_nothing_is_pending() -> None:
    batch = new_batch("auto", None)
    try:
        assert batch.folder.name.startswith(f"{FOLDER_PREFIX}{os.getpid()}-")
        add_upload(batch, "chat.txt", io.BytesIO(b"hello"))
        batch.files[0].status = "ask_date_order"
        batch.settle()
        assert batch.files[0].path.exists()
        batch.files.append(UploadedFile(name="x", path=batch.folder / "x", status="kept"))
        batch.files[0].status = "imported"
        batch.settle()
        assert not batch.folder.exists()
    finally:
        batch.discard()
