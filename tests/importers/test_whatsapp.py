"""WhatsApp chat export importer: golden samples, hostile inputs and a round-trip property."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from safetrail.importers.base import (
    AmbiguousDateOrder,
    DateOrder,
    Importer,
    ImportFormatError,
    ImportOptions,
    Limits,
)
from safetrail.importers.whatsapp import WhatsAppTextImporter, WhatsAppZipImporter, chat_name
from safetrail.importers.whatsapp_header import GENERAL_HEADER
from safetrail.models.record import Direction, RecordKind
from tests.importers.golden import SAMPLES, check_golden, run_importer, source_for

HERE = SAMPLES / "whatsapp"
TEXT = WhatsAppTextImporter()
ZIP = WhatsAppZipImporter()

TEXT_SAMPLES = [
    "android_24h_dmy",
    "android_12h_mdy",
    "ios_bracketed_crlf",
    "german_dots",
    "finnish_klo",
    "spanish_pm",
    "iso_dates",
    "two_digit_years",
    "dotted_colon_close",
    "spaced_dots",
    "multiline_datelike",
    "system_messages",
    "media_omitted_android",
    "media_omitted_ios",
    "dst_gap_overlap",
    "french_a",
    "arabic_pm",
    "greek_pm",
    "chinese_pm_first",
    "ios_edited_bom",
    "italian",
    "group_profile_names",
    "ios_calls",
]


def write_chat(path: Path, lines: list[str], newline: str = "\n") -> Path:
    path.write_bytes(newline.join(lines).encode("utf-8") + newline.encode())
    return path


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


# Golden samples


@pytest.mark.parametrize("case", TEXT_SAMPLES)
def test_text_samples_match_golden(case: str) -> None:
    check_golden(TEXT, HERE / f"{case}.txt")


@pytest.mark.parametrize("case", ["ios_with_media", "android_with_media"])
def test_zip_samples_match_golden(case: str) -> None:
    check_golden(ZIP, HERE / f"{case}.zip")


def test_ios_call_lines_are_calls_with_the_author_as_caller() -> None:
    records, _ = run_importer(TEXT, HERE / "ios_calls.txt", ImportOptions(me=("Alex",)))
    calls = [(r.kind, r.call_type, r.duration_seconds, r.direction) for r in records]
    assert calls == [
        (RecordKind.CALL, "missed", None, Direction.RECEIVED),
        (RecordKind.CALL, "missed", None, Direction.RECEIVED),
        (RecordKind.CALL, "incoming", 3720, Direction.RECEIVED),
        (RecordKind.CALL, "outgoing", None, Direction.SENT),
        (RecordKind.CALL, "missed", None, Direction.RECEIVED),
        (RecordKind.MESSAGE, None, None, Direction.RECEIVED),
        (RecordKind.MESSAGE, None, None, Direction.SENT),
    ]


def test_ambiguous_sample_with_chosen_order_matches_golden() -> None:
    check_golden(TEXT, HERE / "ambiguous.txt", ImportOptions(date_order="DMY"))


@pytest.mark.parametrize(
    "file_name",
    [
        "WhatsApp Chat with Sam.txt",
        "WhatsApp Chat - Sam.zip",
        "WhatsApp-Chat mit Sam.txt",
        "Chat de WhatsApp con Sam.txt",
        "Discussion WhatsApp avec Sam.txt",
        "Conversa do WhatsApp com Sam.txt",
        "Chat WhatsApp con Sam.txt",
        "WhatsApp-chat met Sam.txt",
        "Chat WhatsApp dengan Sam.txt",
        "Чат WhatsApp с Sam.txt",
    ],
)
def test_chat_name_from_localised_file_names(file_name: str) -> None:
    assert chat_name(file_name) == "Sam"


def test_importers_follow_the_protocol() -> None:
    assert isinstance(TEXT, Importer)
    assert isinstance(ZIP, Importer)
    assert (TEXT.name, ZIP.name) == ("whatsapp_txt", "whatsapp_zip")


# Date order


def test_ambiguous_file_without_order_asks_the_person() -> None:
    with pytest.raises(AmbiguousDateOrder, match="--date-order DMY"):
        run_importer(TEXT, HERE / "ambiguous.txt")


def test_ambiguous_file_read_month_first_when_chosen() -> None:
    records, _ = run_importer(TEXT, HERE / "ambiguous.txt", ImportOptions(date_order="MDY"))
    assert [r.occurred_at.date().isoformat() for r in records if r.occurred_at] == [
        "2022-01-02",
        "2022-03-04",
        "2022-05-06",
    ]
    assert all(r.ambiguity and "MDY" in r.ambiguity for r in records)


def test_order_that_the_file_disproves_names_the_line() -> None:
    with pytest.raises(ImportFormatError) as caught:
        run_importer(TEXT, HERE / "android_24h_dmy.txt", ImportOptions(date_order="MDY"))
    assert caught.value.locator.line_start == 7
    assert "13/03/2017" in caught.value.message


def test_order_the_file_proves_is_not_flagged_when_also_chosen() -> None:
    records, _ = run_importer(TEXT, HERE / "android_24h_dmy.txt", ImportOptions(date_order="DMY"))
    assert all(r.ambiguity is None for r in records)


def test_day_first_and_month_first_in_one_file_is_refused(tmp_path: Path) -> None:
    chat = write_chat(
        tmp_path / "mixed.txt",
        ["13/01/2020, 10:00 - Sam: a", "01/13/2020, 10:00 - Sam: b"],
    )
    with pytest.raises(ImportFormatError) as caught:
        run_importer(TEXT, chat)
    assert caught.value.locator.line_start == 2


def test_order_decided_by_a_late_line_applies_to_the_whole_file(tmp_path: Path) -> None:
    lines = [f"01/02/2020, 10:{i % 60:02d} - Sam: m{i}" for i in range(300)]
    chat = write_chat(tmp_path / "late.txt", [*lines, "02/25/2020, 11:00 - Sam: proof"])
    records, _ = run_importer(TEXT, chat)
    assert records[0].occurred_at is not None
    assert records[0].occurred_at.month == 1
    assert records[0].occurred_at.day == 2


# People, thread, zones


def test_me_sets_direction_by_name_and_phone() -> None:
    options = ImportOptions(me=("alex", "07700 900123"))
    records, _ = run_importer(TEXT, HERE / "android_24h_dmy.txt", options)
    by_sender = {r.sender: r.direction for r in records if r.kind is RecordKind.MESSAGE}
    assert by_sender["Alex"] is Direction.SENT
    assert by_sender["+44 7700 900123"] is Direction.SENT
    assert by_sender["Sam Jones"] is Direction.RECEIVED


def test_thread_comes_from_the_export_file_name(tmp_path: Path) -> None:
    chat = tmp_path / "WhatsApp Chat with Sam 🌹.txt"
    shutil.copy(HERE / "iso_dates.txt", chat)
    records, _ = run_importer(TEXT, chat)
    assert {r.thread for r in records} == {"Sam 🌹"}


def test_zip_thread_comes_from_the_zip_name(tmp_path: Path) -> None:
    archive = tmp_path / "WhatsApp Chat - Sam Jones.zip"
    shutil.copy(HERE / "ios_with_media.zip", archive)
    records, _ = run_importer(ZIP, archive)
    assert {r.thread for r in records} == {"Sam Jones"}
    assert {r.locator.member for r in records} == {"_chat.txt"}


def test_times_are_read_in_the_chosen_zone() -> None:
    options = ImportOptions(timezone="America/New_York")
    records, _ = run_importer(TEXT, HERE / "iso_dates.txt", options)
    assert records[0].occurred_at is not None
    assert records[0].occurred_at.utcoffset() is not None
    assert records[0].occurred_at.isoformat() == "2019-01-01T12:00:00-05:00"
    assert records[0].timezone_assumed == "America/New_York"


def test_unknown_zone_is_a_format_error() -> None:
    with pytest.raises(ImportFormatError, match="time zone"):
        run_importer(TEXT, HERE / "iso_dates.txt", ImportOptions(timezone="Mars/Olympus"))


# Sniffing


def test_sniff_recognises_text_and_zip_exports() -> None:
    txt = HERE / "ios_bracketed_crlf.txt"
    assert TEXT.sniff(source_for(txt), txt.read_bytes()) == 90
    assert ZIP.sniff(source_for(txt), txt.read_bytes()) == 0
    archive = HERE / "android_with_media.zip"
    assert ZIP.sniff(source_for(archive), archive.read_bytes()[:4096]) == 95
    assert TEXT.sniff(source_for(archive), archive.read_bytes()[:4096]) == 0


def test_sniff_declines_other_files(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("Shopping list\nmilk\n", "utf-8")
    assert TEXT.sniff(source_for(other), other.read_bytes()) == 0
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert TEXT.sniff(source_for(empty), b"") == 0
    plain_zip = make_zip(tmp_path / "photos.zip", {"a.jpg": b"\xff\xd8"})
    assert ZIP.sniff(source_for(plain_zip), plain_zip.read_bytes()) == 0
    broken_zip = tmp_path / "broken.zip"
    broken_zip.write_bytes(b"PK\x03\x04garbage")
    assert ZIP.sniff(source_for(broken_zip), broken_zip.read_bytes()) == 0


# Broken and hostile inputs


def test_empty_file_is_a_format_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(ImportFormatError, match="no WhatsApp message header"):
        run_importer(TEXT, empty)


def test_text_without_headers_in_the_first_50_lines_is_refused(tmp_path: Path) -> None:
    lines = [f"just words {i}" for i in range(60)] + ["01/02/2020, 10:00 - Sam: late"]
    chat = write_chat(tmp_path / "late.txt", lines)
    with pytest.raises(ImportFormatError, match="first 50 lines"):
        run_importer(TEXT, chat)


def test_invalid_utf8_is_kept_with_a_warning(tmp_path: Path) -> None:
    chat = tmp_path / "bad.txt"
    chat.write_bytes(b"13/01/2020, 10:00 - Sam: ok\n13/01/2020, 10:01 - Sam: bad \xff\xfe here\n")
    records, warnings = run_importer(TEXT, chat)
    assert records[1].text == "bad \ufffd\ufffd here"
    assert len(warnings) == 1
    assert warnings[0].locator.line_start == 2
    assert warnings[0].locator.byte_start == 28 + 29
    assert "not valid UTF-8" in warnings[0].message


def test_many_undecodable_lines_in_a_row_stop_the_import(tmp_path: Path) -> None:
    chat = tmp_path / "binary.txt"
    chat.write_bytes(b"13/01/2020, 10:00 - Sam: ok\n" + b"\xff\xfe\xfd\n" * 60)
    with pytest.raises(ImportFormatError, match="not UTF-8"):
        run_importer(TEXT, chat)


def test_nul_bytes_are_replaced_with_a_warning(tmp_path: Path) -> None:
    chat = tmp_path / "nul.txt"
    chat.write_bytes(b"13/01/2020, 10:00 - Sam: a\x00b\n")
    records, warnings = run_importer(TEXT, chat)
    assert records[0].text == "a\ufffdb"
    assert "NUL" in warnings[0].message


def test_utf16_file_is_refused_clearly(tmp_path: Path) -> None:
    chat = tmp_path / "utf16.txt"
    chat.write_bytes("13/01/2020, 10:00 - Sam: hi\n".encode("utf-16"))
    with pytest.raises(ImportFormatError, match="UTF-16"):
        run_importer(TEXT, chat)


def test_a_50_mb_line_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    chat = tmp_path / "long.txt"
    with chat.open("wb") as handle:
        handle.write(b"13/01/2020, 10:00 - Sam: hi\n13/01/2020, 10:01 - Sam: ")
        chunk = b"a" * (1 << 20)
        for _ in range(50):
            handle.write(chunk)
        handle.write(b"\n")
    with pytest.raises(ImportFormatError) as caught:
        run_importer(TEXT, chat)
    assert caught.value.locator.line_start == 2
    assert "longer than" in caught.value.message


def test_long_multiline_message_is_cut_with_a_warning(tmp_path: Path) -> None:
    chat = write_chat(tmp_path / "many.txt", ["13/01/2020, 10:00 - Sam: x", *["y" * 50] * 100])
    options = ImportOptions(limits=Limits(max_text_chars=1000))
    records, warnings = run_importer(TEXT, chat, options)
    assert len(records[0].text) == 1000
    assert records[0].locator.line_end == 101
    assert "longer than 1000" in warnings[0].message


def test_zip_slip_is_refused(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "slip.zip",
        {"_chat.txt": b"13/01/2020, 10:00 - Sam: hi\n", "../../evil.jpg": b"x"},
    )
    with pytest.raises(ImportFormatError, match="outside the archive"):
        run_importer(ZIP, archive)


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "bomb.zip",
        {"_chat.txt": b"13/01/2020, 10:00 - Sam: hi\n", "IMG-1.jpg": bytes(16 << 20)},
    )
    with pytest.raises(ImportFormatError, match="zip bomb"):
        run_importer(ZIP, archive)


def test_truncated_zip_is_refused(tmp_path: Path) -> None:
    data = (HERE / "ios_with_media.zip").read_bytes()
    archive = tmp_path / "cut.zip"
    archive.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFormatError, match="not a readable zip"):
        run_importer(ZIP, archive)


def test_corrupt_chat_inside_zip_is_refused_with_its_member(tmp_path: Path) -> None:
    chat = "".join(f"13/01/2020, 10:{i % 60:02d} - Sam: message {i}\n" for i in range(2000))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as out:
        out.writestr("_chat.txt", chat.encode())
    data = bytearray(buffer.getvalue())
    middle = len(chat) // 2
    data[middle : middle + 8] = b"\x00" * 8
    archive = tmp_path / "corrupt.zip"
    archive.write_bytes(bytes(data))
    with pytest.raises(ImportFormatError) as caught:
        run_importer(ZIP, archive)
    assert caught.value.locator.member == "_chat.txt"


def test_zip_without_a_chat_is_refused(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "photos.zip", {"a.jpg": b"x", "b.txt": b"y", "c.txt": b"z"})
    with pytest.raises(ImportFormatError, match=r"_chat\.txt"):
        run_importer(ZIP, archive)


def test_oversized_attachment_is_reported_missing(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "big.zip",
        {
            "_chat.txt": "[13/01/2020, 10:00:00] Sam: \u200e<attached: 1-PHOTO.jpg>\n".encode(),
            "1-PHOTO.jpg": b"x" * 200,
        },
    )
    options = ImportOptions(limits=Limits(max_attachment_bytes=100))
    records, warnings = run_importer(ZIP, archive, options)
    attachment = records[0].attachments[0]
    assert attachment.data is None
    assert attachment.missing is not None
    assert "too large" in attachment.missing
    assert warnings[0].locator.line_start == 1


# Round trip: generated chats rendered in many line shapes parse back exactly

AUTHOR_CHARS = st.sampled_from([*"abcXYZ éü:!.'-_+0123456789", "🌹", "😘", "أ", "👨‍👩‍👧"])
BODY_CHARS = st.sampled_from([*"abc XYZ :;!?.,'\"-()[]/0123456789", "🔪", "أهلا", "\u202f"])


@st.composite
def authors(draw: st.DrawFn) -> str:
    name = draw(st.lists(AUTHOR_CHARS, min_size=1, max_size=12).map("".join))
    assume(name.strip() and ": " not in name and not name.endswith(":"))
    assume(name[0] not in " [")
    return name


@st.composite
def shapes(draw: st.DrawFn) -> dict[str, object]:
    order = draw(st.sampled_from(["DMY", "MDY", "YMD"]))
    return {
        "order": order,
        "bracketed": draw(st.booleans()),
        "sep": draw(st.sampled_from(["/", ".", "-"])),
        "two_digit_year": order != "YMD" and draw(st.booleans()),
        "pad": draw(st.booleans()),
        "twelve": draw(st.booleans()),
        "seconds": draw(st.booleans()),
        "ampm": draw(st.sampled_from(["AM", "am", "a.m.", "a. m."])),
        "space": draw(st.sampled_from([" ", "\u202f"])),
        "mark": draw(st.booleans()),
        "newline": draw(st.sampled_from(["\n", "\r\n"])),
    }


def render_header(moment: datetime, shape: dict[str, object]) -> str:
    pad = "{:02d}" if shape["pad"] else "{:d}"
    year = f"{moment.year % 100:02d}" if shape["two_digit_year"] else str(moment.year)
    day, month = pad.format(moment.day), pad.format(moment.month)
    fields = {"DMY": (day, month, year), "MDY": (month, day, year), "YMD": (year, month, day)}
    date_text = str(shape["sep"]).join(fields[str(shape["order"])])
    hour = moment.hour
    if shape["twelve"]:
        hour = hour % 12 or 12
    clock = f"{hour:d}:{moment.minute:02d}"
    if shape["seconds"]:
        clock += f":{moment.second:02d}"
    if shape["twelve"]:
        marker = str(shape["ampm"])
        if moment.hour >= 12:
            marker = marker.replace("a", "p").replace("A", "P")
        clock += f"{shape['space']}{marker}"
    stamp = f"{date_text}, {clock}"
    header = f"[{stamp}] " if shape["bracketed"] else f"{stamp} - "
    return ("\u200e" if shape["mark"] else "") + header


MESSAGES = st.lists(
    st.tuples(
        authors(),
        st.lists(st.lists(BODY_CHARS, max_size=30).map("".join), min_size=1, max_size=3),
        st.datetimes(min_value=datetime(2010, 1, 1), max_value=datetime(2030, 12, 31)),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(shape=shapes(), messages=MESSAGES)
def test_generated_chats_round_trip(
    tmp_path: Path, shape: dict[str, object], messages: list[tuple[str, list[str], datetime]]
) -> None:
    lines: list[str] = []
    for author, body, moment in messages:
        first = body[0]
        assume(": " not in first)
        for more in body[1:]:
            assume(GENERAL_HEADER.match(more) is None)
        lines.append(f"{render_header(moment, shape)}{author}: {first}")
        lines.extend(body[1:])
    chat = tmp_path / "generated.txt"
    write_chat(chat, lines, str(shape["newline"]))
    order: DateOrder = shape["order"]  # type: ignore[assignment]
    records, warnings = run_importer(TEXT, chat, ImportOptions(date_order=order, timezone="UTC"))
    assert warnings == []
    assert len(records) == len(messages)
    for record, (author, body, moment) in zip(records, messages, strict=True):
        expected = moment.replace(microsecond=0, second=moment.second if shape["seconds"] else 0)
        assert record.sender == author
        assert record.text == "\n".join(body)
        assert record.occurred_at is not None
        assert record.occurred_at.replace(tzinfo=None) == expected


@pytest.mark.parametrize("case", TEXT_SAMPLES)
def test_locators_point_at_the_exact_lines(case: str) -> None:
    sample = HERE / f"{case}.txt"
    raw = sample.read_bytes()
    lines = raw.decode("utf-8").removeprefix("\ufeff").splitlines()
    records, _ = run_importer(TEXT, sample)
    for record in records:
        where = record.locator
        assert where.byte_start is not None and where.byte_end is not None
        assert where.line_start is not None and where.line_end is not None
        found = raw[where.byte_start : where.byte_end].decode("utf-8").replace("\r\n", "\n")
        assert found == "\n".join(lines[where.line_start - 1 : where.line_end])
        assert record.timestamp_text in found.partition("\n")[0]


def test_header_with_an_impossible_year_is_kept_as_text(tmp_path: Path) -> None:
    chat = write_chat(
        tmp_path / "year0.txt",
        ["13/01/2020, 10:00 - Sam: hi", "13/01/0000, 10:01 - Sam: forged"],
    )
    records, warnings = run_importer(TEXT, chat)
    assert records[0].text == "hi\n13/01/0000, 10:01 - Sam: forged"
    assert warnings[0].locator.line_start == 2


def test_hostile_marker_lookalikes_stay_fast(tmp_path: Path) -> None:
    bullets = " • " * 100_000
    chat = write_chat(
        tmp_path / "bullets.txt",
        [
            f"[13/01/2020, 10:00:00] Sam: {bullets}image omitted",
            f"[13/01/2020, 10:00:01] Sam: \u200e{'left ' * 100_000}",
            f"[13/01/2020, 10:00:02] Sam: {'(' * 100_000}x (file attached)",
        ],
    )
    records, _ = run_importer(TEXT, chat)
    assert [r.kind for r in records] == [RecordKind.MESSAGE] * 3
    assert records[0].attachments == ()


def test_encryption_notice_typed_by_a_person_on_android_is_a_message(tmp_path: Path) -> None:
    chat = write_chat(
        tmp_path / "typed.txt",
        ["13/01/2020, 10:00 - Sam: Messages and calls are end-to-end encrypted, ha"],
    )
    records, _ = run_importer(TEXT, chat)
    assert records[0].kind is RecordKind.MESSAGE
    assert records[0].sender == "Sam"
