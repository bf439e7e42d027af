"""The report as PDF/A-2b, laid out by Typst with the fonts shipped in Safetrail.

Everything from the casebook goes to Typst as JSON in `sys.inputs`, which Typst reads as data:
a message that looks like Typst markup or code is printed as it is. No system font is used.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Final

from safetrail.export.report.model import Report
from safetrail.models.jsonvalue import JsonValue

FONTS = Path(str(resources.files("safetrail.export"))) / "fonts"
TEMPLATE = Path(str(resources.files("safetrail.export.report"))) / "report.typ"
PDF_STANDARD: Final = "a-2b"
# Runs this long with no space (links, keyboard mashing, hashes in messages) get invisible
# break opportunities, so a single word can never run off the page.
_LONG_RUN = re.compile(r"\S{30,}")
_ZERO_WIDTH_SPACE = "\u200b"
_BREAK_EVERY = 20
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


def _inputs(report: Report) -> dict[str, str]:
    data = breakable(report.to_json())
    inputs = {"data": json.dumps(data, ensure_ascii=False)}
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
