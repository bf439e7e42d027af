from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from safetrail.importers.base import ImportFormatError, ImportOptions, Limits
from safetrail.importers.telegram import TelegramJsonImporter
from safetrail.models.record import CallType, Direction, RecordKind
from tests.importers.golden import SAMPLES, check_golden, run_importer, source_for

TELEGRAM = SAMPLES / "telegram"
IMPORTER = TelegramJsonImporter()


def _sniff(path: Path) -> int:
    return IMPORTER.sniff(source_for(path), path.read_bytes()[:4096])


def _chat(messages: Sequence[object]) -> dict[str, object]:
    return {"name": "Jordan", "type": "personal_chat", "id": 42, "messages": messages}


def _message(**fields: object) -> dict[str, object]:
    message: dict[str, object] = {
        "id": 1,
        "type": "message",
        "date": "2023-11-14T22:13:20",
        "date_unixtime": "1700000000",
        "from": "J",
        "from_id": "user42",
        "text": "",
    }
    message.update(fields)
    return message


def _write(tmp_path: Path, document: object, name: str = "result.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    return path


# --- golden samples ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sample",
    [
        "single_chat.json",
        "full_export.json",
        "control_escape.json",
        "zip_export.zip",
        "rich_messages.json",
    ],
)
def test_golden(sample: str) -> None:
    check_golden(IMPORTER, TELEGRAM / sample)


def test_single_chat_reads_calls_directions_and_text_exactly() -> None:
    records, _ = run_importer(IMPORTER, TELEGRAM / "single_chat.json")
    by_id = {r.external_id: r for r in records}
    missed, answered, outgoing = (by_id[f"5551234567:{n}"] for n in (103, 104, 105))
    assert (missed.kind, missed.call_type, missed.duration_seconds) == (
        RecordKind.CALL,
        CallType.MISSED,
        0,
    )
    assert (answered.call_type, answered.duration_seconds) == (CallType.INCOMING, 184)
    assert (outgoing.call_type, outgoing.direction) == (CallType.OUTGOING, Direction.SENT)
    parts = by_id["5551234567:102"]
    assert parts.text == (
        "Please stop contacting me. I have reported this to the police. See "
        "https://www.police.uk and this page. cc @samsfriend Alex"
    )
    assert json.loads(dict(parts.extra)["text_links"]) == ["https://example.org/help?a=1&b=2"]
    rtl = by_id["5551234567:110"]
    assert rtl.text.startswith("אני יודע") and "👨\u200d👩\u200d👧" in rtl.text
    assert by_id["5551234567:115"].text.endswith("lock it   ")


def test_old_export_without_unixtime_reads_local_time_with_dst_notes() -> None:
    records, _ = run_importer(IMPORTER, TELEGRAM / "single_chat.json")
    by_id = {r.external_id: r for r in records}
    gap, overlap = by_id["5551234567:112"], by_id["5551234567:113"]
    assert gap.timezone_assumed == "Europe/London" and gap.ambiguity is not None
    assert "did not exist" in gap.ambiguity
    assert overlap.occurred_at is not None and overlap.occurred_at.utcoffset() is not None
    assert overlap.ambiguity is not None and "twice" in overlap.ambiguity
    assert by_id["5551234567:101"].timezone_assumed is None


def test_timezone_option_changes_only_wall_clock_dates() -> None:
    options = ImportOptions(timezone="America/New_York")
    records, _ = run_importer(IMPORTER, TELEGRAM / "single_chat.json", options)
    by_id = {r.external_id: r for r in records}
    assert by_id["5551234567:112"].timezone_assumed == "America/New_York"
    assert str(by_id["5551234567:112"].occurred_at) == "2023-03-26 01:30:00-04:00"
    assert str(by_id["5551234567:101"].occurred_at) == "2024-01-14 21:03:11+00:00"


def test_full_export_uses_personal_information_for_direction() -> None:
    records, warnings = run_importer(IMPORTER, TELEGRAM / "full_export.json")
    assert warnings == []
    assert {r.thread for r in records} == {
        "Jordan Blake",
        "Neighbours on Elm Road",
        "Elm Road Community",
    }
    group = [r for r in records if r.thread == "Neighbours on Elm Road"]
    assert [r.direction for r in group] == [
        Direction.SENT,
        Direction.RECEIVED,
        Direction.RECEIVED,
        Direction.RECEIVED,
        Direction.RECEIVED,
    ]
    assert group[2].sender is None and group[2].sender_address == "user9990001"


def test_me_option_marks_sent_in_a_group_of_a_single_chat_export(tmp_path: Path) -> None:
    chat = {
        "name": "Group",
        "type": "private_group",
        "id": 7,
        "messages": [
            _message(id=1, **{"from": "SAM TAYLOR", "from_id": "user1"}),
            _message(id=2, **{"from": "Jordan", "from_id": "user2"}),
        ],
    }
    path = _write(tmp_path, chat)
    unknown, _ = run_importer(IMPORTER, path)
    assert [r.direction for r in unknown] == [Direction.UNKNOWN, Direction.UNKNOWN]
    known, _ = run_importer(IMPORTER, path, ImportOptions(me=("Sam Taylor",)))
    assert [r.direction for r in known] == [Direction.SENT, Direction.RECEIVED]
    by_id, _ = run_importer(IMPORTER, path, ImportOptions(me=("2",)))
    assert [r.direction for r in by_id] == [Direction.RECEIVED, Direction.SENT]


def test_zip_export_reads_media_from_the_zip_and_refuses_paths_outside() -> None:
    records, warnings = run_importer(IMPORTER, TELEGRAM / "zip_export.zip")
    attachments = [a for r in records for a in r.attachments]
    assert attachments[0].data is not None and attachments[0].data.startswith(b"\xff\xd8")
    assert attachments[1].media_type == "audio/ogg" and attachments[1].data is not None
    assert attachments[2].missing == "not in the export"
    assert attachments[3].missing == "outside the export folder"
    assert any("outside its folder" in w.message for w in warnings)
    assert {r.locator.member for r in records} == {"ChatExport_2024-03-02/result.json"}


def test_bare_result_json_names_media_as_missing(tmp_path: Path) -> None:
    message = _message(photo="photos/p.jpg")
    records, _ = run_importer(IMPORTER, _write(tmp_path, _chat([message])))
    (attachment,) = records[0].attachments
    assert attachment.data is None and attachment.missing is not None
    assert attachment.filename == "photos/p.jpg"


def test_attachment_over_the_limit_is_missing_with_a_warning(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    document = _chat([_message(photo="photos/big.jpg")])
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("result.json", json.dumps(document))
        z.writestr("photos/big.jpg", b"x" * 2048)
    options = ImportOptions(limits=Limits(max_attachment_bytes=1024))
    records, warnings = run_importer(IMPORTER, archive, options)
    assert records[0].attachments[0].missing == "too large to import"
    assert len(warnings) == 1


# --- sniffing ------------------------------------------------------------------------------


def test_sniff_recognises_exports_and_nothing_else(tmp_path: Path) -> None:
    assert _sniff(TELEGRAM / "single_chat.json") >= 90
    assert _sniff(TELEGRAM / "full_export.json") >= 90
    assert _sniff(TELEGRAM / "zip_export.zip") >= 90
    other = _write(tmp_path, {"participants": [{"name": "A"}], "messages": []}, "message_1.json")
    assert _sniff(other) == 0
    assert _sniff(_write(tmp_path, "plain text", "notes.txt")) == 0
    broken_zip = tmp_path / "broken.zip"
    broken_zip.write_bytes(b"PK\x03\x04 not really a zip")
    assert _sniff(broken_zip) == 0


# --- broken and hostile input --------------------------------------------------------------


def _expect_error(path: Path, fragment: str, options: ImportOptions | None = None) -> str:
    with pytest.raises(ImportFormatError) as caught:
        run_importer(IMPORTER, path, options)
    assert fragment in str(caught.value)
    return str(caught.value)


def test_deeply_nested_json_is_refused_with_its_offset(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_bytes(b'{"messages": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    message = _expect_error(path, "nested too deeply")
    assert "byte 212" in message  # the 201st opening bracket


def test_truncated_export(tmp_path: Path) -> None:
    data = (TELEGRAM / "single_chat.json").read_bytes()
    path = tmp_path / "result.json"
    path.write_bytes(data[: len(data) // 2])
    _expect_error(path, "truncated")


def test_invalid_utf8_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_bytes(b'{"name": "J\xff", "messages": []}')
    _expect_error(path, "byte 11")


def test_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_bytes(json.dumps(_chat([])).encode("utf-16-le"))
    _expect_error(path, "NUL")


def test_wrong_shape_json(tmp_path: Path) -> None:
    _expect_error(_write(tmp_path, {"hello": "world"}), "not a Telegram chat export")
    _expect_error(_write(tmp_path, [1, 2, 3]), "not a Telegram export")
    _expect_error(_write(tmp_path, {"chats": {"about": "x"}}), 'no "list"')


def test_a_50_mb_message_is_cut_to_the_text_limit_with_a_warning(tmp_path: Path) -> None:
    huge = "A" * (50 << 20)
    message = _message(text=huge)
    records, warnings = run_importer(IMPORTER, _write(tmp_path, _chat([message])))
    limit = Limits().max_text_chars
    assert len(records[0].text) == limit
    assert dict(records[0].extra)["text_truncated_from_chars"] == str(50 << 20)
    assert "only the first" in warnings[0].message


def test_file_over_the_json_limit_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, _chat([]))
    _expect_error(path, "too large", ImportOptions(limits=Limits(max_json_bytes=10)))


def test_bad_messages_are_warned_about_and_skipped(tmp_path: Path) -> None:
    messages = [
        "not an object",
        {"type": "message", "text": "no id"},
        {"id": 3, "type": "message", "date": "yesterday", "text": [{"bold": 1}, "ok"]},
    ]
    records, warnings = run_importer(IMPORTER, _write(tmp_path, _chat(messages)))
    assert [r.external_id for r in records] == ["42:3"]
    assert records[0].occurred_at is None and records[0].text == "ok"
    assert len(warnings) == 4


def test_zip_slip_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("result.json", json.dumps(_chat([])))
        z.writestr("../../evil.txt", b"x")
    _expect_error(archive, "outside the archive")


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("result.json", b" " * (20 << 20))
    _expect_error(archive, "zip bomb")


def test_html_export_in_a_zip_gets_a_helpful_error(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("ChatExport/messages.html", "<html></html>")
    _expect_error(archive, "telegram_html")


def test_unknown_timezone_is_reported_only_when_needed(tmp_path: Path) -> None:
    message = {"id": 1, "type": "message", "date": "2024-01-01T10:00:00", "text": "hi"}
    path = _write(tmp_path, _chat([message]))
    _expect_error(path, "unknown time zone", ImportOptions(timezone="Mars/Olympus"))
