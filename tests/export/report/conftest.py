"""Rendered reports shared by a module's tests: one casebook, rendered once per selection."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from safetrail.export.report.build import ReportOptions, build_report
from safetrail.export.report.model import Report
from safetrail.export.selection import Selection
from safetrail.services.casebook import Casebook, create_casebook
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.export.report.case_data import fill_report_case

DEFAULT = Selection()
EVERYTHING = Selection(include_private_notes=True, redact_third_parties=False)


@dataclass
class Rendered:
    book: Casebook
    folder: Path
    default: Report
    everything: Report


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rendered]:
    folder = tmp_path_factory.mktemp("report")
    book = create_casebook(folder / "casebook", PASSPHRASE, "JS", kdf=FAST_KDF)
    try:
        fill_report_case(book, folder)
        yield Rendered(
            book,
            folder,
            build_report(book, DEFAULT, ReportOptions(person="Alex Example")),
            build_report(book, EVERYTHING, ReportOptions(charts=False)),
        )
    finally:
        book.close()
