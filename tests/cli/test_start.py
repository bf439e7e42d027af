"""The guided quick start, answered as a first-time user would."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from safetrail.cli import cli


def test_first_run_then_menu(tmp_path: Path, fast_kdf: object) -> None:
    env = {
        **os.environ,
        "SAFETRAIL_CASEBOOK": str(tmp_path / "book"),
        "SAFETRAIL_PASSPHRASE": "correct horse battery",
    }
    answers = [
        "AB",  # initials
        "y",  # record who
        "Mark",
        "ex_partner",
        "07700 900123",
        "",
        "",
        "Tall, beard",
        "y",  # write the most recent thing
        "yesterday 21:15",
        "n",  # not approximate
        "Outside my flat",
        "in_person",
        'He shouted "you cannot hide"',
        "5 8",
        "Scared",
        "y",
        "Stayed at my sister's",
        "n",
        "n",
        "4",  # see the diary
        "8",  # the pattern
        "9",  # the safety plan
        "h",  # help now
        "5",  # verify
        "q",
    ]
    result = CliRunner().invoke(cli, ["start"], env=env, input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Welcome to Safetrail.")
    assert "call 999" in out and "press 55" in out
    assert "Saved as incident 1" in out
    assert 'He shouted "you cannot hide"' in out
    assert "0808 802 0300" in out
    assert "Everything is intact." in out
    assert "not legal advice" in out
    assert "[not-started] Tell people you trust" in out
    again = CliRunner().invoke(cli, ["start"], env=env, input="q\n")
    assert "Your diary has 1 incident(s)" in again.output
