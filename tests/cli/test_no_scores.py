"""No output anywhere contains a risk score, a band, or words like "low risk"."""

from __future__ import annotations

import os
import re
from pathlib import Path

from click.testing import CliRunner

from safetrail.cli import cli

BANNED = re.compile(
    r"low risk|medium risk|high risk|standard risk|risk score|risk level|risk rating"
    r"|\bscore\b|\bband\b",
    re.IGNORECASE,
)


def test_every_safety_output_is_free_of_scores(tmp_path: Path, fast_kdf: object) -> None:
    env = {
        **os.environ,
        "SAFETRAIL_CASEBOOK": str(tmp_path / "book"),
        "SAFETRAIL_PASSPHRASE": "correct horse battery",
    }
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    run("init", "--initials", "JS")
    run(
        "incident",
        "add",
        "--when",
        "2026-03-12 18:00",
        "--what",
        "He said he would hurt me",
        "--behaviour",
        "threats",
        "--behaviour",
        "loitering",
        "--feared-violence",
    )
    run(
        "incident",
        "add",
        "--when",
        "2026-03-13 18:00",
        "--what",
        "He pushed me",
        "--behaviour",
        "violence",
    )
    answers = [
        "--answer",
        "fear=yes",
        "--answer",
        "threats=yes",
        "--answer",
        "history-of-violence=yes",
        "--answer",
        "relationship=yes",
    ]
    outputs = [run("risk", "ask", *answers), run("risk", "ask", *answers, "--json")]
    for command in (
        ["risk", "show"],
        ["plan", "show"],
        ["plan", "card"],
        ["prepare-report"],
        ["help-now"],
        ["guide"],
        ["police", "list"],
        ["order", "list"],
    ):
        outputs.append(run(*command))
        if command != ["plan", "card"]:
            outputs.append(run(*command, "--json"))
    for output in outputs:
        assert not BANNED.search(output), BANNED.search(output)
    assert "999" in outputs[2]
