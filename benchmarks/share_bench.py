"""Share package figures: make, open (every check) and update, over a generated casebook.

The casebook holds one generated WhatsApp chat of N messages (imported with the real `ingest`),
a 50 MB original file and a few incidents. Reports are left out (their cost is the report's).

Usage: python -m benchmarks.share_bench [--messages N] [--original-mb M]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.generate import write_whatsapp

PASSPHRASE = "benchmark passphrase"


class Timer:
    """Wall and CPU seconds of a block: on a shared machine the CPU figure is the steady one."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.wall = round(time.perf_counter() - self.wall, 2)
        self.cpu = round(time.process_time() - self.cpu, 2)

    def figures(self) -> list[float]:
        return [self.wall, self.cpu]


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    from safetrail.models.incident import IncidentDetails
    from safetrail.services.casebook import create_casebook
    from safetrail.services.evidence import add_file
    from safetrail.services.incidents import add_incident
    from safetrail.services.ingest import IngestOptions, ingest
    from safetrail.share.age import new_identity
    from safetrail.share.consent import confirm_fingerprint, create_consent
    from safetrail.share.model import Scope
    from safetrail.share.package import create_package, open_package

    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--original-mb", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as folder:
        work = Path(folder)
        chat, video = work / "chat.txt", work / "video.bin"
        write_whatsapp(chat, args.messages)
        video.write_bytes(os.urandom(args.original_mb << 20))
        book = create_casebook(work / "book", PASSPHRASE, "BM")
        ingest(book, chat, IngestOptions(date_order="DMY"))
        add_file(book, video)
        for day in range(1, 11):
            add_incident(
                book,
                IncidentDetails(
                    occurred_start=datetime(2026, 1, day, 12, tzinfo=UTC),
                    what_happened=f"Incident {day}",
                ),
            )
        secret, public = new_identity()
        consent = create_consent(
            book,
            recipient_name="Bench",
            recipient_key=public,
            purpose="benchmark",
            scope=Scope(everything=True),
            valid_from=datetime.now(UTC) - timedelta(minutes=1),
            valid_until=None,
        )
        confirm_fingerprint(book, consent.consent_id, consent.recipient_fingerprint)
        with Timer() as made:
            first = create_package(book, consent.consent_id, work / "1.age", previous=None)
        with Timer() as checked:
            opened = open_package(first.path, secret)
        add_incident(
            book,
            IncidentDetails(occurred_start=datetime(2026, 2, 1, tzinfo=UTC), what_happened="New"),
        )
        with Timer() as updated:
            update = create_package(book, consent.consent_id, work / "2.age", previous=first.marker)
        with Timer() as update_checked:
            open_package(update.path, secret, last_received=lambda *_: opened.marker)
        book.close()
        figures = {
            "messages": args.messages,
            "records": first.records,
            "package_mb": round(first.path.stat().st_size / (1 << 20), 1),
            "create_wall_cpu_s": made.figures(),
            "open_and_check_wall_cpu_s": checked.figures(),
            "update_create_wall_cpu_s": updated.figures(),
            "update_package_kb": round(update.path.stat().st_size / 1024, 1),
            "update_open_wall_cpu_s": update_checked.figures(),
            "peak_rss_mib": round(_peak_mib()),
        }
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
