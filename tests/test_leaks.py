"""No plaintext of any diary text or evidence touches the disk outside the encrypted stores."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from safetrail.cli.errors import run_safely
from safetrail.share.age import new_identity
from safetrail.share.fingerprint import fingerprint

MARKERS = {
    "incident": "ZQX-incident-marker-7731",
    "impact": "ZQX-impact-marker-4410",
    "private": "ZQX-private-marker-9902",
    "subject": "ZQX-subject-marker-1187",
    "evidence": "ZQX-evidence-marker-5524",
    "description": "ZQX-description-marker-3390",
}


def scan(roots: list[Path]) -> list[str]:
    found: list[str] = []
    for root in roots:
        for path in root.rglob("*"):
            if not path.is_file():
                continue
            raw = path.read_bytes()
            for name, marker in MARKERS.items():
                for encoding in ("utf-8", "utf-16-le"):
                    if marker.encode(encoding) in raw:
                        found.append(f"{name} in {path}")
    return found


def test_journey_leaves_no_plaintext(tmp_path: Path) -> None:
    home, temp, book = tmp_path / "home", tmp_path / "tmp", tmp_path / "home" / "book"
    outside = tmp_path / "users-own-files"
    for folder in (home, temp, outside):
        folder.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "TMPDIR": str(temp),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "SAFETRAIL_CASEBOOK": str(book),
        "SAFETRAIL_PASSPHRASE": "correct horse battery staple",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    evidence = outside / "screenshot.txt"
    evidence.write_text(f"message: {MARKERS['evidence']}")

    def safetrail(*args: str) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "safetrail", *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr

    safetrail("init", "--initials", "JS")
    safetrail("subject", "add", "--name", MARKERS["subject"])
    safetrail("evidence", "add", str(evidence), "--description", MARKERS["description"])
    safetrail(
        "incident",
        "add",
        "--when",
        "2026-02-01 10:00",
        "--what",
        MARKERS["incident"],
        "--impact",
        MARKERS["impact"],
        "--private-notes",
        MARKERS["private"],
        "--evidence",
        "1",
    )
    safetrail("incident", "edit", "1", "--impact", MARKERS["impact"] + " again")
    safetrail("verify")
    safetrail("backup", "--out", str(home / "backup.stb"))
    safetrail("restore", str(home / "backup.stb"), "--casebook", str(home / "restored"))
    safetrail("incident", "list")
    safetrail("analyse")
    # Outputs the person asks for are plaintext by design; they go where the person chooses.
    safetrail("bundle", "--out", str(outside / "bundle.zip"))
    safetrail("verify-bundle", str(outside / "bundle.zip"))
    safetrail("report", "--format", "csv", "--out", str(outside / "chronology.csv"))
    share_key = new_identity()[1]
    safetrail(
        "share", "create", "--recipient", "Paladin", "--key", share_key, "--purpose", "Support",
        "--all", "--report", "chronology", "--include-private-notes",
        "--fingerprint", fingerprint(share_key), "--yes", "--out", str(outside / "share.age"),
    )  # fmt: skip
    assert scan([home, temp]) == []
    found = scan([outside])
    assert not [f for f in found if "share.age" in f], "a share package is encrypted"
    assert f"evidence in {evidence}" in found, "the scan itself must be able to find a marker"
    assert not [f for f in found if ".safetrail-" in f], "no staging folder may be left behind"


def test_crash_output_holds_no_casebook_text(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SAFETRAIL_DEBUG", raising=False)

    @click.group()
    def broken() -> None:
        pass

    @broken.command()
    def boom() -> None:
        raise ValueError(f"could not parse {MARKERS['incident']}")

    monkeypatch.setattr(sys, "argv", ["safetrail", "boom"])
    with pytest.raises(SystemExit) as exit_info:
        run_safely(broken)
    assert exit_info.value.code == 70
    captured = capsys.readouterr()
    assert MARKERS["incident"] not in captured.out + captured.err
    assert "ValueError" in captured.err and "casebook is safe" in captured.err
