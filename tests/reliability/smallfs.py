"""A small file system for disk-full tests: a tmpfs mount if allowed, else RLIMIT_FSIZE.

`kind` says which one ran, so the report can state it. A tmpfs can also be remounted
read-only, which (unlike chmod) holds even for root.
"""

from __future__ import annotations

import resource
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class SmallFs:
    path: Path
    kind: str  # "tmpfs" or "rlimit"
    size: int

    def fill(self, leave: int) -> Path:
        """Fill the file system until only `leave` bytes are free; returns the filler file."""
        filler = self.path / "filler.bin"
        free = self.free()
        with filler.open("ab") as out:
            out.write(b"\0" * max(0, free - leave))
        return filler

    def free(self) -> int:
        import os

        stats = os.statvfs(self.path)
        return stats.f_bavail * stats.f_frsize

    def read_only(self, on: bool) -> None:
        option = "remount,ro" if on else "remount,rw"
        subprocess.run(["mount", "-o", option, str(self.path)], check=True, capture_output=True)

    def preexec(self) -> Callable[[], None] | None:
        """For the rlimit fallback: a child may not write any one file past `size`."""
        if self.kind != "rlimit":
            return None
        size = self.size

        def limit() -> None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

        return limit


def mount_small(path: Path, size: int) -> SmallFs:
    path.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    return SmallFs(path, "tmpfs" if result.returncode == 0 else "rlimit", size)


def unmount(fs: SmallFs) -> None:
    if fs.kind == "tmpfs":
        subprocess.run(["umount", "-l", str(fs.path)], check=False, capture_output=True)
