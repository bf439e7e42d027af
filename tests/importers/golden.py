"""Shared helpers for importer tests: run an importer on a sample and compare with expected.json.

expected.json beside each sample holds {"records": [...], "warnings": [...]} as produced by
record_to_data. Set SAFETRAIL_UPDATE_GOLDEN=1 to write it afresh, then read it by hand before
committing: a golden file is only as good as the person who checked it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from safetrail.importers.base import Importer, ImportOptions, Source
from safetrail.models.record import ParseWarning, Record, record_to_data

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def source_for(path: Path) -> Source:
    data = path.read_bytes()
    return Source(
        path=path, display_name=path.name, sha256=hashlib.sha256(data).hexdigest(), size=len(data)
    )


def run_importer(
    importer: Importer, path: Path, options: ImportOptions | None = None
) -> tuple[list[Record], list[ParseWarning]]:
    records: list[Record] = []
    warnings: list[ParseWarning] = []
    for item in importer.parse(source_for(path), options or ImportOptions()):
        if isinstance(item, Record):
            records.append(item)
        else:
            warnings.append(item)
    return records, warnings


def as_golden(records: list[Record], warnings: list[ParseWarning]) -> dict[str, object]:
    return {
        "records": [record_to_data(r) for r in records],
        "warnings": [{"message": w.message, "where": w.locator.describe()} for w in warnings],
    }


def expected_path(sample: Path) -> Path:
    """`tests/samples/<importer>/<case>.<ext>` -> `<case>.expected.json` beside it."""
    return sample.with_name(sample.name.split(".")[0] + ".expected.json")


def check_golden(
    importer: Importer, sample: Path, options: ImportOptions | None = None
) -> dict[str, object]:
    actual = as_golden(*run_importer(importer, sample, options))
    expected_file = expected_path(sample)
    if os.environ.get("SAFETRAIL_UPDATE_GOLDEN") == "1":
        expected_file.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", "utf-8")
    expected = json.loads(expected_file.read_text("utf-8"))
    assert actual == expected
    return actual
