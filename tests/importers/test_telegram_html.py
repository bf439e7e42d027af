from __future__ import annotations

import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from safetrail.importers.base import ImportFormatError, ImportOptions, Limits
from safetrail.importers.registry import ImporterRegistry
from safetrail.importers.telegram_html import TelegramHtmlImporter, _seconds
from safetrail.importers.telegram_html_time import read_title
from safetrail.importers.telegram_html_tree import MAX_DEPTH
from safetrail.models.record import CallType, Direction, RecordKind
from tests.importers.golden import SAMPLES, check_golden, run_importer, source_for
from tests.importers.telegram_html_pages import day_line, message, page, text_html

TELEGRAM_HTML = SAMPLES / "telegram_html"
IMPORTER = TelegramHtmlImporter()
OFFSET_TITLE = "12.03.2024 21:45:01 UTC+00:00"


def _sniff(path: Path) -> int:
    return IMPORTER.sniff(source_for(path), path.read_bytes()[:4096])


def _write(tmp_path: Path, html: str | bytes, name: str = "messages.html") -> Path:
    path = tmp_path / name
    if isinstance(html, str):
        path.write_text(html, "utf-8")
    else:
        path.write_bytes(html)
    return path


def _media_link(classes: str, href: str) -> str:
    return f'<div class="media_wrap clearfix"><a class="{classes}" href="{href}"></a></div>'


def _one_message(tmp_path: Path, body_html: str, sender: str = "Daniel") -> Path:
    return _write(tmp_path, page("Daniel", [message(1, OFFSET_TITLE, sender, body_html)]))


# --- golden samples ------------------------------------------------------------------------


@pytest.mark.parametrize("sample", ["chat.html", "old_no_offset.html", "export.zip"])
def test_golden(sample: str) -> None:
    check_golden(IMPORTER, TELEGRAM_HTML / sample)


def test_chat_sample_reads_joined_forwarded_reply_calls_and_service_lines() -> None:
    records, warnings = run_importer(IMPORTER, TELEGRAM_HTML / "chat.html")
    by_id = {r.external_id: r for r in records}
    assert by_id["101"].text == "Hello link\nsecond line b"
    assert by_id["102"].sender == "Daniel"
    assert dict(by_id["105"].extra)["forwarded_from"] == "Alex Smith"
    assert dict(by_id["104"].extra)["reply_to_message_id"] == "103"
    assert dict(by_id["103"].extra)["via_bot"] == "@helperbot"
    assert by_id["103"].sender == "Sam"
    calls = {
        key: (by_id[key].call_type, by_id[key].duration_seconds, by_id[key].direction)
        for key in ("108", "109", "110", "111", "117")
    }
    assert calls == {
        "108": (CallType.OUTGOING, 5, Direction.SENT),
        "109": (CallType.REJECTED, 0, Direction.RECEIVED),
        "110": (CallType.MISSED, 0, Direction.RECEIVED),
        "111": (CallType.INCOMING, 72, Direction.RECEIVED),
        "117": (CallType.OUTGOING, 0, Direction.SENT),
    }
    voice_chat = by_id["118"]
    assert (voice_chat.kind, voice_chat.duration_seconds) == (RecordKind.CALL, 300)
    assert (by_id["119"].sender, dict(by_id["119"].extra)["via_bot"]) == ("Sam", "@helperbot")
    assert dict(by_id["120"].extra)["author"] == "Jordan"
    assert by_id["108"].direction is Direction.SENT
    assert by_id["112"].kind is RecordKind.SYSTEM
    assert by_id["112"].text == "Daniel pinned this message"
    assert by_id["112"].timestamp_text == "13 March 2024"
    assert by_id["106"].attachments[0].missing is not None
    assert "113" not in by_id
    location = dict(by_id["115"].extra)
    assert location["media_link"].startswith("https://maps.google.com/")
    assert location["media_text"] == "Location | 51.500000, -0.120000"
    assert dict(by_id["116"].extra)["media_text"] == "Sam Jones | +44 7700 900123"
    assert [w.locator.row for w in warnings] == ["113"]


def test_locator_points_at_the_message_in_the_page() -> None:
    path = TELEGRAM_HTML / "chat.html"
    data = path.read_bytes()
    records, _ = run_importer(IMPORTER, path)
    for record in records:
        loc = record.locator
        assert loc.byte_start is not None and loc.byte_end is not None
        chunk = data[loc.byte_start : loc.byte_end]
        assert chunk.startswith(b'<div class="message ')
        assert f'id="message{record.external_id}"'.encode() in chunk
        assert chunk.endswith(b"</div>")
        assert data[: loc.byte_start].count(b"\n") + 1 == loc.line_start


def test_no_offset_titles_use_the_timezone_and_say_so() -> None:
    options = ImportOptions(timezone="America/New_York")
    records, _ = run_importer(IMPORTER, TELEGRAM_HTML / "old_no_offset.html", options)
    summer = records[-1]
    assert summer.occurred_at == datetime(2024, 7, 1, 16, 0, tzinfo=UTC)
    assert summer.timezone_assumed == "America/New_York"
    assert summer.ambiguity is not None and "America/New_York" in summer.ambiguity


def test_summer_titles_with_the_standard_offset_are_read_in_the_zone() -> None:
    summer = read_title("01.07.2024 12:00:00 UTC+00:00", "Europe/London")
    assert summer is not None
    assert summer.occurred_at == datetime(2024, 7, 1, 11, 0, tzinfo=UTC)
    assert summer.ambiguity is not None and "standard-time offset" in summer.ambiguity
    winter = read_title("01.01.2024 12:00:00 UTC+00:00", "Europe/London")
    assert winter is not None and winter.ambiguity is None
    assert winter.occurred_at == datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
    elsewhere = read_title("01.07.2024 12:00:00 UTC+09:00", "Europe/London")
    assert elsewhere is not None and elsewhere.ambiguity is None
    assert elsewhere.occurred_at == datetime(2024, 7, 1, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "title",
    [
        "31.02.2024 10:00:00",
        "12.03.2024 25:00:00",
        "12.03.2024 10:00",
        "soon",
        "12.03.2024 10:00:00 UTC+25:00",
    ],
)
def test_titles_that_are_not_dates_are_refused(title: str) -> None:
    assert read_title(title, "Europe/London") is None


def test_the_first_exports_wrote_the_year_first() -> None:
    early = read_title("2018.06.15 12:00:00", "UTC")
    assert early is not None and early.occurred_at == datetime(2018, 6, 15, 12, 0, tzinfo=UTC)


def test_zip_reads_pages_in_order_and_takes_media_from_the_zip() -> None:
    records, warnings = run_importer(IMPORTER, TELEGRAM_HTML / "export.zip")
    assert warnings == []
    assert [r.external_id for r in records] == ["1", "2", "3", "4", "5", "6"]
    # tdesktop starts each page with a day line and never joins its first message to the last
    assert (records[3].sender, records[3].text) == ("Daniel", "page two starts afresh")
    assert records[3].locator.member == "ChatExport_2024-03-12/messages2.html"
    assert records[0].attachments[0].data is not None
    assert records[1].attachments[0].media_type == "application/pdf"
    assert records[2].attachments[0].missing == "not in the export"
    assert records[5].attachments[0].media_type == "video/mp4"
    assert records[5].attachments[0].data is not None


@pytest.mark.parametrize(
    ("status", "seconds"),
    [("5 seconds", 5), ("1 min 12 sec", 72), ("2 hours 3 minutes", 7380), ("1:05:09", 3909),
     ("0:42", 42), ("Declined", 0), ("", 0)],
)  # fmt: skip
def test_call_durations_are_read_from_the_status(status: str, seconds: int) -> None:
    assert _seconds(status) == seconds


def test_a_whole_account_export_reads_each_chat_and_its_media(tmp_path: Path) -> None:
    photo = _media_link("photo_wrap clearfix pull_left", "../../chats/chat_001/photos/p.jpg")
    archive = tmp_path / "account.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("DataExport/export_results.html", "<html><body>summary</body></html>")
        z.writestr(
            "DataExport/chats/chat_001/messages.html",
            page("Daniel", [message(1, OFFSET_TITLE, "Daniel", "", inner=photo)]),
        )
        z.writestr("DataExport/chats/chat_001/photos/p.jpg", b"\xff\xd8photo")
        z.writestr(
            "DataExport/chats/chat_002/messages.html",
            page("Sam", [message(7, OFFSET_TITLE, "Sam", "hi")]),
        )
    records, warnings = run_importer(IMPORTER, archive)
    assert warnings == []
    assert [(r.thread, r.external_id) for r in records] == [("Daniel", "1"), ("Sam", "7")]
    assert records[0].attachments[0].data == b"\xff\xd8photo"


def test_a_lone_page_names_media_as_missing(tmp_path: Path) -> None:
    inner = _media_link("photo_wrap clearfix pull_left", "photos/p.jpg")
    html = page("C", [message(1, OFFSET_TITLE, "D", "", inner=inner)])
    records, _ = run_importer(IMPORTER, _write(tmp_path, html))
    attachment = records[0].attachments[0]
    assert attachment.data is None and attachment.missing is not None


def test_forwards_in_a_row_keep_their_origin_and_replies_across_pages(tmp_path: Path) -> None:
    first = (
        '<div class="forwarded body"><div class="from_name">Alex <span class="date details" '
        'title="01.03.2024 10:00:00 UTC+00:00"> 01.03.2024 10:00:00</span></div>'
        '<div class="reply_to details">In reply to <a href="messages2.html#go_to_message2001">'
        'this message</a></div><div class="text">one</div></div>'
    )
    second = '<div class="forwarded body"><div class="text">two</div></div>'
    html = page(
        "C",
        [
            message(1, OFFSET_TITLE, "Daniel", "", inner=first),
            message(2, OFFSET_TITLE, None, "", inner=second),
            message(3, OFFSET_TITLE, None, "own words"),
        ],
    )
    records, _ = run_importer(IMPORTER, _write(tmp_path, html))
    extras = [dict(r.extra) for r in records]
    assert [e.get("forwarded_from") for e in extras] == ["Alex", "Alex", None]
    assert extras[0]["reply_to_message_id"] == "2001"
    assert [r.text for r in records] == ["one", "two", "own words"]


def test_me_names_make_messages_sent(tmp_path: Path) -> None:
    html = page(
        "C", [message(1, OFFSET_TITLE, "Sam", "a"), message(2, OFFSET_TITLE, "Daniel", "b")]
    )
    records, _ = run_importer(IMPORTER, _write(tmp_path, html), ImportOptions(me=("sam",)))
    assert [r.direction for r in records] == [Direction.SENT, Direction.RECEIVED]


# --- sniffing and the registry --------------------------------------------------------------


def test_sniff_knows_pages_and_zips_and_not_json() -> None:
    assert _sniff(TELEGRAM_HTML / "chat.html") >= 90
    assert _sniff(TELEGRAM_HTML / "export.zip") >= 90
    assert _sniff(SAMPLES / "telegram" / "single_chat.json") == 0
    assert _sniff(SAMPLES / "telegram" / "zip_export.zip") == 0


def test_registry_detects_the_html_export() -> None:
    registry = ImporterRegistry()
    for sample in ("chat.html", "export.zip"):
        path = TELEGRAM_HTML / sample
        found = registry.detect(source_for(path), path.read_bytes()[:4096])
        assert found is not None and found.name == "telegram_html"


# --- broken and hostile files ---------------------------------------------------------------


def test_a_cut_short_page_is_an_error_naming_the_place(tmp_path: Path) -> None:
    html = (TELEGRAM_HTML / "chat.html").read_text("utf-8")
    cut = html[: html.index('id="message105"') + 200]
    with pytest.raises(ImportFormatError, match="cut short") as caught:
        list(IMPORTER.parse(source_for(_write(tmp_path, cut)), ImportOptions()))
    assert caught.value.locator.line_start is not None


def test_messages_are_handed_over_as_the_page_is_read(tmp_path: Path) -> None:
    html = (TELEGRAM_HTML / "chat.html").read_text("utf-8")
    cut = html[: html.index('id="message105"') + 200]
    items = IMPORTER.parse(source_for(_write(tmp_path, cut)), ImportOptions())
    first = next(items)
    assert first.locator.row == "100"
    with pytest.raises(ImportFormatError, match="cut short"):
        list(items)


def test_a_page_without_history_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, '<html><body><div class="page_header"></div></body></html>')
    with pytest.raises(ImportFormatError, match="no message history"):
        list(IMPORTER.parse(source_for(path), ImportOptions()))


def test_a_zip_without_pages_is_an_error(tmp_path: Path) -> None:
    archive = tmp_path / "x.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("notes.txt", "hello")
    with pytest.raises(ImportFormatError, match="messages"):
        list(IMPORTER.parse(source_for(archive), ImportOptions()))


def test_media_outside_the_folder_is_not_read(tmp_path: Path) -> None:
    inner = _media_link("media clearfix pull_left media_file", "../../secret.txt")
    archive = tmp_path / "x.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(
            "Chat/messages.html", page("C", [message(1, OFFSET_TITLE, "D", "", inner=inner)])
        )
        z.writestr("secret.txt", "no")
    records, warnings = run_importer(IMPORTER, archive)
    assert records[0].attachments[0].data is None
    assert "outside" in warnings[0].message


def test_script_tags_handlers_and_javascript_links_stay_text(tmp_path: Path) -> None:
    body = (
        '<script>steal()</script><a href="javascript:alert(1)" onclick="x()">see</a> '
        '<img src="http://tracker.example/x.png" onerror="y()">'
        + text_html("<script>alert(2)</script>")
    )
    records, _ = run_importer(IMPORTER, _one_message(tmp_path, body))
    assert records[0].text == "see <script>alert(2)</script>"
    assert "steal" not in records[0].text
    assert dict(records[0].extra)["text_links"] == '["javascript:alert(1)"]'


def test_a_huge_text_is_cut_to_the_limit(tmp_path: Path) -> None:
    path = _one_message(tmp_path, "x" * (10 << 20))
    limits = Limits(max_text_chars=1000)
    records, warnings = run_importer(IMPORTER, path, ImportOptions(limits=limits))
    assert len(records[0].text) == 1000
    assert dict(records[0].extra)["text_truncated_from_chars"] == str(10 << 20)
    assert "only the first 1000" in warnings[0].message


def test_deep_nesting_is_flattened_not_recursed(tmp_path: Path) -> None:
    depth = 50_000
    body = "<span>" * depth + "deep" + "</span>" * depth
    records, _ = run_importer(IMPORTER, _one_message(tmp_path, body))
    assert records[0].text == "deep"
    assert depth > MAX_DEPTH


def test_nul_bytes_and_bad_utf8_are_replaced_and_reported(tmp_path: Path) -> None:
    html = page("C", [message(1, OFFSET_TITLE, "D", "a\x00b caf\udce9")])
    data = html.encode("utf-8", "surrogateescape")
    records, warnings = run_importer(IMPORTER, _write(tmp_path, data))
    assert records[0].text == "a\ufffdb caf\ufffd"
    assert "not valid UTF-8" in warnings[0].message
    bad = warnings[0].locator.byte_start
    assert bad is not None and data[bad] == 0xE9


def test_a_page_saved_as_utf16_gets_a_clear_error(tmp_path: Path) -> None:
    html = page("C", [message(1, OFFSET_TITLE, "D", "hello")])
    path = _write(tmp_path, html.encode("utf-16"))
    with pytest.raises(ImportFormatError, match="UTF-16"):
        list(IMPORTER.parse(source_for(path), ImportOptions()))


def test_a_page_larger_than_allowed_is_refused(tmp_path: Path) -> None:
    path = _one_message(tmp_path, "x" * 5000)
    limits = Limits(max_json_bytes=1000)
    with pytest.raises(ImportFormatError, match="larger than allowed"):
        list(IMPORTER.parse(source_for(path), ImportOptions(limits=limits)))


# --- round trip -------------------------------------------------------------------------------

_NAMES = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Zs")), min_size=1, max_size=12
)
_TEXTS = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\r"),
    max_size=80,
).map(lambda s: s.strip())
_START = datetime(2020, 1, 1, tzinfo=UTC)
_LONDON = ZoneInfo("Europe/London")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    messages=st.lists(
        st.tuples(_NAMES, _TEXTS, st.integers(0, 10**8), st.booleans()), min_size=1, max_size=8
    )
)
def test_round_trip_keeps_senders_texts_and_times(
    tmp_path: Path, messages: list[tuple[str, str, int, bool]]
) -> None:
    parts = [day_line(1, "1 January 2020")]
    expected: list[tuple[str, str, datetime]] = []
    previous: str | None = None
    for number, (sender, text, seconds, join) in enumerate(messages, start=1):
        when = _START + timedelta(seconds=seconds)
        wall = when.astimezone(_LONDON)
        assume(not wall.fold)  # the hour the clocks go back reads as its first pass
        # tdesktop writes the wall clock with the zone's standard offset, summer or not
        title = wall.strftime("%d.%m.%Y %H:%M:%S UTC+00:00")
        joined = join and previous == sender
        parts.append(message(number, title, None if joined else sender, text_html(text)))
        expected.append((sender, text, when))
        previous = sender
    path = _write(tmp_path, page("Chat", parts), "rt.html")
    records, warnings = run_importer(IMPORTER, path, ImportOptions(timezone="Europe/London"))
    assert warnings == []
    assert [(r.sender, r.text, r.occurred_at) for r in records] == expected
