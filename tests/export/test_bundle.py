"""The evidence bundle: a zipped BagIt bag that bagit, sha256sum and verify_bundle all check."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import bagit
import pytest
from click.testing import CliRunner

from safetrail.cli.bundle import bundle_command, verify_bundle_command
from safetrail.export.bundle import BundleSelection, csv_cell, write_bundle
from safetrail.export.bundle_verify import verify_bundle
from safetrail.models.incident import IncidentDetails
from safetrail.services.casebook import Casebook, create_casebook, open_casebook
from safetrail.services.evidence import add_file
from safetrail.services.incidents import add_incident
from safetrail.services.ingest import IngestOptions, ingest
from safetrail.storage import repository

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "whatsapp" / "android_24h_dmy.txt"
SECRET = "my private note: moved to my sister's flat"
FORMULA_CHAT = '13/03/2017, 09:00 - Sam Jones: =HYPERLINK("http://evil.example","click")\n'
PASSPHRASE = "correct horse battery staple"


def _fill(book: Casebook, folder: Path) -> None:
    photo = folder / "photo of car.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 4)
    note = folder / "50% letter.txt"
    note.write_text("You can't hide from me.\n", encoding="utf-8")
    add_file(book, photo)
    add_file(book, note)
    add_incident(
        book,
        IncidentDetails(
            occurred_start=datetime(2017, 3, 6, 18, 40, tzinfo=UTC),
            what_happened="He was outside my work",
            private_notes=SECRET,
        ),
    )
    ingest(book, SAMPLE, IngestOptions())
    chat = folder / "formula.txt"
    chat.write_text(FORMULA_CHAT, encoding="utf-8")
    ingest(book, chat, IngestOptions())


@pytest.fixture
def bundle(book: Casebook, tmp_path: Path) -> Path:
    _fill(book, tmp_path)
    out = tmp_path / "evidence-bundle.zip"
    summary = write_bundle(book, out)
    assert summary.originals == 4
    assert summary.records >= 9
    assert summary.incidents == 1
    return out


def _extract(zip_path: Path, target: Path) -> Path:
    with zipfile.ZipFile(zip_path) as archive:
        tops = {name.split("/", 1)[0] for name in archive.namelist()}
        archive.extractall(target)
    assert tops == {zip_path.stem}
    return target / zip_path.stem


def _rezip(bag_dir: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w") as archive:
        for path in sorted(bag_dir.rglob("*")):
            if path.is_file():
                archive.write(path, f"{bag_dir.name}/{path.relative_to(bag_dir).as_posix()}")
    return out


def _sha256sum(bag_dir: Path) -> int:
    result = subprocess.run(
        ["sha256sum", "-c", "manifest-sha256.txt"],
        cwd=bag_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode


def _bagit_valid(bag_dir: Path) -> bool:
    return bool(bagit.Bag(str(bag_dir)).is_valid(fast=False))


def test_bundle_is_intact_for_all_three_checkers(bundle: Path, tmp_path: Path) -> None:
    report = verify_bundle(bundle)
    assert report.ok, report.problems
    assert report.files_checked >= 9
    bag_dir = _extract(bundle, tmp_path / "x")
    assert _bagit_valid(bag_dir)
    assert _sha256sum(bag_dir) == 0
    info = (bag_dir / "bag-info.txt").read_text("utf-8")
    assert f"Custody-Log-Head: {report.log_head}" in info
    assert "Safetrail-Casebook: " in info
    assert "Payload-Oxum: " in info
    assert "Bagging-Date: " in info
    originals = sorted(p.name for p in (bag_dir / "data" / "originals").iterdir())
    assert "JS-1_photo of car.jpg" in originals
    assert "JS-2_50_ letter.txt" in originals
    assert (bag_dir / "data" / "README.txt").is_file()
    with zipfile.ZipFile(bundle) as archive:
        kinds = {i.filename: i.compress_type for i in archive.infolist()}
    assert kinds[f"{bundle.stem}/data/originals/JS-1_photo of car.jpg"] == zipfile.ZIP_STORED


def test_bundle_export_is_logged_and_zip_is_atomic(book: Casebook, tmp_path: Path) -> None:
    _fill(book, tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    summary = write_bundle(book, out_dir / "b.zip")
    assert [p.name for p in out_dir.iterdir()] == ["b.zip"]
    with book.read() as conn:
        last = list(repository.log_entries(conn))[-1]
    assert last.action == "bundle"
    assert last.details == {
        "sha256": summary.sha256,
        "files": summary.files,
        "log_head": summary.log_head,
    }


@pytest.mark.parametrize("change", ["byte", "added", "removed"])
def test_tampering_is_caught(bundle: Path, tmp_path: Path, change: str) -> None:
    bag_dir = _extract(bundle, tmp_path / "x")
    target = bag_dir / "data" / "originals" / "JS-1_photo of car.jpg"
    if change == "byte":
        data = bytearray(target.read_bytes())
        data[10] ^= 1
        target.write_bytes(bytes(data))
        expected = "data/originals/JS-1_photo of car.jpg was changed"
    elif change == "added":
        (bag_dir / "data" / "originals" / "extra.txt").write_text("planted", encoding="utf-8")
        expected = "data/originals/extra.txt was added"
    else:
        target.unlink()
        expected = "data/originals/JS-1_photo of car.jpg is missing"
    report = verify_bundle(_rezip(bag_dir, tmp_path / bundle.name))
    assert not report.ok
    assert any(problem.startswith(expected) for problem in report.problems), report.problems
    assert not _bagit_valid(bag_dir)
    if change == "added":
        # sha256sum -c only reads the files the manifest lists: an added file needs the count
        # in Payload-Oxum (README.txt says so), which bagit and verify_bundle both check.
        assert _sha256sum(bag_dir) == 0
    else:
        assert _sha256sum(bag_dir) != 0


def test_tampered_custody_log_is_caught(bundle: Path, tmp_path: Path) -> None:
    bag_dir = _extract(bundle, tmp_path / "x")
    log = bag_dir / "data" / "custody-log.jsonl"
    lines = log.read_text("utf-8").splitlines()
    entry = json.loads(lines[1])
    entry["action"] = "something-else"
    lines[1] = json.dumps(entry)
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = verify_bundle(_rezip(bag_dir, tmp_path / bundle.name))
    assert f"custody log entry {entry['seq']} was changed after it was written" in report.problems
    assert any("custody-log.jsonl was changed" in p for p in report.problems)


def test_not_a_zip_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "b.zip"
    path.write_bytes(b"not a zip")
    report = verify_bundle(path)
    assert not report.ok
    assert "cannot be opened" in report.problems[0]


def _all_text(zip_path: Path) -> str:
    with zipfile.ZipFile(zip_path) as archive:
        return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def test_private_notes_only_when_asked(book: Casebook, tmp_path: Path) -> None:
    _fill(book, tmp_path)
    default = tmp_path / "default.zip"
    write_bundle(book, default)
    assert SECRET not in _all_text(default)
    with_notes = tmp_path / "notes.zip"
    write_bundle(book, with_notes, BundleSelection(include_private_notes=True))
    assert SECRET in _all_text(with_notes)
    assert verify_bundle(with_notes).ok


def test_selection_by_time(book: Casebook, tmp_path: Path) -> None:
    _fill(book, tmp_path)
    out = tmp_path / "late.zip"
    summary = write_bundle(book, out, BundleSelection(start=datetime(2017, 3, 10, tzinfo=UTC)))
    everything = write_bundle(book, tmp_path / "all.zip")
    assert summary.incidents == 0
    assert everything.incidents == 1
    assert 1 <= summary.records < everything.records
    assert summary.originals == 4


def test_selection_by_id(book: Casebook, tmp_path: Path) -> None:
    _fill(book, tmp_path)
    out = tmp_path / "chosen.zip"
    chosen = BundleSelection(
        incident_ids=frozenset(), evidence_ids=frozenset({1, 3}), record_evidence_ids=frozenset({3})
    )
    summary = write_bundle(book, out, chosen)
    assert (summary.originals, summary.incidents) == (2, 0)
    assert verify_bundle(out).ok
    with zipfile.ZipFile(out) as archive:
        top = out.stem
        evidence = json.loads(archive.read(f"{top}/data/evidence.json"))
        records = json.loads(archive.read(f"{top}/data/records.json"))
    assert [item["id"] for item in evidence] == [1, 3]
    assert records and {record["evidence_id"] for record in records} == {3}


def test_csv_formula_cells_are_escaped(bundle: Path, tmp_path: Path) -> None:
    assert csv_cell("=1+1") == "'=1+1"
    assert csv_cell("+44") == "'+44"
    assert csv_cell("-x") == "'-x"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("hello = world") == "hello = world"
    bag_dir = _extract(bundle, tmp_path / "x")
    text = (bag_dir / "data" / "records.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    texts = [row["text"] for row in rows]
    assert '\'=HYPERLINK("http://evil.example","click")' in texts
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())
    records = json.loads((bag_dir / "data" / "records.json").read_text("utf-8"))
    assert any(r["text"].startswith("=HYPERLINK") for r in records)


def test_cli_bundle_and_verify(tmp_path: Path, fast_kdf: object) -> None:
    root = tmp_path / "book"
    create_casebook(root, PASSPHRASE, "JS").close()
    env = {"SAFETRAIL_CASEBOOK": str(root), "SAFETRAIL_PASSPHRASE": PASSPHRASE}
    evidence = tmp_path / "shot.png"
    evidence.write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 100)
    book = open_casebook(root, PASSPHRASE)
    try:
        add_file(book, evidence)
    finally:
        book.close()
    out = tmp_path / "bundle.zip"
    runner = CliRunner()
    made = runner.invoke(
        bundle_command, ["--out", str(out), "--from", "2000-01-01", "--json"], env=env
    )
    assert made.exit_code == 0, made.output
    assert json.loads(made.output)["originals"] == 1
    checked = runner.invoke(verify_bundle_command, [str(out)], env=env)
    assert checked.exit_code == 0, checked.output
    assert "Intact" in checked.output
    again = runner.invoke(bundle_command, ["--out", str(out)], env=env)
    assert again.exit_code != 0
    bag_dir = _extract(out, tmp_path / "x")
    shutil.rmtree(bag_dir / "data" / "originals")
    broken = _rezip(bag_dir, tmp_path / "bundle-broken.zip")
    failed = runner.invoke(verify_bundle_command, [str(broken), "--json"], env=env)
    assert failed.exit_code == 1
    assert json.loads(failed.output)["ok"] is False


def test_bundle_carries_the_report(bundle: Path, tmp_path: Path) -> None:
    bag_dir = _extract(bundle, tmp_path / "x")
    folder = bag_dir / "data" / "report"
    assert sorted(p.name for p in folder.iterdir()) == ["case.jsonld", "report.html", "report.pdf"]
    manifest = (bag_dir / "manifest-sha256.txt").read_text("utf-8")
    for name in ("report.pdf", "report.html", "case.jsonld"):
        assert f"data/report/{name}" in manifest
    assert (folder / "report.pdf").read_bytes().startswith(b"%PDF-")
    page = (folder / "report.html").read_text("utf-8")
    assert "Private notes are NOT included" in page and SECRET not in page
    head = (bag_dir / "bag-info.txt").read_text("utf-8").split("Custody-Log-Head: ")[1][:64]
    assert head in page  # the report's cover names the same custody-log head
    assert json.loads((folder / "case.jsonld").read_text("utf-8"))["@graph"]
    target = folder / "report.html"
    target.write_text(page.replace("Sam Jones", "Someone Else"), encoding="utf-8")
    assert _sha256sum(bag_dir) != 0 and not _bagit_valid(bag_dir)
    problems = verify_bundle(_rezip(bag_dir, tmp_path / f"{bag_dir.name}.zip")).problems
    assert any("report.html" in p for p in problems)


def test_staging_left_by_a_killed_bundle_is_removed_next_time(tmp_path: Path) -> None:
    """Found by the crash harness: SIGKILL after staging left plaintext beside the output."""
    import fcntl
    import os

    from safetrail.export.bundle import STAGING_LOCK, STAGING_PREFIX, remove_stale_staging

    stale, live = tmp_path / f"{STAGING_PREFIX}dead", tmp_path / f"{STAGING_PREFIX}live"
    for folder in (stale, live):
        folder.mkdir()
        (folder / STAGING_LOCK).touch()
        (folder / "evidence.json").write_text("plaintext")
    held = os.open(live / STAGING_LOCK, os.O_RDWR)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        assert remove_stale_staging(tmp_path) == 1
    finally:
        os.close(held)
    assert not stale.exists()
    assert (live / "evidence.json").exists(), "a bundle still being written is left alone"
