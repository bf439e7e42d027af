"""Report and bundle figures (issue 6).

1. The report (PDF and HTML) for 200 incidents + 5,000 records, and for 10,000 incidents +
   100,000 records. The records are imported with the real `ingest` from a generated WhatsApp
   chat; the incidents are written through the entity layer in one transaction (adding them
   one by one through the service would only measure the custody log). Each report is written
   by `write_report` in a child process that reports its time and peak memory (VmHWM).
2. Bundling 2 GB of originals (`write_bundle`, which decrypts, hashes, bags, writes the report
   and zips) against `zip -0 -r` over the same plaintext files, in the same run.

Every input is generated in a temporary folder and removed at the end.

Usage: python -m benchmarks.report_bench [--small-only] [--bundle-bytes N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.generate import write_whatsapp
from benchmarks.import_bench import peak_rss_bytes

PASSPHRASE = "benchmark passphrase"
SIZES = ((200, 5_000), (10_000, 100_000))
BUNDLE_BYTES = 2_000_000_000
WORDS = (
    "he was outside my house again",
    "he followed me from the station",
    "he sent flowers to my work",
    "he said I will regret leaving him",
    "he was parked across the road for an hour",
    "my friend got a message asking where I was",
)


def add_incidents(book_dir: Path, count: int, seed: int = 5) -> None:
    from safetrail.models.enums import Behaviour, Channel
    from safetrail.models.incident import IncidentDetails
    from safetrail.models.jsonvalue import JsonObject
    from safetrail.services import entities
    from safetrail.services.casebook import open_casebook
    from safetrail.storage.repository import now_utc

    rng = random.Random(seed)
    moment = datetime(2019, 1, 3, 8, 0, tzinfo=UTC)
    book = open_casebook(book_dir, PASSPHRASE)
    with book.transaction() as conn:
        for number in range(count):
            moment += timedelta(minutes=rng.randint(30, 600))
            details = IncidentDetails(
                occurred_start=moment,
                what_happened=f"{rng.choice(WORDS)} (incident {number})",
                location="Home" if rng.random() < 0.5 else "Work",
                channel=rng.choice((Channel.IN_PERSON, Channel.TEXT_MESSAGE, Channel.PHONE_CALL)),
                behaviours=(rng.choice(tuple(Behaviour)[:9]),),
                impact="I felt frightened" if rng.random() < 0.3 else "",
                private_notes="a private note",
            )
            data: JsonObject = {
                "uid": entities.new_uid(),
                "removed": False,
                "recorded_at": now_utc().isoformat(),
                "details": details.to_data(),
            }
            entities.create(conn, "incident", data)
    book.close()


def build(book_dir: Path, incidents: int, records: int, workdir: Path) -> float:
    from safetrail.services.casebook import create_casebook
    from safetrail.services.ingest import IngestOptions, ingest

    start = time.perf_counter()
    chat = workdir / "chat.txt"
    write_whatsapp(chat, records)
    book = create_casebook(book_dir, PASSPHRASE, "BM")
    ingest(book, chat, IngestOptions(date_order="DMY"))
    book.close()
    chat.unlink()
    add_incidents(book_dir, incidents)
    return time.perf_counter() - start


def child_report(book_dir: Path, fmt: str, out: Path) -> None:
    from safetrail.export.selection import Selection
    from safetrail.services.casebook import open_casebook
    from safetrail.services.reports import write_report

    book = open_casebook(book_dir, PASSPHRASE)
    start = time.perf_counter()
    summary = write_report(book, Selection(), fmt, out)
    seconds = time.perf_counter() - start
    book.close()
    figures = {"seconds": seconds, "peak": peak_rss_bytes(), "entries": summary.entries}
    figures["size"] = summary.size
    print(json.dumps(figures))


def _child(*args: str) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.report_bench", "--child", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return figures


def _pages(pdf: Path) -> str:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False)
    for line in info.stdout.splitlines():
        if line.startswith("Pages:"):
            return line.split()[1]
    return "?"


def bench_reports(workdir: Path, sizes: tuple[tuple[int, int], ...]) -> list[str]:
    lines = []
    for incidents, records in sizes:
        book = workdir / f"book-{incidents}"
        built = build(book, incidents, records, workdir)
        lines.append(f"{incidents:,} incidents + {records:,} records (built in {built:.0f} s):")
        target = "5 s" if incidents <= 200 else "60 s and 1.5 GB"
        for fmt in ("pdf", "html"):
            out = workdir / f"report-{incidents}.{fmt}"
            f = _child(str(book), fmt, str(out))
            pages = f" {_pages(out)} pages," if fmt == "pdf" else ""
            lines.append(
                f"  {fmt}: {f['seconds']:.1f} s, peak {f['peak'] / 2**20:.0f} MiB,{pages} "
                f"{f['size'] / 1e6:.1f} MB, {int(f['entries']):,} entries (target {target})"
            )
            out.unlink()
    return lines


@dataclass(frozen=True, slots=True)
class BundleFigures:
    files: int
    size: int
    add_seconds: float
    bundle_seconds: float
    zip_seconds: float


def make_originals(folder: Path, total: int, seed: int = 3) -> list[Path]:
    """Files of 1 to 64 MB (videos, exports, photos) until `total` bytes."""
    rng = random.Random(seed)
    folder.mkdir()
    written = 0
    paths: list[Path] = []
    block = os.urandom(1 << 20)
    while written < total:
        size = min(total - written, rng.randint(1, 64) << 20)
        path = folder / f"original-{len(paths):04d}.bin"
        with path.open("wb") as handle:
            for offset in range(0, size, 1 << 20):
                chunk = block[: min(1 << 20, size - offset)]
                handle.write(len(paths).to_bytes(4, "big") + chunk[4:])
        paths.append(path)
        written += size
    return paths


def bench_bundle(workdir: Path, total: int) -> BundleFigures:
    from safetrail.export.bundle import write_bundle
    from safetrail.services.casebook import create_casebook
    from safetrail.services.evidence import add_files

    originals = make_originals(workdir / "originals", total)
    book = create_casebook(workdir / "bundle-book", PASSPHRASE, "BM")
    start = time.perf_counter()
    for batch in range(0, len(originals), 20):
        add_files(book, originals[batch : batch + 20])
    added = time.perf_counter() - start
    start = time.perf_counter()
    summary = write_bundle(book, workdir / "bundle.zip")
    bundled = time.perf_counter() - start
    book.close()
    (workdir / "bundle.zip").unlink()
    start = time.perf_counter()
    subprocess.run(
        ["zip", "-0", "-q", "-r", str(workdir / "plain.zip"), "originals"],
        cwd=workdir,
        check=True,
    )
    zipped = time.perf_counter() - start
    (workdir / "plain.zip").unlink()
    return BundleFigures(summary.originals, total, added, bundled, zipped)


def run(small_only: bool = False, bundle_bytes: int = BUNDLE_BYTES) -> str:
    sizes = SIZES[:1] if small_only else SIZES
    with tempfile.TemporaryDirectory(prefix="safetrail-report-") as folder:
        lines = ["Report:", *bench_reports(Path(folder), sizes)]
    if bundle_bytes:
        with tempfile.TemporaryDirectory(prefix="safetrail-bundle-") as folder:
            b = bench_bundle(Path(folder), bundle_bytes)
        mb = b.size / 1e6
        lines += [
            f"Bundle of {b.files} originals, {mb:,.0f} MB (added to the casebook in "
            f"{b.add_seconds:.0f} s):",
            f"  write_bundle: {b.bundle_seconds:.1f} s ({mb / b.bundle_seconds:.0f} MB/s)",
            f"  zip -0 -r:    {b.zip_seconds:.1f} s ({mb / b.zip_seconds:.0f} MB/s)",
            f"  Safetrail at {b.zip_seconds / b.bundle_seconds:.2f} of zip -0's speed "
            "(target: at least 0.5)",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small-only", action="store_true")
    parser.add_argument("--bundle-bytes", type=int, default=BUNDLE_BYTES)
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        book, fmt, out = args.child
        child_report(Path(book), fmt, Path(out))
    else:
        print(run(args.small_only, args.bundle_bytes))


if __name__ == "__main__":
    main()
