"""Run the benchmarks and print the figures for BENCHMARKS.md.

Usage: python -m benchmarks.run [--only casebook,import,tagging,analysis,report] [--files N]
       [--messages N] [--sms-bytes N] [--bundle-bytes N]
"""

from __future__ import annotations

import argparse
import os
import platform

BENCHMARKS = ("casebook", "import", "tagging", "analysis", "report", "web")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, Python {platform.python_version()}"
    )


def chosen(only: str | None) -> list[str]:
    if not only:
        return list(BENCHMARKS)
    names = [name.strip() for name in only.split(",") if name.strip()]
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(unknown)}; choose from {BENCHMARKS}")
    return [name for name in BENCHMARKS if name in names]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", help=f"comma-separated, from: {','.join(BENCHMARKS)}")
    parser.add_argument("--files", type=int, default=10_000, help="evidence files to add")
    parser.add_argument("--messages", type=int, default=1_000_000, help="WhatsApp messages")
    parser.add_argument(
        "--sms-bytes", type=int, default=1_000_000_000, help="size of the SMS backup"
    )
    parser.add_argument(
        "--bundle-bytes", type=int, default=2_000_000_000, help="originals in the bundle bench"
    )
    args = parser.parse_args()
    names = chosen(args.only)
    print(f"Machine: {machine()}")
    if "casebook" in names:
        from benchmarks import casebook_bench

        print(casebook_bench.run(args.files))
    if "import" in names:
        from benchmarks import import_bench

        print(import_bench.run(args.messages, args.sms_bytes))
    if "tagging" in names:
        from benchmarks import reader_agreement, tagging_bench

        print(tagging_bench.run())
        print(reader_agreement.run())
    if "analysis" in names:
        from benchmarks import analysis_bench

        print(analysis_bench.run(args.messages))
    if "report" in names:
        from benchmarks import report_bench

        print(report_bench.run(bundle_bytes=args.bundle_bytes))
    if "web" in names:
        from benchmarks import web_bench

        print(web_bench.run(args.messages))


if __name__ == "__main__":
    main()
