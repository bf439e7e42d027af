"""Reading zip members defensively: damaged data is a typed error, memory stays small."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from safetrail.importers.base import ImportFormatError
from safetrail.importers.safezip import read_member


def _zip_with_damaged_member(path: Path) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("message_1.json", b'{"messages": []}' * 200)
    data = bytearray(path.read_bytes())
    start = data.index(b"message_1.json") + len("message_1.json")
    for offset in range(start, start + 40):  # scramble the start of the deflate stream
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))


def test_damaged_member_is_an_import_format_error(tmp_path: Path) -> None:
    """Found by the fuzz suite: zlib.error escaped as an untyped crash."""
    path = tmp_path / "damaged.zip"
    _zip_with_damaged_member(path)
    with zipfile.ZipFile(path) as archive, pytest.raises(ImportFormatError) as error:
        read_member(archive, "message_1.json", 1 << 20)
    assert "message_1.json" in str(error.value) and "damaged" in str(error.value)
