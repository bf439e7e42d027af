"""Writing the report in any of its formats: the one entry point for the CLI and the web app.

pdf and html: the police-ready report (one model, two renderings). csv: the chronology for a
spreadsheet. jsonl: a Timesketch timeline. case: CASE/UCO JSON-LD for forensic tools. Every file
written is plaintext: the caller must tell the person to keep it safe.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from safetrail.export.report.build import ReportOptions
from safetrail.export.selection import Selection
from safetrail.models.jsonvalue import JsonObject
from safetrail.services.casebook import Casebook
from safetrail.services.errors import InvalidInput
from safetrail.vault.atomic import atomic_write_bytes

ReportFormat = Literal["pdf", "html", "csv", "jsonl", "case"]
REPORT_FORMATS: tuple[str, ...] = get_args(ReportFormat)


@dataclass(frozen=True, slots=True)
class ReportSummary:
    format: str
    path: Path
    entries: int
    sha256: str
    size: int
    left_out_untimed: int
    private_notes_included: bool
    redacted: bool

    def to_json(self) -> JsonObject:
        return {
            "format": self.format,
            "out": str(self.path),
            "entries": self.entries,
            "sha256": self.sha256,
            "bytes": self.size,
            "left_out_untimed": self.left_out_untimed,
            "private_notes_included": self.private_notes_included,
            "redacted": self.redacted,
        }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def render_report(
    book: Casebook, selection: Selection, fmt: str, options: ReportOptions | None = None
) -> tuple[bytes, int]:
    """The PDF or HTML report as bytes, and how many chronology entries it holds."""
    from safetrail.export.report.build import build_report

    report = build_report(book, selection, options)
    if fmt == "pdf":
        from safetrail.export.report.pdf import render_pdf

        return render_pdf(report), len(report.chronology)
    if fmt == "html":
        from safetrail.export.report.html import render_html

        return render_html(report).encode("utf-8"), len(report.chronology)
    raise InvalidInput(f"render_report makes pdf or html, not {fmt!r}")


def _write(
    book: Casebook, selection: Selection, fmt: str, out: Path, options: ReportOptions | None
) -> tuple[int, int]:
    if fmt in ("pdf", "html"):
        data, entries = render_report(book, selection, fmt, options)
        atomic_write_bytes(out, data)
        return entries, 0
    if fmt == "csv":
        from safetrail.export.chronology import write_chronology_csv

        return write_chronology_csv(book, out, selection), 0
    if fmt == "jsonl":
        from safetrail.export.timesketch import export_timesketch

        result = export_timesketch(book, out, selection)
        return result.written, result.left_out_untimed
    from safetrail.export.case_uco import write_case

    return write_case(book, out, selection).files, 0


def write_report(
    book: Casebook,
    selection: Selection,
    fmt: str,
    out: Path,
    options: ReportOptions | None = None,
) -> ReportSummary:
    """Write the report as `fmt` (pdf, html, csv, jsonl or case) to `out`, atomically."""
    if fmt not in REPORT_FORMATS:
        raise InvalidInput(f"unknown report format {fmt!r}; choose {', '.join(REPORT_FORMATS)}")
    if not out.parent.is_dir():
        raise InvalidInput(f"There is no folder {out.parent} to write {out.name} in.")
    entries, left_out = _write(book, selection, fmt, out, options)
    return ReportSummary(
        format=fmt,
        path=out,
        entries=entries,
        sha256=_sha256(out),
        size=out.stat().st_size,
        left_out_untimed=left_out,
        private_notes_included=selection.include_private_notes and fmt in ("pdf", "html", "csv"),
        redacted=selection.redact_third_parties,
    )
