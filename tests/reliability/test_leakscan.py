"""The leak scan finds what it must, and a CLI journey with crashes leaves nothing to find."""

from __future__ import annotations

import gzip
import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from tests.reliability.leakscan import scan

MARKERS = {
    "chat": "ZQX-chat-marker-2207",
    "sms": "ZQX-sms-marker-8115",
    "incident": "ZQX-incident-marker-6043",
    "private": "ZQX-private-marker-3391",
    "subject": "ZQX-subject-marker-7720",
}


def test_scan_finds_markers_in_every_form(tmp_path: Path) -> None:
    marker = MARKERS["chat"]
    (tmp_path / "plain.txt").write_text(f"x {marker} y")
    (tmp_path / "wide.txt").write_bytes(marker.encode("utf-16-le"))
    (tmp_path / "log.gz").write_bytes(gzip.compress(marker.encode()))
    with zipfile.ZipFile(tmp_path / "a.zip", "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inner.txt", marker * 3)
    (tmp_path / "clean.txt").write_text("nothing here")
    leaks = scan(MARKERS, [tmp_path], {"stderr": f"Traceback ... {MARKERS['sms']}"})
    where = sorted(str(leak) for leak in leaks)
    assert len(leaks) == 5, where
    assert any("plain.txt" in w for w in where) and any("wide.txt" in w for w in where)
    assert any("(gzip)" in w for w in where) and any("a.zip!inner.txt" in w for w in where)
    assert any(w.startswith("sms in stderr") for w in where)
    assert all(marker not in str(leak) for leak in leaks), "the report must not repeat a marker"
    assert scan(MARKERS, [tmp_path], exclude=[tmp_path]) == []


def _exports(folder: Path) -> tuple[Path, Path]:
    rng = random.Random(7)
    chat = folder / "WhatsApp Chat with Sam.zip"
    lines = [
        f"13/02/2026, {10 + i // 60:02d}:{i % 60:02d} - Sam: {MARKERS['chat']} {rng.random()}"
        for i in range(600)
    ]
    with zipfile.ZipFile(chat, "w") as archive:
        archive.writestr("WhatsApp Chat with Sam.txt", "\n".join(lines) + "\n")
        archive.writestr("IMG-0001.jpg", b"\xff\xd8\xff" + MARKERS["chat"].encode() * 50)
    sms = folder / "sms.xml"
    body = "".join(
        f'<sms address="+447700900123" date="{1_740_000_000_000 + i * 60_000}" type="1" '
        f'body="{MARKERS["sms"]} {i}" />\n'
        for i in range(8_000)
    )
    sms.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<smses count="8000">\n{body}</smses>\n'
    )
    return chat, sms


def _record(files: int, outputs: int, leaks: int) -> None:
    target = os.environ.get("SAFETRAIL_RELIABILITY_OUT")
    if target:
        row = {"suite": "leaks", "files": files, "outputs": outputs, "leaks": leaks}
        with Path(target).open("a", encoding="utf-8") as out:
            out.write(json.dumps(row) + "\n")


def test_cli_journey_with_crashes_leaves_no_plaintext(tmp_path: Path) -> None:
    home, outside = tmp_path / "home", tmp_path / "outside"
    for folder in (home, home / "tmp", outside):
        folder.mkdir()
    book = home / "book"
    env = {
        **os.environ,
        "HOME": str(home),
        "TMPDIR": str(home / "tmp"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "SAFETRAIL_CASEBOOK": str(book),
        "SAFETRAIL_PASSPHRASE": "correct horse battery staple",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("SAFETRAIL_DEBUG", None)
    chat, sms = _exports(outside)
    printed: dict[str, str | bytes] = {}

    def run(label: str, *args: str, kill_after: float | None = None) -> None:
        with subprocess.Popen(
            [sys.executable, "-m", "safetrail", *args],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ) as process:
            if kill_after is not None:
                time.sleep(kill_after)
                process.send_signal(signal.SIGKILL)
            _out, err = process.communicate(timeout=300)
        printed[f"{label} stderr"] = err  # stdout is what the person asked to see
        if kill_after is None:
            assert process.returncode == 0, (label, err.decode(errors="replace"))

    run("init", "init", "--initials", "JS")
    run("subject", "subject", "add", "--name", MARKERS["subject"])
    run("import chat", "import", str(chat), "--me", "Alex")
    for index, moment in enumerate((0.7, 1.3)):
        run(f"killed import {index}", "import", str(sms), kill_after=moment)
    run(
        "incident",
        "incident",
        "add",
        "--when",
        "2026-02-01 10:00",
        "--what",
        MARKERS["incident"],
        "--private-notes",
        MARKERS["private"],
    )
    run("killed backup", "backup", "--out", str(home / "b.stb"), kill_after=0.5)
    run("import sms", "import", str(sms))
    run("verify", "verify")
    leaks = scan(MARKERS, [home], printed)
    _record(sum(1 for p in home.rglob("*") if p.is_file()), len(printed), len(leaks))
    assert leaks == [], [str(leak) for leak in leaks]
    found = scan(MARKERS, [outside])
    assert found, "the scan must be able to find the markers in the exports themselves"
