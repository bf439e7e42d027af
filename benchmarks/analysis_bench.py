"""Analysis figure: `analyse` over a casebook of 1,000,000 imported records (issue 4).

The casebook is built by importing the generated WhatsApp chat with the real `ingest` (or an
existing one is reused with --book). The analysis runs in a child process that reports its own
time and peak memory, twice (the second run shows the cost once the page cache is warm).

Usage: python -m benchmarks.analysis_bench [--messages N] [--book DIR]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import write_whatsapp

PASSPHRASE = "benchmark passphrase"


def build(book_dir: Path, messages: int, workdir: Path) -> float:
    from safetrail.services.casebook import create_casebook
    from safetrail.services.ingest import IngestOptions, ingest

    chat = workdir / "chat.txt"
    write_whatsapp(chat, messages)
    book = create_casebook(book_dir, PASSPHRASE, "BM")
    start = time.perf_counter()
    ingest(book, chat, IngestOptions(date_order="DMY"))
    book.close()
    return time.perf_counter() - start


def child(book_dir: Path) -> None:
    from safetrail.services.analysis import analyse_case
    from safetrail.services.casebook import open_casebook

    book = open_casebook(book_dir, PASSPHRASE)
    runs = []
    for _ in range(2):
        start = time.perf_counter()
        result = analyse_case(book)
        runs.append(time.perf_counter() - start)
    book.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"runs": runs, "peak": peak, "tags": len(result.tags)}))


def run(messages: int, book: Path | None = None) -> str:
    with tempfile.TemporaryDirectory(prefix="safetrail-analysis-") as folder:
        workdir = Path(folder)
        built = ""
        if book is None:
            book = workdir / "book"
            seconds = build(book, messages, workdir)
            built = f"; built by importing {messages:,} messages in {seconds:.0f} s"
        output = subprocess.run(
            [sys.executable, "-m", "benchmarks.analysis_bench", "--child", str(book)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    first, second = figures["runs"]
    return (
        f"Analysis of the casebook{built}: {first:.1f} s, then {second:.1f} s; "
        f"peak memory {figures['peak'] / 2**20:.0f} MiB; {figures['tags']:,} tag entries "
        "(target: under 10 s and under 1 GB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--book", type=Path)
    parser.add_argument("--child", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child)
    else:
        print(run(args.messages, args.book))


if __name__ == "__main__":
    main()
