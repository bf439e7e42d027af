"""The Outlook .msg importer: the optional extra missing, sniffing, golden samples, damage.

The golden tests need the optional extra (`pip install 'safetrail[msg]'`) and are skipped
without it; the tests of the missing extra run either way.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from safetrail.importers.base import Importer, ImportFormatError, ImportOptions, Limits
from safetrail.importers.email_msg import OLE_MAGIC, OutlookMsgImporter, extract_msg_available
from safetrail.models.record import Direction
from tests.importers.golden import SAMPLES, check_golden, run_importer, source_for

EMAIL = SAMPLES / "email"
needs_extra = pytest.mark.skipif(
    not extract_msg_available(),
    reason="the optional extra safetrail[msg] (extract-msg) is not installed",
)


def test_importer_follows_the_protocol() -> None:
    assert isinstance(OutlookMsgImporter(), Importer)
    assert OutlookMsgImporter.name == "outlook_msg"


def test_core_import_does_not_load_extract_msg() -> None:
    code = (
        "import sys, safetrail.importers.email_msg, safetrail.importers.email_import;"
        "print('extract_msg' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "extract_msg", None)
    path = EMAIL / "outlook.msg"
    assert OutlookMsgImporter().sniff(source_for(path), path.read_bytes()[:512]) == 0
    with pytest.raises(ImportFormatError, match=r"safetrail\[msg\]"):
        run_importer(OutlookMsgImporter(), path)


@needs_extra
def test_sniffing(tmp_path: Path) -> None:
    importer = OutlookMsgImporter()
    path = EMAIL / "outlook.msg"
    head = path.read_bytes()[:512]
    assert head.startswith(OLE_MAGIC)
    assert importer.sniff(source_for(path), head) == 90
    other = tmp_path / "letter.doc"
    other.write_bytes(head)
    assert importer.sniff(source_for(other), head) == 40
    assert importer.sniff(source_for(path), b"From: a@b.c\n") == 0
    assert importer.sniff(source_for(path), b"") == 0


@needs_extra
@pytest.mark.parametrize("case", ["outlook.msg", "outlook_no_headers.msg"])
def test_golden(case: str) -> None:
    check_golden(OutlookMsgImporter(), EMAIL / case)


@needs_extra
def test_direction_from_me() -> None:
    options = ImportOptions(me=("sam.taylor@example.org",))
    records, _ = run_importer(OutlookMsgImporter(), EMAIL / "outlook.msg", options)
    assert records[0].direction is Direction.RECEIVED


@needs_extra
def test_attachment_over_the_limit() -> None:
    options = ImportOptions(limits=Limits(max_attachment_bytes=10))
    records, warnings = run_importer(OutlookMsgImporter(), EMAIL / "outlook.msg", options)
    attachment = records[0].attachments[0]
    assert (attachment.filename, attachment.data) == ("route map.png", None)
    assert "route map.png" in warnings[0].message


@needs_extra
@pytest.mark.parametrize(
    "data",
    [
        OLE_MAGIC + b"\x00" * 504,
        OLE_MAGIC + b"\xff" * 10_000,
        b"\x00" * 4096,
        b"",
    ],
)
def test_unreadable_files_are_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "broken.msg"
    path.write_bytes(data)
    with pytest.raises(ImportFormatError, match="not an Outlook message that can be read"):
        run_importer(OutlookMsgImporter(), path)


@needs_extra
def test_truncated_msg_is_refused(tmp_path: Path) -> None:
    data = (EMAIL / "outlook.msg").read_bytes()
    path = tmp_path / "cut.msg"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFormatError, match="not an Outlook message"):
        run_importer(OutlookMsgImporter(), path)
