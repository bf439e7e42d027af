"""The report as PDF/A-2b, laid out by Typst with the fonts shipped in Safetrail.

Everything from the casebook goes to Typst as JSON in `sys.inputs`, which Typst reads as data:
a message that looks like Typst markup or code is printed as it is. No system font is used.
"""

from __future__ import annotations

import json
import re
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Final

from safetrail.export.report.model import Entry, Report
from safetrail.models.jsonvalue import JsonValue

FONTS = Path(str(resources.files("safetrail.export"))) / "fonts"
TEMPLATE = Path(str(resources.files("safetrail.export.report"))) / "report.typ"
PDF_STANDARD: Final = "a-2b"
# Runs this long with no space (links, keyboard mashing, hashes in messages) get invisible
# break opportunities, so a single word can never run off the page.
_LONG_RUN = re.compile(r"\S{30,}")
_ZERO_WIDTH_SPACE = "\u200b"
_BREAK_EVERY = 20
MAX_PDF_RECORDS = 20_000
_UNBROKEN = frozenset({"sha256", "log_head"})  # printed whole, in a font size that fits


def _breakable_run(match: re.Match[str]) -> str:
    run = match.group(0)
    pieces = [run[i : i + _BREAK_EVERY] for i in range(0, len(run), _BREAK_EVERY)]
    return _ZERO_WIDTH_SPACE.join(pieces)


def breakable(value: JsonValue) -> JsonValue:
    """Every string in `value` with break opportunities inside very long words (not hashes)."""
    if isinstance(value, str):
        return _LONG_RUN.sub(_breakable_run, value) if len(value) >= 30 else value
    if isinstance(value, list):
        return [breakable(item) for item in value]
    if isinstance(value, dict):
        return {k: item if k in _UNBROKEN else breakable(item) for k, item in value.items()}
    return value


def right_to_left(text: str) -> bool:
    """True when the first letter with a direction is Hebrew, Arabic or another RTL script."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def printed_entries(report: Report) -> tuple[list[Entry], str]:
    """The entries the PDF prints in full, and a note when some records are only in the HTML.

    Above MAX_PDF_RECORDS messages, calls and emails, the PDF prints every incident and exhibit
    and the records with a behaviour tag, and says so: tens of thousands of pages help no one,
    and Typst keeps the whole document in memory. The HTML report always has every entry.
    """
    records = [e for e in report.chronology if e.kind not in ("incident", "evidence")]
    if len(records) <= MAX_PDF_RECORDS:
        return list(report.chronology), ""
    kept = [e for e in report.chronology if e.kind in ("incident", "evidence") or e.behaviours]
    left = len(report.chronology) - len(kept)
    note = (
        f"This selection holds {len(records):,} messages, calls and emails: too many to print. "
        f"This PDF prints every incident and exhibit and the {len(records) - left:,} records "
        f"with a behaviour tag. The other {left:,} are in the HTML version of this report "
        "(report.html) and in the evidence bundle (data/records.csv), with their full text."
    )
    return kept, note


def _inputs(report: Report) -> dict[str, str]:
    entries, note = printed_entries(report)
    data = report.to_json(with_chronology=False)
    data["chronology"] = [[*e.to_json(), right_to_left(e.text)] for e in entries]
    data["chronology_note"] = note
    inputs = {"data": json.dumps(breakable(data), ensure_ascii=False)}
    for index, chart in enumerate(report.charts):
        inputs[f"chart{index}"] = chart.svg
    return inputs


def render_pdf(report: Report) -> bytes:
    """The report as PDF/A-2b bytes."""
    import typst

    return typst.compile(
        str(TEMPLATE),
        format="pdf",
        font_paths=[str(FONTS)],
        ignore_system_fonts=True,
        sys_inputs=_inputs(report),
        pdf_standards=PDF_STANDARD,
    )
