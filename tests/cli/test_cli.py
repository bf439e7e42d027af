"""The real `safetrail` command, run as a person or a script would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from safetrail.cli import cli

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def env(tmp_path: Path, fast_kdf: object) -> dict[str, str]:
    return {
        **os.environ,
        "SAFETRAIL_CASEBOOK": str(tmp_path / "book"),
        "SAFETRAIL_PASSPHRASE": PASSPHRASE,
    }


def run(
    env: dict[str, str], *args: str, input_text: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "safetrail", *args],
        env=env,
        capture_output=True,
        text=True,
        input=input_text,
        timeout=120,
        check=False,
    )


def invoke(env: dict[str, str], *args: str, input_text: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env, input=input_text, catch_exceptions=False)
    return result.exit_code, result.output


def test_help_lists_commands_and_999() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "safetrail", "--help"], capture_output=True, text=True, check=True
    )
    assert "999" in result.stdout
    for command in (
        "init",
        "incident",
        "evidence",
        "verify",
        "backup",
        "restore",
        "start",
        "subject",
        "passphrase",
    ):
        assert command in result.stdout


def test_journey_from_flags_with_json(env: dict[str, str], tmp_path: Path) -> None:
    assert invoke(env, "init", "--initials", "js")[0] == 0
    code, out = invoke(
        env,
        "subject",
        "add",
        "--name",
        "Mark",
        "--phone",
        "07700 900123",
        "--relationship",
        "ex_partner",
        "--json",
    )
    assert code == 0 and json.loads(out)["phones"] == ["+447700900123"]
    source = tmp_path / "letter.pdf"
    source.write_bytes(b"%PDF-1.7 a letter")
    code, out = invoke(env, "evidence", "add", str(source), "--description", "Letter", "--json")
    added = json.loads(out)["added"][0]
    assert (
        code == 0
        and added["exhibit_ref"] == "JS/1"
        and added["file"]["media_type"] == "application/pdf"
    )
    code, out = invoke(
        env,
        "incident",
        "add",
        "--when",
        "12/03/2026 18:40",
        "--what",
        "He waited outside",
        "--channel",
        "in_person",
        "--behaviour",
        "loitering",
        "--subject",
        "1",
        "--evidence",
        "1",
        "--witness",
        "Ann|07700 900456",
        "--crime-ref",
        "CRN 1",
        "--feared-violence",
        "--json",
    )
    incident = json.loads(out)
    assert code == 0
    assert incident["occurred_start"] == "2026-03-12T18:40:00+00:00"
    assert incident["police"] == {"reported": True, "crime_reference": "CRN 1", "officer": ""}
    assert incident["witnesses"] == [{"name": "Ann", "contact": "07700 900456"}]
    code, out = invoke(env, "incident", "edit", "1", "--impact", "I changed my route", "--json")
    assert json.loads(out)["version"] == 2
    code, out = invoke(env, "incident", "show", "1", "--history", "--json")
    shown = json.loads(out)
    assert [v["impact"] for v in shown["history"]] == ["", "I changed my route"]
    assert shown["recorded_at"] == incident["recorded_at"]
    code, out = invoke(env, "verify", "--json")
    assert code == 0 and json.loads(out)["ok"] is True
    out_file = tmp_path / "exported.pdf"
    assert invoke(env, "evidence", "export", "JS/1", "--out", str(out_file))[0] == 0
    assert out_file.read_bytes() == source.read_bytes()


def test_interactive_incident(env: dict[str, str]) -> None:
    invoke(env, "init", "--initials", "AB")
    answers = "\n".join(
        [
            "yesterday 21:15",  # when
            "y",  # approximate
            "Bus stop on Park Road",
            "in_person",
            'He said "you can\'t hide from me"',
            "1 8",  # following, threats
            "Terrified",
            "y",  # feared violence
            "I go a different way now",
            "n",  # witnesses
            "n",  # police
        ]
    )
    code, out = invoke(env, "incident", "add", "--ask", input_text=answers + "\n")
    assert code == 0, out
    assert "exact words" in out
    code, out = invoke(env, "incident", "show", "1", "--json")
    stored = json.loads(out)
    assert stored["certainty"] == "approximate"
    assert stored["behaviours"] == ["following", "threats"]
    assert stored["what_happened"] == 'He said "you can\'t hide from me"'
    assert stored["feared_violence"] is True


def test_wrong_passphrase_exit_code_and_message(env: dict[str, str]) -> None:
    assert run(env, "init", "--initials", "JS").returncode == 0
    result = run({**env, "SAFETRAIL_PASSPHRASE": "not it at all"}, "incident", "list")
    assert result.returncode == 2
    assert "does not open this casebook" in result.stderr
    assert "Traceback" not in result.stderr


def test_passphrase_file_and_change(env: dict[str, str], tmp_path: Path) -> None:
    no_env = {k: v for k, v in env.items() if k != "SAFETRAIL_PASSPHRASE"}
    old_file, new_file = tmp_path / "old", tmp_path / "new"
    old_file.write_text(PASSPHRASE + "\n")
    new_file.write_text("a different long passphrase\n")
    assert (
        run(no_env, "init", "--initials", "JS", "--passphrase-file", str(old_file)).returncode == 0
    )
    changed = run(
        no_env,
        "passphrase",
        "change",
        "--passphrase-file",
        str(old_file),
        "--new-passphrase-file",
        str(new_file),
    )
    assert changed.returncode == 0, changed.stderr
    assert run(no_env, "verify", "--passphrase-file", str(old_file)).returncode == 2
    assert run(no_env, "verify", "--passphrase-file", str(new_file)).returncode == 0


def test_no_passphrase_without_a_terminal(env: dict[str, str]) -> None:
    no_env = {k: v for k, v in env.items() if k != "SAFETRAIL_PASSPHRASE"}
    result = run(no_env, "incident", "list")
    assert result.returncode == 1
    assert "no casebook" in result.stderr.lower() or "passphrase" in result.stderr.lower()


def test_backup_restore_and_verify_failure_exit_code(env: dict[str, str], tmp_path: Path) -> None:
    run(env, "init", "--initials", "JS")
    run(env, "incident", "add", "--when", "2026-01-02 10:00", "--what", "first")
    backup = tmp_path / "backup.stb"
    assert run(env, "backup", "--out", str(backup)).returncode == 0
    restored = run(
        {**env, "SAFETRAIL_CASEBOOK": str(tmp_path / "restored")}, "restore", str(backup)
    )
    assert restored.returncode == 0 and "Intact" in restored.stdout
    blob_dir = tmp_path / "book" / "blobs"
    blob_dir.mkdir(exist_ok=True)
    source = tmp_path / "f.txt"
    source.write_text("evidence")
    run(env, "evidence", "add", str(source))
    blob = next(blob_dir.glob("??/*"))
    blob.write_bytes(blob.read_bytes()[:-1] + b"\x00")
    broken = run(env, "verify")
    assert broken.returncode == 1
    assert "JS/1" in broken.stdout


def test_hostile_text_is_shown_inert(env: dict[str, str]) -> None:
    run(env, "init", "--initials", "JS")
    hostile = "hi\x1b[2J\x1b]0;pwned\x07 \u202eevil"
    run(env, "incident", "add", "--when", "2026-01-02 10:00", "--what", hostile)
    shown = run(env, "incident", "show", "1")
    assert "\x1b" not in shown.stdout and "\u202e" not in shown.stdout
    assert "<U+001B>" in shown.stdout and "<U+202E>" in shown.stdout


def test_import_json_and_records(env: dict[str, str]) -> None:
    from tests.importers.golden import SAMPLES

    invoke(env, "init", "--initials", "JS")
    sample = str(SAMPLES / "whatsapp" / "android_24h_dmy.txt")
    code, out = invoke(env, "import", sample, "--json")
    imported = json.loads(out)["imported"][0]
    assert code == 0
    assert {"file", "format", "evidence_id", "records", "duplicates", "warnings"} <= set(imported)
    assert imported["format"] == "whatsapp_txt" and imported["records"] > 0
    code, out = invoke(env, "import", sample, "--json")
    assert json.loads(out)["imported"][0]["duplicates"] == imported["records"]
    code, out = invoke(env, "records", "list", "--json", "--limit", "2")
    assert len(json.loads(out)["records"]) == 2
    code, out = invoke(env, "records", "unknown", "--json")
    assert json.loads(out)["unknown_senders"]


def test_import_failure_names_the_file_and_exits_1(env: dict[str, str], tmp_path: Path) -> None:
    invoke(env, "init", "--initials", "JS")
    bad = tmp_path / "sms-1.xml"
    bad.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><smses count="1"></smses>')
    result = run(env, "import", str(bad))
    assert result.returncode == 1
    assert "sms-1.xml" in result.stderr and "Nothing was kept" in result.stderr


def test_timeline_analyse_and_tags(env: dict[str, str], tmp_path: Path) -> None:
    from tests.importers.golden import SAMPLES

    invoke(env, "init", "--initials", "JS")
    invoke(env, "import", str(SAMPLES / "whatsapp" / "android_24h_dmy.txt"))
    invoke(
        env,
        "incident",
        "add",
        "--when",
        "2017-03-08 18:00",
        "--what",
        "Outside my work",
        "--behaviour",
        "loitering",
    )
    code, out = invoke(env, "timeline", "--json", "--limit", "5")
    entries = json.loads(out)["entries"]
    assert code == 0 and len(entries) == 5
    assert {"kind", "id", "at", "subject_id", "channel", "text", "tags"} <= set(entries[0])
    assert entries[0]["at"].endswith("+00:00")
    charts = tmp_path / "charts"
    code, out = invoke(env, "analyse", "--json", "--charts", str(charts))
    result = json.loads(out)
    assert code == 0
    subject = result["subjects"][0]
    assert {
        "subject_id",
        "occasions",
        "course_of_conduct",
        "first_contact",
        "last_contact",
        "escalation",
    } <= set(subject)
    assert isinstance(result["summary"], str) and result["summary"]
    tag = next(t for t in result["tags"] if "record_id" in t)
    assert {"record_id", "tag", "rule", "words", "status"} <= set(tag)
    assert any(p.endswith(".svg") for p in result["charts"]) and any(
        p.endswith(".png") for p in result["charts"]
    )
    code, out = invoke(env, "tag", "reject", "record", str(tag["record_id"]), tag["tag"])
    assert code == 0 and "rejected" in out
    code, out = invoke(env, "analyse", "--json")
    statuses = {
        t["status"]
        for t in json.loads(out)["tags"]
        if t.get("record_id") == tag["record_id"] and t["tag"] == tag["tag"]
    }
    assert statuses == {"rejected"}
    code, out = invoke(env, "analyse")
    assert code == 0 and "not legal advice" in out
