"""Ingest: originals kept, records stored whole or not at all, duplicates merged, senders linked."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from safetrail.models.subject import SubjectDetails
from safetrail.services.casebook import Casebook
from safetrail.services.evidence import list_evidence
from safetrail.services.ingest import DateOrderNeeded, ImportFailed, IngestOptions, ingest
from safetrail.services.records import (
    RecordFilter,
    assign_sender,
    list_records,
    search_records,
    set_me,
    unknown_senders,
)
from safetrail.services.subjects import add_subject, get_subject
from safetrail.services.verify import verify_casebook
from safetrail.storage.schema import records
from tests.importers.golden import SAMPLES

WHATSAPP_LINES = [
    "06/03/2026, 21:40 - Sam: Why aren't you answering me?",
    "06/03/2026, 21:41 - Sam: I know where you live",
    "06/03/2026, 21:41 - Alex: Please stop messaging me.",
    "06/03/2026, 21:45 - Sam: ok",
    "06/03/2026, 21:45 - Sam: ok",
    "07/03/2026, 08:02 - Sam: I saw you at the station",
    "13/03/2026, 07:15 - Sam: You can't block me forever",
]


def chat(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def count_records(book: Casebook) -> int:
    with book.read() as conn:
        return int(conn.execute(select(func.count()).select_from(records)).scalar() or 0)


def blob_files(book: Casebook) -> set[str]:
    return book.blobs.all_names()


def test_import_keeps_original_and_points_back(book: Casebook, tmp_path: Path) -> None:
    path = chat(tmp_path, "WhatsApp Chat with Sam.txt", WHATSAPP_LINES)
    result = ingest(book, path, IngestOptions())
    assert (result.format, result.records, result.duplicates) == ("whatsapp_txt", 7, 0)
    assert result.exhibit_ref == "JS/1"
    views = list_records(book, RecordFilter())
    assert [v.text for v in views][:2] == ["Why aren't you answering me?", "I know where you live"]
    second = views[1]
    assert second.timestamp_text == "06/03/2026, 21:41"
    assert second.timezone_assumed == "Europe/London"
    assert second.occurred_at == "2026-03-06T21:41:00+00:00"
    raw = path.read_bytes()
    start, end = second.locator["byte_start"], second.locator["byte_end"]
    assert isinstance(start, int) and isinstance(end, int)
    assert raw[start:end].decode().startswith("06/03/2026, 21:41 - Sam: I know where you live")
    assert verify_casebook(book).ok


def test_same_file_twice_adds_nothing(book: Casebook, tmp_path: Path) -> None:
    path = chat(tmp_path, "chat.txt", WHATSAPP_LINES)
    ingest(book, path, IngestOptions())
    again = ingest(book, path, IngestOptions())
    assert again.already_imported and again.records == 0 and again.duplicates == 7
    assert count_records(book) == 7


def test_overlapping_exports_merge_without_duplicates(book: Casebook, tmp_path: Path) -> None:
    first = chat(tmp_path, "first.txt", WHATSAPP_LINES[:5])
    second = chat(tmp_path, "second.txt", WHATSAPP_LINES[2:])
    assert ingest(book, first, IngestOptions(date_order="DMY")).records == 5
    result = ingest(book, second, IngestOptions(date_order="DMY"))
    assert (result.records, result.duplicates) == (2, 3)
    texts = [v.text for v in list_records(book, RecordFilter())]
    assert texts.count("ok") == 2, "two identical messages in the same minute are two messages"
    assert count_records(book) == 7
    assert verify_casebook(book).ok


def test_failure_mid_file_leaves_nothing(book: Casebook, tmp_path: Path) -> None:
    good = "".join(
        f'<sms address="07700900123" date="{1700000000000 + i}" type="1" body="m{i}"/>'
        for i in range(50)
    )
    path = tmp_path / "sms-broken.xml"
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><smses count="60">{good}<sms address="x" <<<',
        encoding="utf-8",
    )
    blobs_before, items_before = blob_files(book), list_evidence(book, include_removed=True)
    with pytest.raises(ImportFailed) as failure:
        ingest(book, path, IngestOptions())
    assert "sms-broken.xml" in str(failure.value) and "line" in str(failure.value)
    assert count_records(book) == 0
    assert blob_files(book) == blobs_before
    assert list_evidence(book, include_removed=True) == items_before
    assert verify_casebook(book).ok


def test_unknown_format_keeps_nothing(book: Casebook, tmp_path: Path) -> None:
    path = tmp_path / "notes.bin"
    path.write_bytes(b"\x00\x01\x02 nothing recognisable")
    with pytest.raises(ImportFailed, match="does not recognise"):
        ingest(book, path, IngestOptions())
    assert blob_files(book) == set()


def test_ambiguous_dates_need_the_person(book: Casebook, tmp_path: Path) -> None:
    path = chat(
        tmp_path, "chat.txt", ["03/04/2026, 10:00 - Sam: hi", "04/05/2026, 10:00 - Sam: again"]
    )
    with pytest.raises(DateOrderNeeded):
        ingest(book, path, IngestOptions())
    result = ingest(book, path, IngestOptions(date_order="MDY"))
    view = list_records(book, RecordFilter())[0]
    assert result.records == 2 and view.occurred_at == "2026-03-04T10:00:00+00:00"
    assert view.ambiguity is not None


def test_attachments_become_exhibits(book: Casebook) -> None:
    result = ingest(book, SAMPLES / "sms_backup_restore" / "messages.xml", IngestOptions())
    assert result.attachments == 2
    children = [i for i in list_evidence(book) if i.parent_id == result.evidence_id]
    assert len(children) == 2
    linked = [
        a for v in list_records(book, RecordFilter()) for a in v.attachments if a["evidence_id"]
    ]
    assert {a["evidence_id"] for a in linked} == {c.id for c in children}
    assert verify_casebook(book).ok


def test_senders_link_to_subjects_now_and_later(book: Casebook, tmp_path: Path) -> None:
    known = add_subject(book, SubjectDetails(name="Daniel", phones=("07700 900123",)))
    ingest(book, SAMPLES / "sms_backup_restore" / "messages.xml", IngestOptions())
    assert list_records(book, RecordFilter(subject_id=known.id))
    path = chat(tmp_path, "chat.txt", WHATSAPP_LINES)
    ingest(book, path, IngestOptions())
    assert "name:sam" in {s.key for s in unknown_senders(book)}
    sam = add_subject(book, SubjectDetails(name="Sam"))
    assert assign_sender(book, "name:sam", sam.id) == 6
    assert get_subject(book, sam.id).details.handles == ("Sam",)
    later = chat(tmp_path, "later.txt", ["20/03/2026, 09:00 - Sam: still here"])
    ingest(book, later, IngestOptions())
    assert len(list_records(book, RecordFilter(subject_id=sam.id))) == 7
    assert verify_casebook(book).ok


def test_subject_option_and_who_is_me(book: Casebook, tmp_path: Path) -> None:
    sam = add_subject(book, SubjectDetails(name="Samuel"))
    result = ingest(
        book, chat(tmp_path, "chat.txt", WHATSAPP_LINES), IngestOptions(subject_id=sam.id)
    )
    assert len(list_records(book, RecordFilter(subject_id=sam.id))) == 7
    assert set_me(book, result.evidence_id, "name:alex") == 1
    directions = {v.sender: v.direction for v in list_records(book, RecordFilter())}
    assert directions == {"Sam": "received", "Alex": "sent"}
    assert verify_casebook(book).ok


def test_full_text_search_inside_the_encrypted_store(book: Casebook, tmp_path: Path) -> None:
    ingest(book, chat(tmp_path, "chat.txt", WHATSAPP_LINES), IngestOptions())
    assert [v.text for v in search_records(book, "where live")] == ["I know where you live"]
    assert [v.text for v in search_records(book, 'block" OR "x')] == []
    assert search_records(book, "station", RecordFilter(channel="sms")) == []


def test_tampered_records_are_found(book: Casebook, tmp_path: Path) -> None:
    ingest(book, chat(tmp_path, "chat.txt", WHATSAPP_LINES), IngestOptions())
    with book.engine.begin() as conn:
        conn.execute(text("UPDATE records SET text = 'I love you' WHERE id = 2"))
    assert any("were changed" in p for p in verify_casebook(book).problems)
    with book.engine.begin() as conn:
        conn.execute(text("UPDATE records SET text = 'I know where you live' WHERE id = 2"))
        conn.execute(text("DELETE FROM records WHERE id = 7"))
    problems = verify_casebook(book).problems
    assert any("holds 6 imported records, but its imports added 7" in p for p in problems)


def test_lone_surrogate_escape_is_replaced_and_noted(book: Casebook, tmp_path: Path) -> None:
    """Found by the hostile corpus: a JSON \\ud800 escape crashed the import at the insert."""
    export = tmp_path / "result.json"
    export.write_text(
        '{"name": "Sam", "type": "personal_chat", "id": 1, "messages": [{"id": 1, '
        '"type": "message", "date": "2026-02-01T10:00:00", "date_unixtime": "1769940000", '
        '"from": "Sam \\udc00", "from_id": "user1", "text": "lone \\ud800 here"}]}'
    )
    result = ingest(book, export, IngestOptions(format="telegram_json"))
    assert result.records == 1
    assert any("surrogate" in w and "row 1" in w for w in result.warnings)
    with book.read() as conn:
        row = conn.execute(select(records.c.text, records.c.sender)).one()
    assert row.text == "lone \ufffd here" and row.sender == "Sam \ufffd"
    assert verify_casebook(book).ok


def test_telegram_html_export_is_detected_and_kept_whole_or_not_at_all(
    book: Casebook, tmp_path: Path
) -> None:
    result = ingest(book, SAMPLES / "telegram_html" / "export.zip", IngestOptions())
    assert (result.format, result.records, result.attachments) == ("telegram_html", 6, 3)
    page = SAMPLES / "telegram_html" / "chat.html"
    assert ingest(book, page, IngestOptions()).records > 0
    html = page.read_text("utf-8")
    cut = tmp_path / "messages.html"
    cut.write_text(html[: html.index('id="message110"')], "utf-8")
    before = count_records(book)
    with pytest.raises(ImportFailed, match="cut short"):
        ingest(book, cut, IngestOptions())
    assert count_records(book) == before
    assert verify_casebook(book).ok
