"""Casebook figures: adding 10,000 evidence files, verifying them, and the CLI's cold start.

Each figure is measured beside its peer in the same run: `sha256sum` over the same files for
adding and verifying (the least work any tool must do: read and hash every byte).
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from safetrail.services.casebook import create_casebook
from safetrail.services.evidence import add_files
from safetrail.services.verify import verify_casebook

PASSPHRASE = "benchmark passphrase"


@dataclass(frozen=True)
class Figure:
    name: str
    seconds: float
    files: int
    bytes: int

    def rate(self) -> str:
        return (
            f"{self.files / self.seconds:,.0f} files/s, {self.bytes / self.seconds / 1e6:,.1f} MB/s"
        )


def make_files(folder: Path, count: int, seed: int = 7) -> int:
    """Mixed sizes like real evidence: many small screenshots and texts, some large exports."""
    rng = random.Random(seed)
    total = 0
    for index in range(count):
        roll = rng.random()
        if roll < 0.70:
            size = rng.randint(1_000, 60_000)
        elif roll < 0.95:
            size = rng.randint(60_000, 1_000_000)
        else:
            size = rng.randint(1_000_000, 8_000_000)
        (folder / f"file-{index:05d}.bin").write_bytes(os.urandom(size))
        total += size
    return total


def time_sha256sum(files: list[Path]) -> float:
    start = time.perf_counter()
    for batch in range(0, len(files), 500):
        subprocess.run(
            ["sha256sum", *map(str, files[batch : batch + 500])],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return time.perf_counter() - start


def bench_add_and_verify(count: int, workdir: Path) -> list[Figure]:
    source = workdir / "files"
    source.mkdir()
    total = make_files(source, count)
    files = sorted(source.iterdir())
    peer = time_sha256sum(files)
    book = create_casebook(workdir / "book", PASSPHRASE, "BM")
    start = time.perf_counter()
    add_files(book, files)
    added = time.perf_counter() - start
    start = time.perf_counter()
    report = verify_casebook(book)
    verified = time.perf_counter() - start
    book.close()
    assert report.ok and report.blobs_checked == count
    return [
        Figure("sha256sum over the same files", peer, count, total),
        Figure(
            "safetrail evidence add, one batch (hash, encrypt, store, log)", added, count, total
        ),
        Figure("safetrail verify (decrypt, re-hash, check chain)", verified, count, total),
    ]


def bench_cold_start(runs: int = 15) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "safetrail", "--help"], check=True, stdout=subprocess.DEVNULL
        )
        samples.append(time.perf_counter() - start)
    return samples


def run(count: int) -> str:
    workdir = Path(tempfile.mkdtemp(prefix="safetrail-bench-"))
    try:
        figures = bench_add_and_verify(count, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    starts = bench_cold_start()
    python_only = []
    for _ in range(15):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        python_only.append(time.perf_counter() - start)
    lines = [f"Evidence files: {count:,}, {figures[0].bytes / 1e9:.2f} GB in total."]
    lines += [f"- {f.name}: {f.seconds:.1f} s ({f.rate()})" for f in figures]
    lines.append(
        f"- add vs sha256sum: {figures[1].seconds / figures[0].seconds:.1f}x its time; "
        f"verify vs sha256sum: {figures[2].seconds / figures[0].seconds:.1f}x"
    )
    lines.append(
        f"- `safetrail --help` cold start: median {statistics.median(starts) * 1000:.0f} ms "
        f"(min {min(starts) * 1000:.0f} ms) over {len(starts)} runs; bare `python -c pass`: "
        f"median {statistics.median(python_only) * 1000:.0f} ms"
    )
    return "\n".join(lines)
