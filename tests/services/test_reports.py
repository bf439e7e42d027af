"""write_report: every format through one call, with a summary the caller can show."""

from __future__ import annotations

import hashlib
import html
from pathlib import Path

import pytest

from safetrail.export.selection import Selection
from safetrail.services.casebook import Casebook
from safetrail.services.errors import InvalidInput
from safetrail.services.reports import REPORT_FORMATS, write_report
from tests.export.report.case_data import SECRET, fill_report_case

SUFFIXES = {"pdf": ".pdf", "html": ".html", "csv": ".csv", "jsonl": ".jsonl", "case": ".jsonld"}
STARTS = {"pdf": b"%PDF-", "html": b"<!DOCTYPE html>", "case": b"{", "jsonl": b"{"}


@pytest.mark.slow
def test_every_format(book: Casebook, tmp_path: Path) -> None:
    fill_report_case(book, tmp_path)
    selection = Selection(include_private_notes=True)
    for fmt in REPORT_FORMATS:
        out = tmp_path / f"report{SUFFIXES[fmt]}"
        summary = write_report(book, selection, fmt, out)
        data = out.read_bytes()
        assert summary.sha256 == hashlib.sha256(data).hexdigest()
        assert summary.size == len(data) and summary.entries > 0
        assert data.startswith(STARTS.get(fmt, b"\xef\xbb\xbfentry"))
        assert summary.private_notes_included is (fmt in ("pdf", "html", "csv"))
        assert summary.to_json()["format"] == fmt
        if fmt in ("html", "csv"):
            assert SECRET in html.unescape(data.decode("utf-8"))
    assert not list(tmp_path.glob(".report*.tmp"))


def test_rejects_unknown_format_and_missing_folder(book: Casebook, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="unknown report format"):
        write_report(book, Selection(), "docx", tmp_path / "r.docx")
    with pytest.raises(InvalidInput, match="no folder"):
        write_report(book, Selection(), "html", tmp_path / "missing" / "r.html")
