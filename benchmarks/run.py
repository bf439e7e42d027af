"""Run every benchmark and print the figures for BENCHMARKS.md.

Usage: python -m benchmarks.run [--files N]
"""

from __future__ import annotations

import argparse
import os
import platform

from benchmarks import casebook_bench


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10_000, help="evidence files to add")
    args = parser.parse_args()
    print(f"Machine: {machine()}")
    print(casebook_bench.run(args.files))


if __name__ == "__main__":
    main()
