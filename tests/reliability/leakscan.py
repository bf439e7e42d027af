"""The leak scan: marker strings must not appear in plaintext anywhere a process wrote.

Give it the markers (name -> text) planted in diary entries and evidence, the folders and files
to search (casebook folder, temp folders, logs, a browser profile), and whatever the process
printed (its stdout and stderr, crash output included). Each marker is looked for in UTF-8,
UTF-16 (both byte orders) and, for zip and gzip files, inside their decompressed contents, so
a leak cannot hide in an archive or a Windows-style text file. Used by the CLI journey here and
meant for the web journey (browser profile, server log) too.
"""

from __future__ import annotations

import gzip
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")
MAX_MEMBER_BYTES = 256 << 20


@dataclass(frozen=True, slots=True)
class Leak:
    marker: str  # the marker's name, never its text (the report itself must not leak)
    where: str
    encoding: str

    def __str__(self) -> str:
        return f"{self.marker} in {self.where} ({self.encoding})"


def _needles(markers: Mapping[str, str]) -> list[tuple[str, str, bytes]]:
    return [
        (name, encoding, text.encode(encoding))
        for name, text in markers.items()
        for encoding in ENCODINGS
    ]


def _search(data: bytes, where: str, needles: list[tuple[str, str, bytes]]) -> list[Leak]:
    return [Leak(name, where, enc) for name, enc, needle in needles if needle in data]


def _inside(path: Path, data: bytes, needles: list[tuple[str, str, bytes]]) -> list[Leak]:
    """Leaks inside a zip's members or a gzip stream (archives would otherwise hide them)."""
    found: list[Leak] = []
    if data[:2] == b"\x1f\x8b":
        try:
            inner = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            inner = b""
        found.extend(_search(inner[:MAX_MEMBER_BYTES], f"{path} (gzip)", needles))
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    if info.file_size <= MAX_MEMBER_BYTES:
                        member = archive.read(info)
                        found.extend(_search(member, f"{path}!{info.filename}", needles))
        except (zipfile.BadZipFile, OSError, zlib.error, EOFError, RuntimeError):
            pass
    return found


def _files(paths: Iterable[Path], exclude: frozenset[Path]) -> Iterable[Path]:
    for root in paths:
        candidates = [root] if root.is_file() else sorted(root.rglob("*")) if root.exists() else []
        for path in candidates:
            hidden = path in exclude or bool(set(path.parents) & exclude)
            if path.is_file() and not path.is_symlink() and not hidden:
                yield path


def scan(
    markers: Mapping[str, str],
    paths: Iterable[Path],
    output: Mapping[str, str | bytes] | None = None,
    exclude: Iterable[Path] = (),
) -> list[Leak]:
    """Every place a marker was found: files under `paths` (minus `exclude`) and `output`.

    `output` maps a label (e.g. "import stderr") to what a process printed.
    """
    needles = _needles(markers)
    leaks: list[Leak] = []
    for path in _files(paths, frozenset(exclude)):
        data = path.read_bytes()
        leaks.extend(_search(data, str(path), needles))
        leaks.extend(_inside(path, data, needles))
    for label, printed in (output or {}).items():
        raw = printed.encode("utf-8", "surrogateescape") if isinstance(printed, str) else printed
        leaks.extend(_search(raw, label, needles))
    return leaks
