"""CASE/UCO JSON-LD: valid by case-utils' validator, with every file's hash and its actions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from safetrail.export.case_uco import case_graph, write_case
from safetrail.export.selection import Selection
from safetrail.models.evidence import EvidenceDescription
from safetrail.models.jsonvalue import JsonObject
from safetrail.services.casebook import Casebook
from safetrail.services.evidence import add_file, list_evidence
from tests.export.report.case_data import THIRD_NUMBER, fill_report_case

CASE_VALIDATE = Path(sys.executable).parent / "case_validate"


def _nodes(document: JsonObject, kind: str) -> list[JsonObject]:
    graph = document["@graph"]
    assert isinstance(graph, list)
    return [node for node in graph if isinstance(node, dict) and node.get("@type") == kind]


@pytest.mark.slow
def test_case_output_validates(book: Casebook, tmp_path: Path) -> None:
    fill_report_case(book, tmp_path)
    out = tmp_path / "case.jsonld"
    result = write_case(book, out, Selection())
    assert (result.files, result.actions) == (2, 3)  # two acquisitions, one import
    checked = subprocess.run(
        [str(CASE_VALIDATE), str(out)], capture_output=True, text=True, timeout=300, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Conforms: True" in checked.stdout


@pytest.mark.slow
def test_case_validator_rejects_a_broken_graph(book: Casebook, tmp_path: Path) -> None:
    fill_report_case(book, tmp_path)
    document = case_graph(book, Selection())
    for node in _nodes(document, "observable:File"):
        node["core:hasFacet"] = "not a facet"
    out = tmp_path / "broken.jsonld"
    out.write_text(json.dumps(document), encoding="utf-8")
    checked = subprocess.run(
        [str(CASE_VALIDATE), str(out)], capture_output=True, text=True, timeout=300, check=False
    )
    assert checked.returncode != 0
    assert "Conforms: False" in checked.stdout and "core:Facet" in checked.stdout


def test_files_hashes_actions_and_redaction(book: Casebook, tmp_path: Path) -> None:
    fill_report_case(book, tmp_path)
    note = tmp_path / "note.txt"
    note.write_text("call me", encoding="utf-8")
    add_file(book, note, EvidenceDescription(description=f"Note from {THIRD_NUMBER}"))
    document = case_graph(book, Selection())
    text = json.dumps(document, ensure_ascii=False)
    for stored in list_evidence(book):
        assert stored.file is not None and stored.file.sha256.upper() in text
    assert THIRD_NUMBER not in text and "[number removed]" in text
    assert THIRD_NUMBER in json.dumps(case_graph(book, Selection(redact_third_parties=False)))
    actions = _nodes(document, "case-investigation:InvestigativeAction")
    assert sorted(str(a["core:name"]) for a in actions) == [
        "acquisition",
        "acquisition",
        "acquisition",
        "import",
    ]
    assert case_graph(book, Selection()) == document  # same casebook, same identifiers
