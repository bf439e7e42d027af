"""Any changed byte inside a package is either harmless or rejected: never silently accepted."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safetrail.services.casebook import create_casebook
from safetrail.share.age import decrypt_bytes, encrypt_bytes
from safetrail.share.model import PackageRejected
from safetrail.share.package import OpenedPackage, create_package, open_package
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.share.sharekit import Recipient, consent, fill, recipient


@dataclass(frozen=True)
class Made:
    path: Path
    plain: bytes
    to: Recipient
    opened: OpenedPackage


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Made]:
    folder = tmp_path_factory.mktemp("fuzz")
    to = recipient()
    book = create_casebook(folder / "book", PASSPHRASE, "JS", kdf=FAST_KDF)
    try:
        fill(book, folder)
        chosen = consent(book, to)
        path = folder / "package.age"
        create_package(book, chosen.consent_id, path, previous=None)
    finally:
        book.close()
    plain = decrypt_bytes(path.read_bytes(), to.secret)
    yield Made(path, plain, to, open_package(path, to.secret))


def _content(opened: OpenedPackage) -> object:
    originals = [opened.read_original(e.evidence_id) for e in opened.evidence if e.payload]
    reports = [opened.read_report(r.name) for r in opened.reports]
    return (
        opened.consent.data,
        opened.incidents,
        opened.records,
        [e.data for e in opened.evidence],
        originals,
        reports,
        opened.custody_head,
        opened.marker.package_id,
    )


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(position=st.floats(0, 1, exclude_max=True), mask=st.integers(1, 255))
def test_a_changed_byte_never_changes_what_is_accepted(
    made: Made, tmp_path: Path, position: float, mask: int
) -> None:
    data = bytearray(made.plain)
    data[int(position * len(data))] ^= mask
    changed = tmp_path / "changed.age"
    changed.write_bytes(encrypt_bytes(bytes(data), made.to.public))
    try:
        opened = open_package(changed, made.to.secret)
    except PackageRejected:
        return
    assert _content(opened) == _content(made.opened)


def test_the_fuzz_can_see_a_change(made: Made, tmp_path: Path) -> None:
    """A change to stored (uncompressed) original bytes is inside the content compared above."""
    with zipfile.ZipFile(io.BytesIO(made.plain)) as archive:
        info = next(i for i in archive.infolist() if "/data/originals/JS-1_" in i.filename)
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data = bytearray(made.plain)
    data[start] ^= 0x01
    changed = tmp_path / "changed.age"
    changed.write_bytes(encrypt_bytes(bytes(data), made.to.public))
    with pytest.raises(PackageRejected):
        open_package(changed, made.to.secret)
