from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from safetrail.models.enums import EvidenceKind
from safetrail.models.evidence import EvidenceDescription
from safetrail.services.casebook import Casebook
from safetrail.services.errors import InvalidInput, NotFound
from safetrail.services.evidence import (
    ItemBatch,
    add_file,
    add_physical,
    edit_description,
    export_original,
    find_by_sha256,
    find_evidence,
    guess_media_type,
    list_evidence,
    remove_evidence,
    store_item,
)
from safetrail.services.verify import verify_casebook
from safetrail.storage import repository
from safetrail.vault.custody import chain_problems


def make(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_original_bytes_kept_and_exported_identical(book: Casebook, tmp_path: Path) -> None:
    data = os.urandom(2_500_000)
    source = make(tmp_path, "export.zip", b"PK\x03\x04" + data)
    before = source.read_bytes()
    added = add_file(
        book, source, EvidenceDescription(description="WhatsApp export", source="my phone")
    )
    item = added.item
    assert not added.already_present
    assert item.exhibit_ref == "JS/1"
    assert item.file is not None
    assert item.file.sha256 == hashlib.sha256(before).hexdigest()
    assert item.file.size == len(before)
    assert item.file.media_type == "application/zip"
    assert item.file.original_filename == "export.zip"
    assert source.read_bytes() == before
    out = export_original(book, item.id, tmp_path / "out.zip")
    assert out.read_bytes() == before
    with pytest.raises(InvalidInput, match="already exists"):
        export_original(book, item.id, tmp_path / "out.zip")


def test_same_file_twice_is_kept_once(book: Casebook, tmp_path: Path) -> None:
    first = add_file(book, make(tmp_path, "a.txt", b"same bytes"))
    second = add_file(book, make(tmp_path, "b.txt", b"same bytes"))
    assert second.already_present
    assert second.item.id == first.item.id
    assert len(list_evidence(book)) == 1


def test_exhibit_numbers_are_never_reused(book: Casebook, tmp_path: Path) -> None:
    one = add_file(book, make(tmp_path, "1.txt", b"one")).item
    remove_evidence(book, one.id, "wrong file")
    two = add_file(book, make(tmp_path, "2.txt", b"two")).item
    letter = add_physical(
        book,
        EvidenceDescription(description="Card left on my car", handling_notes="In a sealed bag"),
    )
    assert [one.exhibit_ref, two.exhibit_ref, letter.exhibit_ref] == ["JS/1", "JS/2", "JS/3"]
    assert letter.kind is EvidenceKind.PHYSICAL and letter.file is None
    assert find_evidence(book, "js/3").id == letter.id
    assert [i.exhibit_ref for i in list_evidence(book)] == ["JS/2", "JS/3"]


def test_physical_item_with_photo(book: Casebook, tmp_path: Path) -> None:
    photo = make(tmp_path, "flowers.jpg", b"\xff\xd8\xff\xe0" + b"1" * 300)
    item = add_physical(book, EvidenceDescription(description="Flowers on the doorstep"), photo)
    assert item.file is not None and item.file.media_type == "image/jpeg"
    assert export_original(book, item.id, tmp_path / "copy.jpg").read_bytes() == photo.read_bytes()
    with pytest.raises(InvalidInput):
        add_physical(book, EvidenceDescription(description=" "))


def test_edit_changes_description_only(book: Casebook, tmp_path: Path) -> None:
    item = add_file(book, make(tmp_path, "x.pdf", b"%PDF-1.7 hello")).item
    edited = edit_description(
        book, item.id, EvidenceDescription(description="Letter from his solicitor")
    )
    assert edited.version == 2
    assert edited.file == item.file
    assert edited.exhibit_ref == item.exhibit_ref


def test_hostile_file_name_is_safe_on_export(book: Casebook, tmp_path: Path) -> None:
    name = "..\u202egpj.exe\x07"
    item = add_file(book, make(tmp_path, "plain", b"data")).item
    # The stored name is data: simulate a hostile name arriving from an import.
    from safetrail.models.filenames import safe_filename

    assert safe_filename(name, "JS/1") == "gpj.exe"
    assert safe_filename("../../etc/passwd", "JS/1") == "passwd"
    assert safe_filename("\u202e", "JS/1") == "JS-1"
    outdir = tmp_path / "outdir"
    outdir.mkdir()
    written = export_original(book, item.id, outdir)
    assert written.parent == outdir


def test_missing_file_and_missing_item(book: Casebook, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no file"):
        add_file(book, tmp_path / "nope.txt")
    with pytest.raises(InvalidInput, match="folder"):
        add_file(book, tmp_path)
    with pytest.raises(NotFound):
        find_evidence(book, "JS/9")


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.bin", b"%PDF-1.4", "application/pdf"),
        ("a.txt", b"\x89PNG\r\n\x1a\n", "image/png"),
        ("chat.txt", b"12/03/2026", "text/plain"),
        ("noext", b"\x00\x01", "application/octet-stream"),
        ("x.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
    ],
)
def test_media_type(name: str, head: bytes, expected: str) -> None:
    assert guess_media_type(name, head) == expected


def test_item_batch_numbers_items_like_one_by_one_and_writes_them_together(
    book: Casebook, tmp_path: Path
) -> None:
    first = add_file(book, make(tmp_path, "a.txt", b"stored before")).item
    blobs = [book.blobs.put_bytes(data) for data in (b"one", b"two", b"stored before")]
    with book.transaction() as conn:
        batch = ItemBatch(conn)
        ids = [
            batch.add(EvidenceKind.FILE, repository.now_utc(), EvidenceDescription(), blob, "x.bin")
            for blob in blobs[:2]
        ]
        assert ids == [first.id + 1, first.id + 2] and len(batch) == 2
        assert batch.find_by_sha256(blobs[1].sha256) == ids[1]
        assert batch.find_by_sha256(blobs[2].sha256) == first.id
        assert find_by_sha256(conn, blobs[0].sha256) is None
        batch.write()
        assert len(batch) == 0 and find_by_sha256(conn, blobs[0].sha256) == ids[0]
        after = store_item(conn, EvidenceKind.PHYSICAL, repository.now_utc(), EvidenceDescription())
    refs = [find_evidence(book, str(i)).exhibit_ref for i in (*ids, after)]
    assert refs == ["JS/2", "JS/3", "JS/4"]
    with book.read() as conn:
        entries = list(repository.log_entries(conn))
    creates = [e for e in entries if e.kind == "evidence"]
    assert [(e.entity_id, e.details["exhibit_ref"]) for e in creates] == [
        (first.id, "JS/1"),
        (ids[0], "JS/2"),
        (ids[1], "JS/3"),
        (after, "JS/4"),
    ]
    assert chain_problems(entries) == []
    assert verify_casebook(book).ok
