"""Downloads leave nothing on disk: the folder is gone before the first byte is sent."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from safetrail.web.downloads import CHUNK, send_and_forget


async def _body(response: object) -> bytes:
    parts = [part async for part in response.body_iterator]  # type: ignore[attr-defined]
    return b"".join(p if isinstance(p, bytes) else p.encode() for p in parts)


def in_own_loop(work: Coroutine[Any, Any, bytes]) -> bytes:
    """Run `work` in a thread of its own: the browser tests' Playwright holds this thread's loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work).result()


def test_the_folder_is_gone_before_sending_and_every_byte_still_arrives(tmp_path: Path) -> None:
    folder = tmp_path / ".safetrail-download-x"
    folder.mkdir()
    data = bytes(range(256)) * (CHUNK // 128 + 3)  # more than two chunks
    (folder / "report.csv").write_bytes(data)
    response = send_and_forget(folder / "report.csv", "text/csv", "report.csv")
    assert not folder.exists()
    assert response.headers["content-length"] == str(len(data))
    assert response.headers["content-disposition"] == 'attachment; filename="report.csv"'
    assert in_own_loop(_body(response)) == data


def test_a_download_stopped_half_way_leaves_nothing(tmp_path: Path) -> None:
    folder = tmp_path / ".safetrail-download-y"
    folder.mkdir()
    (folder / "bundle.zip").write_bytes(b"x" * (CHUNK * 3))
    response = send_and_forget(folder / "bundle.zip", "application/zip", "bundle.zip")
    iterator = response.body_iterator
    assert not folder.exists()
    del iterator, response
    gc.collect()  # the open handle is closed with the abandoned stream (no ResourceWarning)
    assert list(tmp_path.iterdir()) == []
