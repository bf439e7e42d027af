"""Checks across all shipped safety content: no scores, bands or risk levels anywhere."""

from __future__ import annotations

import re
from importlib import resources
from importlib.resources.abc import Traversable

from click.testing import CliRunner

from safetrail.cli.guide import guide_command, help_now_command
from safetrail.safety.guide import JURISDICTIONS, TOPICS

FORBIDDEN = re.compile(
    r"low risk|medium risk|high risk|risk score|risk level|risk band|\bscore\b", re.IGNORECASE
)


def _content_files(folder: Traversable) -> list[Traversable]:
    files: list[Traversable] = []
    for entry in folder.iterdir():
        if entry.is_dir():
            files += _content_files(entry)
        elif entry.name.endswith((".md", ".yaml")):
            files.append(entry)
    return files


def test_no_content_file_mentions_a_score_band_or_level() -> None:
    files = _content_files(resources.files("safetrail.safety").joinpath("content"))
    assert len(files) >= len(JURISDICTIONS) * len(TOPICS) + 3
    for entry in files:
        text = entry.read_text(encoding="utf-8")
        assert not FORBIDDEN.search(text), (entry.name, FORBIDDEN.search(text))


def test_no_cli_output_mentions_a_score_band_or_level() -> None:
    runner = CliRunner()
    outputs = [
        runner.invoke(help_now_command, []).output,
        runner.invoke(help_now_command, ["--json"]).output,
    ]
    for jurisdiction in JURISDICTIONS:
        outputs.append(runner.invoke(guide_command, ["-j", jurisdiction]).output)
        for topic in TOPICS:
            outputs.append(runner.invoke(guide_command, [topic, "-j", jurisdiction]).output)
    for output in outputs:
        assert output
        assert not FORBIDDEN.search(output)


def test_forbidden_pattern_catches_the_wording() -> None:
    for phrase in ("Low Risk", "MEDIUM RISK", "high risk", "your risk score", "Risk level"):
        assert FORBIDDEN.search(phrase)
