"""Web app figures (issue 7): server-side time of the timeline page and the pattern summary on a
casebook of 1,000,000 imported records.

The casebook is built by importing the generated WhatsApp chat with the real `ingest` (as in
analysis_bench), or an existing one is copied with --book (the original is never opened). The
requests go through the real app (middleware, session, CSRF, templates) in-process, so the times
are the server's own, without a browser or the network.

Usage: python -m benchmarks.web_bench [--messages N] [--book DIR] [--requests N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
import warnings
from pathlib import Path

from benchmarks.analysis_bench import PASSPHRASE, build

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*httpx2", category=UserWarning)
    from starlette.testclient import TestClient


def _timed(client: TestClient, path: str) -> float:
    start = time.perf_counter()
    answer = client.get(path)
    seconds = time.perf_counter() - start
    if answer.status_code != 200:
        raise SystemExit(f"{path} answered {answer.status_code}")
    return seconds


def measure(book_dir: Path, requests: int) -> dict[str, float]:
    from safetrail.web.app import create_app
    from safetrail.web.config import WebConfig

    config = WebConfig(casebook_root=book_dir, port=8799)
    with TestClient(create_app(config), base_url=config.origin) as client:
        client.get(f"/launch?secret={config.launch_secret}", follow_redirects=False)
        client.app.state.safetrail.unlock(PASSPHRASE)  # type: ignore[attr-defined]
        first_pattern = _timed(client, "/pattern")
        second_pattern = _timed(client, "/pattern")
        _timed(client, "/timeline")  # warm the page cache, as a person's second visit would
        timeline = [_timed(client, "/timeline") for _ in range(requests)]
        later = [_timed(client, "/timeline?page=50") for _ in range(requests)]
        searched = [_timed(client, "/timeline?q=police") for _ in range(requests)]
        client.app.state.safetrail.lock()  # type: ignore[attr-defined]
    return {
        "timeline": statistics.median(timeline),
        "timeline_max": max(timeline),
        "later": statistics.median(later),
        "searched": statistics.median(searched),
        "pattern_first": first_pattern,
        "pattern_second": second_pattern,
    }


def run(messages: int, book: Path | None = None, requests: int = 20) -> str:
    with tempfile.TemporaryDirectory(prefix="safetrail-web-") as folder:
        workdir = Path(folder)
        copy = workdir / "book"
        built = ""
        if book is None:
            seconds = build(copy, messages, workdir)
            built = f", built by importing {messages:,} messages in {seconds:.0f} s"
        else:
            shutil.copytree(book, copy, ignore=shutil.ignore_patterns("lock"))
            built = f", a copy of {book}"
        figures = measure(copy, requests)
    ms = {k: v * 1000 for k, v in figures.items()}
    return (
        f"Web app on the casebook{built} ({requests} requests each, in-process ASGI):\n"
        f"  timeline page: median {ms['timeline']:.0f} ms (max {ms['timeline_max']:.0f} ms; "
        "target under 150 ms)\n"
        f"  timeline page 50: median {ms['later']:.0f} ms; "
        f"search 'police': median {ms['searched']:.0f} ms\n"
        f"  pattern summary: first {figures['pattern_first']:.1f} s (analysis), "
        f"second {figures['pattern_second']:.2f} s (target under 1 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--book", type=Path, help="copy this casebook instead of building one")
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    print(run(args.messages, args.book, args.requests))


if __name__ == "__main__":
    main()
