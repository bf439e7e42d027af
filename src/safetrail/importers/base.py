"""The importer contract. Importers parse; they never touch storage.

Every importer is a class with a stable `name`, a `version` (bumped whenever its output changes), a
cheap `sniff` and a `parse` that yields Records and ParseWarnings. A file that cannot be read at
all raises ImportFormatError naming the place (line or byte offset) where reading failed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Literal, Protocol, runtime_checkable

from safetrail.models.record import Locator, ParseWarning, Record

DateOrder = Literal["DMY", "MDY", "YMD"]

DEFAULT_TIMEZONE = "Europe/London"


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep hostile files from exhausting time or memory."""

    max_line_bytes: int = 1 << 20
    max_text_chars: int = 1 << 20
    max_attachment_bytes: int = 64 << 20
    max_zip_members: int = 100_000
    max_zip_total_bytes: int = 8 << 30
    max_zip_ratio: int = 200
    max_json_depth: int = 200
    max_json_bytes: int = 512 << 20
    max_consecutive_bad_lines: int = 50


@dataclass(frozen=True, slots=True)
class Source:
    """The original file as it arrived. `sha256` is computed before any parsing."""

    path: Path
    display_name: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """Explicit input for a parse; importers never read global settings."""

    timezone: str = DEFAULT_TIMEZONE
    date_order: DateOrder | None = None
    me: tuple[str, ...] = ()
    column_map: Mapping[str, str] = field(default_factory=dict)
    limits: Limits = Limits()


class ImportFormatError(Exception):
    """The file cannot be imported. Names where reading failed, for the person to see."""

    def __init__(self, message: str, locator: Locator | None = None) -> None:
        self.message = message
        self.locator = locator or Locator()
        super().__init__(self.describe())

    def describe(self) -> str:
        where = self.locator.describe()
        return self.message if where == "whole file" else f"{self.message} ({where})"


class AmbiguousDateOrder(ImportFormatError):
    """Every date in the file reads both day-first and month-first; the person must choose."""


ParseItem = Record | ParseWarning


@runtime_checkable
class Importer(Protocol):
    name: ClassVar[str]
    version: ClassVar[str]
    label: ClassVar[str]

    def sniff(self, source: Source, head: bytes) -> int:
        """Confidence 0-100 that this importer reads the source. Cheap; must not raise."""
        ...

    def parse(self, source: Source, options: ImportOptions) -> Iterator[ParseItem]:
        """Yield records and warnings in source order. Raise ImportFormatError if unreadable."""
        ...
