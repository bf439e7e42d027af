from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safetrail.importers.base import ImportFormatError, ImportOptions, Limits
from safetrail.importers.meta_dyi import (
    InstagramJsonImporter,
    MessengerJsonImporter,
    repair_mojibake,
)
from safetrail.models.record import CallType, Direction, RecordKind
from tests.importers.golden import SAMPLES, check_golden, run_importer, source_for

META = SAMPLES / "meta_dyi"
MESSENGER = MessengerJsonImporter()
INSTAGRAM = InstagramJsonImporter()
AS_SAM = ImportOptions(me=("Sam Taylor",))


def as_meta_writes(text: str) -> str:
    """Meta's escaping: each UTF-8 byte of the text becomes one code point."""
    return text.encode("utf-8").decode("latin-1")


def _thread(messages: Sequence[object], **fields: object) -> dict[str, object]:
    return {"participants": [{"name": "A"}, {"name": "B"}], "messages": messages, **fields}


def _write(tmp_path: Path, document: object, name: str = "message_1.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    return path


# --- golden samples ------------------------------------------------------------------------


def test_golden_messenger_download() -> None:
    check_golden(MESSENGER, META / "messenger_download.zip", AS_SAM)


def test_golden_messenger_single_file() -> None:
    check_golden(MESSENGER, META / "messenger_single.json")


def test_golden_instagram_download() -> None:
    check_golden(INSTAGRAM, META / "instagram_download.zip", AS_SAM)


def test_golden_encrypted_chats_download() -> None:
    """Text in Meta's escaped form and text already in plain UTF-8 both come out right."""
    data = check_golden(MESSENGER, META / "secure_storage.json", AS_SAM)
    records = data["records"]
    assert isinstance(records, list)
    assert [r["text"] for r in records][-2:] == [
        "Please leave me alone. Zoë has told you too.",
        "Café at 8 — or I come to yours",
    ]
    assert data["warnings"] == []


@pytest.mark.parametrize("case", ["secure_storage.json", "secure_storage_download.zip"])
def test_encrypted_chats_download_is_sniffed_as_messenger(case: str) -> None:
    source = source_for(META / case)
    head = (META / case).read_bytes()[:4096]
    assert MESSENGER.sniff(source, head) > INSTAGRAM.sniff(source, head) > 0


def test_golden_encrypted_chats_download_zip_reads_media() -> None:
    data = check_golden(MESSENGER, META / "secure_storage_download.zip", AS_SAM)
    records = data["records"]
    assert isinstance(records, list)
    (photo,) = [a for r in records for a in r["attachments"]]
    assert (photo["missing"], photo["size"]) == (None, 25)


def test_split_thread_is_merged_oldest_first_and_repaired() -> None:
    records, warnings = run_importer(MESSENGER, META / "messenger_download.zip", AS_SAM)
    times = [r.occurred_at for r in records]
    assert times == sorted(t for t in times if t is not None)
    assert {r.locator.member.rsplit("/", 1)[1] for r in records if r.locator.member} == {
        "message_1.json",
        "message_2.json",
    }
    texts = [r.text for r in records]
    assert texts.index("first of two sent in the same millisecond") + 1 == texts.index(
        "second of two sent in the same millisecond"
    )
    assert "I’m outside. Don’t pretend you’re not home 😡" in texts
    assert "Radosław says hi — “see you soon” 👀👨\u200d👩\u200d👧" in texts
    assert "already \u2019 fine" in texts
    assert [w.message for w in warnings] == [
        "text in content is not in Meta's usual escaped form; kept exactly as found"
    ]


def test_calls_unsent_and_photos() -> None:
    records, _ = run_importer(MESSENGER, META / "messenger_download.zip", AS_SAM)
    calls = [r for r in records if r.kind is RecordKind.CALL]
    assert [(c.call_type, c.duration_seconds, c.direction) for c in calls] == [
        (CallType.OUTGOING, 125, Direction.SENT),
        (CallType.MISSED, 0, Direction.RECEIVED),
    ]
    unsent = next(r for r in records if r.text == "You unsent a message.")
    assert dict(unsent.extra)["is_unsent"] == "true"
    photos = [a for r in records for a in r.attachments]
    assert photos[0].missing == "not in the download" and photos[0].data is None
    assert photos[1].data is not None and photos[1].data.startswith(b"\xff\xd8")


def test_instagram_zip_in_a_top_folder_finds_media() -> None:
    records, warnings = run_importer(INSTAGRAM, META / "instagram_download.zip", AS_SAM)
    assert warnings == []
    assert {r.channel for r in records} == {"instagram"}
    found = {a.filename.rsplit("/", 1)[1]: a for r in records for a in r.attachments}
    assert found["7777.jpg"].data is not None
    assert found["8888.mp4"].data is not None and found["8888.mp4"].media_type == "audio/mp4"
    assert found["5555.mp4"].missing == "not in the download"
    share = next(r for r in records if "share" in dict(r.extra))
    assert json.loads(dict(share.extra)["share"])["share_text"] == "look who I found 😈"


def test_direction_without_me_is_unknown() -> None:
    records, _ = run_importer(MESSENGER, META / "messenger_download.zip")
    assert {r.direction for r in records} == {Direction.UNKNOWN}
    call = next(r for r in records if r.duration_seconds == 0)
    assert call.call_type is CallType.UNKNOWN


def test_single_file_names_media_as_missing() -> None:
    records, _ = run_importer(MESSENGER, META / "messenger_single.json")
    attachments = [a for r in records for a in r.attachments]
    assert len(attachments) == 2 and all(a.data is None and a.missing for a in attachments)
    assert records[-1].thread == "Elm Road Neighbours 🏡"


# --- the repair ----------------------------------------------------------------------------


@given(st.text())
def test_mojibake_repair_round_trips_any_text(text: str) -> None:
    assert repair_mojibake(as_meta_writes(text)) == (text, True)


def test_repair_keeps_text_that_is_not_meta_escaped() -> None:
    assert repair_mojibake("already ’ fine") == ("already ’ fine", False)
    assert repair_mojibake("caf\u00e9") == ("caf\u00e9", False)
    assert repair_mojibake("plain") == ("plain", True)


# --- sniffing ------------------------------------------------------------------------------


def _sniff(importer: MessengerJsonImporter | InstagramJsonImporter, path: Path) -> int:
    return importer.sniff(source_for(path), path.read_bytes()[:4096])


def test_sniff_prefers_the_right_service() -> None:
    messenger_zip = META / "messenger_download.zip"
    instagram_zip = META / "instagram_download.zip"
    assert _sniff(MESSENGER, messenger_zip) > _sniff(INSTAGRAM, messenger_zip)
    assert _sniff(INSTAGRAM, instagram_zip) > _sniff(MESSENGER, instagram_zip)
    assert _sniff(MESSENGER, META / "messenger_single.json") >= 60


def test_sniff_says_no_to_other_files(tmp_path: Path) -> None:
    telegram = SAMPLES / "telegram" / "single_chat.json"
    assert _sniff(MESSENGER, telegram) == 0
    assert _sniff(INSTAGRAM, telegram) == 0
    other_zip = tmp_path / "other.zip"
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("WhatsApp Chat.txt", "hi")
    assert _sniff(MESSENGER, other_zip) == 0
    garbage = tmp_path / "garbage.zip"
    garbage.write_bytes(b"PK\x03\x04garbage")
    assert _sniff(INSTAGRAM, garbage) == 0


# --- broken and hostile input --------------------------------------------------------------


def _expect_error(path: Path, fragment: str, options: ImportOptions | None = None) -> None:
    with pytest.raises(ImportFormatError) as caught:
        run_importer(MESSENGER, path, options)
    assert fragment in str(caught.value)


def test_wrong_shape_json(tmp_path: Path) -> None:
    _expect_error(_write(tmp_path, {"name": "x", "type": "personal_chat"}), 'no "messages"')
    _expect_error(_write(tmp_path, {"messages": []}), 'no "participants"')
    _expect_error(_write(tmp_path, ["messages"]), 'no "messages"')


def test_deep_nesting_truncation_utf8_and_nul(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_bytes(b'{"messages": [' + b"{" * 100_000)
    _expect_error(deep, "nested too deeply")
    truncated = tmp_path / "truncated.json"
    truncated.write_bytes((META / "messenger_single.json").read_bytes()[:500])
    _expect_error(truncated, "truncated")
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"participants": [], "messages": [{"content": "\xc3\x28"}]}')
    _expect_error(bad, "not valid UTF-8")
    nul = tmp_path / "nul.json"
    nul.write_bytes(b'{"participants": [], \x00"messages": []}')
    _expect_error(nul, "NUL")


def test_a_50_mb_message_is_cut_with_a_warning(tmp_path: Path) -> None:
    # "Ã©" is Meta's form of "é"; written as UTF-8 the content is a single 50 MB line.
    message = {"sender_name": "A", "timestamp_ms": 1, "content": "\u00c3\u00a9" * (25 << 19)}
    records, warnings = run_importer(MESSENGER, _write(tmp_path, _thread([message])))
    assert len(records[0].text) == Limits().max_text_chars
    assert set(records[0].text) == {"é"}
    assert "only the first" in warnings[0].message


def test_bad_messages_are_warned_about(tmp_path: Path) -> None:
    messages = [
        "not a message",
        {"sender_name": "A", "timestamp_ms": "yesterday", "content": "no time"},
        {"sender_name": "B", "timestamp_ms": 10**20, "content": "far future"},
        {"sender_name": "A", "timestamp_ms": 1000, "content": "ok"},
    ]
    records, warnings = run_importer(MESSENGER, _write(tmp_path, _thread(messages)))
    # Untimed messages come last, still oldest first (Meta writes newest first).
    assert [r.text for r in records] == ["ok", "far future", "no time"]
    assert records[2].occurred_at is None and records[2].timestamp_text == "yesterday"
    assert len(warnings) == 3


def _zip(tmp_path: Path, members: dict[str, bytes]) -> Path:
    path = tmp_path / "download.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_zip_slip_and_media_outside_the_download(tmp_path: Path) -> None:
    thread = "messages/inbox/a_1/message_1.json"
    slip = _zip(tmp_path, {thread: json.dumps(_thread([])).encode(), "../evil": b"x"})
    _expect_error(slip, "outside the archive")
    message = {"sender_name": "A", "timestamp_ms": 1, "photos": [{"uri": "../../etc/passwd"}]}
    outside = _zip(tmp_path, {thread: json.dumps(_thread([message])).encode()})
    records, warnings = run_importer(MESSENGER, outside)
    assert records[0].attachments[0].missing == "outside the download"
    assert "outside the download" in warnings[0].message


def test_zip_bomb(tmp_path: Path) -> None:
    bomb = _zip(tmp_path, {"messages/inbox/a_1/message_1.json": b" " * (20 << 20)})
    _expect_error(bomb, "zip bomb")


def test_zip_without_threads_or_with_html(tmp_path: Path) -> None:
    _expect_error(_zip(tmp_path, {"notes.txt": b"x"}), "holds no message files")
    html = _zip(tmp_path, {"messages/inbox/a_1/message_1.html": b"<html>"})
    _expect_error(html, "choose JSON")


def test_oversized_media_is_missing_with_a_warning(tmp_path: Path) -> None:
    message = {"sender_name": "A", "timestamp_ms": 1, "photos": [{"uri": "messages/p.jpg"}]}
    path = _zip(
        tmp_path,
        {
            "messages/inbox/a_1/message_1.json": json.dumps(_thread([message])).encode(),
            "messages/p.jpg": b"x" * 4096,
        },
    )
    options = ImportOptions(limits=Limits(max_attachment_bytes=1024))
    records, warnings = run_importer(MESSENGER, path, options)
    assert records[0].attachments[0].missing == "too large to import"
    assert len(warnings) == 1
