"""`safetrail report --format pdf|html|case`: the selection options reach the report."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from safetrail.cli.report import report_command
from safetrail.services.casebook import create_casebook
from safetrail.vault.keys import KdfParams
from tests.conftest import PASSPHRASE
from tests.export.report.case_data import SECRET, THIRD_NUMBER, THREAT, fill_report_case


@pytest.mark.slow
def test_report_formats_and_selection(tmp_path: Path, fast_kdf: KdfParams) -> None:
    root = tmp_path / "book"
    book = create_casebook(root, PASSPHRASE, "JS", kdf=fast_kdf)
    try:
        fill_report_case(book, tmp_path)
    finally:
        book.close()
    env = {"SAFETRAIL_CASEBOOK": str(root), "SAFETRAIL_PASSPHRASE": PASSPHRASE}
    runner = CliRunner()
    page = tmp_path / "report.html"
    args = ["--format", "html", "--out", str(page), "--person", "Alex Example"]
    args += ["--from", "2026-02-01", "--to", "2026-02-03", "--kinds", "incident"]
    args += ["--include-private-notes", "--no-redact", "--json"]
    result = runner.invoke(report_command, args, env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["entries"] == 2 and summary["private_notes_included"] is True
    text = html.unescape(page.read_text("utf-8"))
    assert SECRET in text and THIRD_NUMBER in text and THREAT in text and "Alex Example" in text
    assert "record:" not in text
    pdf = tmp_path / "report.pdf"
    result = runner.invoke(
        report_command, ["--format", "pdf", "--out", str(pdf)], env=env, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "Your private notes are not in it." in result.output
    assert pdf.read_bytes().startswith(b"%PDF-")
    case = tmp_path / "case.jsonld"
    result = runner.invoke(
        report_command, ["--format", "case", "--out", str(case)], env=env, catch_exceptions=False
    )
    assert result.exit_code == 0 and "@graph" in json.loads(case.read_text("utf-8"))
