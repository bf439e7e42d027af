"""`safetrail share`: a person shares with a caseworker, updates, revokes and sends a notice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from safetrail.cli import cli
from safetrail.share.package import open_notice, open_package
from tests.share.sharekit import CHAT, recipient

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def env(tmp_path: Path, fast_kdf: object) -> dict[str, str]:
    return {
        **os.environ,
        "SAFETRAIL_CASEBOOK": str(tmp_path / "book"),
        "SAFETRAIL_PASSPHRASE": PASSPHRASE,
    }


def invoke(env: dict[str, str], *args: str, input_text: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env, input=input_text, catch_exceptions=False)
    return result.exit_code, result.output


def test_share_create_update_list_revoke_notice(env: dict[str, str], tmp_path: Path) -> None:
    to = recipient()
    assert invoke(env, "init", "--initials", "JS")[0] == 0
    assert invoke(env, "import", str(CHAT))[0] == 0
    code, shown = invoke(env, "share", "fingerprint", to.public)
    assert code == 0
    digits = shown.split("Fingerprint:")[1].split("\n")[0].strip()
    assert len(digits.replace(" ", "")) == 24

    first = tmp_path / "for-paladin.age"
    code, out = invoke(
        env, "share", "create", "--recipient", "Paladin", "--key", to.public,
        "--purpose", "Support", "--all", "--until", "2099-01-01", "--police", "--safety-plan",
        "--label", "J case",
        "--fingerprint", digits, "--yes", "--out", str(first),
    )  # fmt: skip
    assert code == 0, out
    assert "cannot be taken back" in out and "private notes are not included" in out
    opened = open_package(first, to.secret)
    assert opened.records and opened.consent.recipient_name == "Paladin"
    assert opened.consent.scope.pass_to_police and opened.consent.case_label == "J case"
    assert opened.safety is not None and "pass what is shared on to the police" in out

    second = tmp_path / "update.age"
    code, out = invoke(env, "share", "create", "--consent", "1", "--out", str(second), "--json")
    assert code == 0, out
    summary = json.loads(out)
    assert summary["sequence"] == 2 and summary["records"] == 0
    update = open_package(second, to.secret, last_received=lambda *_: opened.marker)
    assert update.is_update

    code, out = invoke(env, "share", "list", "--json")
    [listed] = json.loads(out)
    assert listed["packages"] == 2 and listed["status"] == "in force"

    code, out = invoke(env, "share", "revoke", "1", "--reason", "new caseworker", "--yes")
    assert code == 0 and "cannot be taken back" in out
    notice_path = tmp_path / "notice.age"
    assert invoke(env, "share", "notice", "1", "--out", str(notice_path))[0] == 0
    notice = open_notice(notice_path, to.secret, opened.marker.notice_public_key)
    assert notice.reason == "new caseworker"
    code, out = invoke(env, "share", "list")
    assert "revoked on" in out
    assert invoke(env, "verify")[0] == 0


def test_share_fingerprint_confirm_and_qr(env: dict[str, str], tmp_path: Path) -> None:
    from safetrail.services.casebook import open_casebook
    from safetrail.services.sharing import new_consent
    from safetrail.share.model import Scope

    to = recipient()
    invoke(env, "init", "--initials", "JS")
    out_file = tmp_path / "p.age"
    code, out = invoke(
        env, "share", "create", "--recipient", "Paladin", "--key", to.public,
        "--purpose", "Support", "--incident", "1", "--out", str(out_file),
    )  # fmt: skip
    assert code != 0 and "--fingerprint" in out and not out_file.exists()
    assert json.loads(invoke(env, "share", "list", "--json")[1]) == []

    with open_casebook(tmp_path / "book", PASSPHRASE) as book:
        new_consent(
            book, recipient_name="Paladin", recipient_key=to.public, purpose="Support",
            scope=Scope(everything=True), valid_until=None,
        )  # fmt: skip
    code, out = invoke(env, "share", "create", "--consent", "1", "--out", str(out_file))
    assert code != 0 and not out_file.exists()
    code, out = invoke(env, "share", "fingerprint", "--consent", "1", "--json")
    fingerprint = json.loads(out)["fingerprint"]
    qr = tmp_path / "key.svg"
    code, out = invoke(
        env, "share", "fingerprint", "--consent", "1", "--confirm", fingerprint, "--qr", str(qr)
    )
    assert code == 0 and "Confirmed" in out and qr.read_text().startswith("<svg")
    code, out = invoke(env, "share", "create", "--consent", "1", "--yes", "--out", str(out_file))
    assert code == 0, out
    assert open_package(out_file, to.secret).sequence == 1


def test_a_wrong_fingerprint_stops_the_share(env: dict[str, str], tmp_path: Path) -> None:
    """Run as the person would: the error is shown in plain words and nothing is written."""
    to = recipient()
    subprocess.run(
        [sys.executable, "-m", "safetrail", "init", "--initials", "JS"], env=env, check=True,
        capture_output=True,
    )  # fmt: skip
    out_file = tmp_path / "p.age"
    result = subprocess.run(
        [
            sys.executable, "-m", "safetrail", "share", "create", "--recipient", "Paladin",
            "--key", to.public, "--purpose", "Support", "--all",
            "--fingerprint", "0000 0000 0000 0000 0000 0000", "--out", str(out_file),
        ],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "do not match" in result.stderr + result.stdout
    assert "nothing was shared or kept" in result.stderr + result.stdout
    assert not out_file.exists()
    assert json.loads(invoke(env, "share", "list", "--json")[1]) == []
