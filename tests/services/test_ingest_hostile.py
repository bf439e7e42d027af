"""Broken and hostile files through the real ingest: a clear error naming the file, nothing kept."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from safetrail.services.casebook import Casebook
from safetrail.services.evidence import list_evidence
from safetrail.services.ingest import ImportFailed, IngestOptions, ingest
from safetrail.services.verify import verify_casebook
from safetrail.storage.schema import custody_log, records

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    + ']><smses count="1"><sms address="1" date="1" type="1" body="&lol9;"/></smses>'
)


def _write(path: Path, text: str) -> None:
    path.write_text(text)


def whatsapp_zip_slip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("_chat.txt", "[01/02/2026, 10:00:00] Sam: hi\n")
        archive.writestr("../../escape.txt", "owned")


def zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("_chat.txt", "[01/02/2026, 10:00:00] Sam: hi\n")
        archive.writestr("big.bin", b"\0" * (300 << 20))


def deep_json(path: Path) -> None:
    path.write_text(
        '{"name": "x", "type": "personal_chat", "id": 1, "messages": '
        + "[" * 100_000
        + "]" * 100_000
        + "}"
    )


def truncated_telegram(path: Path) -> None:
    path.write_text(
        '{"name": "Sam", "type": "personal_chat", "id": 1, '
        '"messages": [{"id": 1, "type": "message", "date": "2026-'
    )


def nul_whatsapp(path: Path) -> None:
    path.write_bytes(b"\x00" * 4096)


def huge_line_whatsapp(path: Path) -> None:
    with path.open("wb") as handle:
        handle.write(b"01/02/2026, 10:00 - Sam: ")
        chunk = b"A" * (1 << 20)
        for _ in range(50):
            handle.write(chunk)
        handle.write(b"\n")


def utf16_sms_entity(path: Path) -> None:
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE smses [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<smses count="1"><sms address="1" date="1" type="1" body="&xxe;"/></smses>'
    )


HOSTILE: dict[str, tuple[str, Callable[[Path], None]]] = {
    "entity bomb": ("sms-1.xml", lambda p: _write(p, BILLION_LAUGHS)),
    "external entity": ("sms-2.xml", utf16_sms_entity),
    "zip slip": ("WhatsApp Chat - Sam.zip", whatsapp_zip_slip),
    "zip bomb": ("WhatsApp Chat - Bomb.zip", zip_bomb),
    "json nested 100000 deep": ("result.json", deep_json),
    "truncated json": ("result.json", truncated_telegram),
    "nul bytes": ("WhatsApp Chat with Sam.txt", nul_whatsapp),
    "a 50 MB line": ("WhatsApp Chat with Sam.txt", huge_line_whatsapp),
}


def state(book: Casebook) -> tuple[int, int, int, set[str]]:
    with book.read() as conn:
        count = int(conn.execute(select(func.count()).select_from(records)).scalar() or 0)
        log = int(conn.execute(select(func.count()).select_from(custody_log)).scalar() or 0)
    return count, log, len(list_evidence(book, include_removed=True)), book.blobs.all_names()


FORMATS = {
    "sms-1.xml": "sms_backup_messages",
    "sms-2.xml": "sms_backup_messages",
    "result.json": "telegram_json",
    "WhatsApp Chat with Sam.txt": "whatsapp_txt",
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_file_leaves_nothing(book: Casebook, tmp_path: Path, case: str) -> None:
    name, build = HOSTILE[case]
    path = tmp_path / name
    build(path)
    before = state(book)
    with pytest.raises(ImportFailed) as failure:
        ingest(book, path, IngestOptions(format=FORMATS.get(name)))
    message = str(failure.value)
    assert name in message and "Nothing was kept" in message
    assert state(book) == before
    assert not (tmp_path.parent / "escape.txt").exists()
    assert verify_casebook(book).ok
