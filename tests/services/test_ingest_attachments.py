"""Attachments are stored a batch at a time: the same items, numbers and custody chain as one by
one, and a failure after a batch was written still keeps nothing."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from safetrail.services import ingest as ingest_module
from safetrail.services.casebook import Casebook
from safetrail.services.evidence import ItemBatch, list_evidence
from safetrail.services.ingest import ImportFailed, IngestOptions, ingest
from safetrail.services.verify import verify_casebook
from safetrail.storage import repository
from safetrail.storage.schema import custody_log, records
from safetrail.vault.custody import chain_problems

PNG = b"\x89PNG\r\n\x1a\n"


def image(n: int) -> str:
    return base64.b64encode(PNG + n.to_bytes(4, "big") * 20).decode()


def mms(n: int, images: list[int]) -> str:
    parts = "".join(
        f'<part seq="{i}" ct="image/png" name="img{n}-{i}.png" data="{image(k)}" />'
        for i, k in enumerate(images)
    )
    return (
        f'<mms date="{1700000000000 + n * 1000}" msg_box="1" address="+447700900123" '
        f'm_id="m{n}"><parts>{parts}<part seq="9" ct="text/plain" text="photo {n}" /></parts>'
        '<addrs><addr address="+447700900123" type="137" charset="106" /></addrs></mms>'
    )


def backup(tmp_path: Path, name: str, messages: list[str], tail: str = "</smses>") -> Path:
    path = tmp_path / name
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><smses count="{len(messages)}">'
        + "".join(messages)
        + tail,
        encoding="utf-8",
    )
    return path


def custody_count(book: Casebook) -> int:
    with book.read() as conn:
        return int(conn.execute(select(func.count()).select_from(custody_log)).scalar() or 0)


def test_attachments_in_several_batches_match_one_by_one(
    book: Casebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_module, "ATTACHMENT_BATCH", 3)
    # 10 messages, 11 images of which image 2 comes twice (in message 2 and again in 7).
    messages = [mms(n, [n] if n != 7 else [2, 70]) for n in range(10)]
    result = ingest(book, backup(tmp_path, "sms-a.xml", messages), IngestOptions())
    assert result.records == 10 and result.attachments == 10
    children = [i for i in list_evidence(book) if i.parent_id == result.evidence_id]
    assert [c.id for c in children] == list(range(result.evidence_id + 1, result.evidence_id + 11))
    numbers = [int(c.exhibit_ref.split("/")[1]) for c in children]
    assert numbers == list(range(numbers[0], numbers[0] + 10))
    with book.read() as conn:
        stored = [json.loads(row) for row in conn.execute(select(records.c.attachments)).scalars()]
        entries = list(repository.log_entries(conn))
    ids = [a["evidence_id"] for row in stored for a in row]
    assert ids[2] == ids[7], "the same bytes are one exhibit"
    assert set(ids) == {c.id for c in children}
    creates = [e for e in entries if e.action == "create" and e.kind == "evidence"]
    assert [e.entity_id for e in creates[1:]] == [c.id for c in children]
    assert [e.details["exhibit_ref"] for e in creates[1:]] == [c.exhibit_ref for c in children]
    assert chain_problems(entries) == []
    assert entries[-1].action == "import" and entries[-1].entity_id == result.evidence_id
    assert verify_casebook(book).ok


def test_failure_after_a_batch_was_written_keeps_nothing(
    book: Casebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_module, "ATTACHMENT_BATCH", 2)
    monkeypatch.setattr(ingest_module, "BATCH", 4)
    messages = [mms(n, [n]) for n in range(12)]
    path = backup(tmp_path, "sms-broken.xml", messages, tail='<sms address="x" <<<')
    blobs, items, log = book.blobs.all_names(), list_evidence(book), custody_count(book)
    written: list[int] = []
    write = ItemBatch.write

    def counted(batch: ItemBatch) -> None:
        written.append(len(batch))
        write(batch)

    monkeypatch.setattr(ItemBatch, "write", counted)
    with pytest.raises(ImportFailed, match="line"):
        ingest(book, path, IngestOptions())
    assert written.count(2) >= 2, "batches were written before the failure"
    assert book.blobs.all_names() == blobs
    assert list_evidence(book, include_removed=True) == items
    assert custody_count(book) == log
    assert verify_casebook(book).ok
    result = ingest(book, backup(tmp_path, "sms-b.xml", messages), IngestOptions())
    assert result.attachments == 12 and verify_casebook(book).ok
