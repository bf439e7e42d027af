"""Run a parse under a time bound (SIGALRM) and an address-space bound (soft RLIMIT_AS)."""

from __future__ import annotations

import resource
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType


class ParseTimeout(BaseException):
    """Raised by the alarm; a BaseException so no parser's `except Exception` can hide it."""


def address_space() -> int:
    pages = int(Path("/proc/self/statm").read_text().split()[0])
    return pages * resource.getpagesize()


@contextmanager
def bounded(seconds: float, extra_memory: int) -> Iterator[None]:
    """Within the block: at most `seconds`, and at most `extra_memory` more address space."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = address_space() + extra_memory
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)

    def alarm(_signum: int, _frame: FrameType | None) -> None:
        raise ParseTimeout(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        signal.signal(signal.SIGALRM, previous)
