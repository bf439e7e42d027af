"""The .eml and mbox importers: golden samples, dates, sniffing, hostile mail and mbox splitting."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safetrail.importers.base import Importer, ImportFormatError, ImportOptions, Limits, Source
from safetrail.importers.email_import import (
    MAX_DEPTH,
    EmlImporter,
    MboxImporter,
    decode_words,
    html_to_text,
)
from safetrail.models.record import Direction, ParseWarning, Record
from tests.importers.golden import SAMPLES, check_golden, run_importer, source_for

EMAIL = SAMPLES / "email"


def test_importers_follow_the_protocol() -> None:
    for importer in (EmlImporter(), MboxImporter()):
        assert isinstance(importer, Importer)
    assert (EmlImporter.name, MboxImporter.name) == ("eml", "mbox")


@pytest.mark.parametrize(
    "case",
    [
        "plain.eml",
        "html_attachment.eml",
        "encoded_words.eml",
        "no_date.eml",
        "outlook_charsets.eml",
    ],
)
def test_eml_golden(case: str) -> None:
    check_golden(EmlImporter(), EMAIL / case)


def test_mbox_golden() -> None:
    check_golden(MboxImporter(), EMAIL / "gmail.mbox")


def test_mbox_entries_without_a_date_take_the_separator_time_golden() -> None:
    data = check_golden(MboxImporter(), EMAIL / "no_date_header.mbox")
    records = data["records"]
    assert isinstance(records, list)
    assert [(r["occurred_at"], r["timezone_assumed"]) for r in records] == [
        ("2024-03-12T21:45:01+00:00", None),
        ("2024-03-13T07:02:00+00:00", "Europe/London"),
    ]


def write(tmp_path: Path, data: bytes, name: str = "case.eml") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def one_record(
    path: Path, importer: Importer | None = None, options: ImportOptions | None = None
) -> tuple[Record, list[ParseWarning]]:
    records, warnings = run_importer(importer or EmlImporter(), path, options)
    assert len(records) == 1
    return records[0], warnings


def messages(warnings: list[ParseWarning]) -> str:
    return "\n".join(w.message for w in warnings)


# --- people and direction ---------------------------------------------------------------------


def test_direction_from_me() -> None:
    sample = EMAIL / "plain.eml"
    mine = one_record(sample, options=ImportOptions(me=("SAM.TAYLOR@example.org",)))[0]
    theirs = one_record(sample, options=ImportOptions(me=("J.Marsh.1987@example.NET",)))[0]
    assert mine.direction is Direction.RECEIVED
    assert theirs.direction is Direction.SENT
    assert one_record(sample)[0].direction is Direction.UNKNOWN


def test_gmail_sent_label_wins_over_me() -> None:
    records, _ = run_importer(
        MboxImporter(), EMAIL / "gmail.mbox", ImportOptions(me=("someone.else@example.org",))
    )
    assert [r.direction for r in records] == [
        Direction.RECEIVED,
        Direction.SENT,
        Direction.RECEIVED,
    ]


def test_encoded_words() -> None:
    assert decode_words("=?utf-8?q?caf=C3=A9?= =?iso-8859-1?b?4A==?= ok") == ("café\xe0 ok", True)
    assert decode_words("=?x-no-such?q?abc?=") == ("abc", False)
    assert decode_words("plain, text") == ("plain, text", True)


def test_html_text_skips_scripts_and_keeps_words() -> None:
    html = "<p>a&amp;b</p><script>steal()</script><img src='http://x/'><div>c  d</div>"
    assert html_to_text(html) == "a&b\n\nc d"


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "iso", "assumed"),
    [
        ("Tue, 5 Mar 2024 22:47:10 +0100", "2024-03-05T22:47:10+01:00", None),
        ("Tue, 5 Mar 2024 22:47:10 -0000", "2024-03-05T22:47:10+00:00", None),
        ("Tue, 5 Mar 2024 17:47:10 EST", "2024-03-05T17:47:10-05:00", None),
        ("Tue, 5 Mar 2024 22:47:10 +0000 (UTC)", "2024-03-05T22:47:10+00:00", None),
        ("Mon, 1 Jul 2024 22:47:10", "2024-07-01T22:47:10+01:00", "Europe/London"),
        ("1 Jul 24 22:47", "2024-07-01T22:47:00+01:00", "Europe/London"),
    ],
)
def test_dates(tmp_path: Path, date: str, iso: str, assumed: str | None) -> None:
    path = write(tmp_path, f"From: a@example.com\nDate: {date}\n\nhi\n".encode())
    record, warnings = one_record(path)
    assert record.occurred_at is not None
    assert (record.occurred_at.isoformat(), record.timezone_assumed) == (iso, assumed)
    assert record.timestamp_text == date
    assert warnings == []


def test_date_in_dst_gap_is_flagged(tmp_path: Path) -> None:
    path = write(tmp_path, b"From: a@example.com\nDate: Sun, 31 Mar 2024 01:30:00\n\nhi\n")
    record = one_record(path)[0]
    assert record.ambiguity is not None
    assert "clocks went forward" in record.ambiguity


@pytest.mark.parametrize("date", ["yesterday", "Tue, 35 Mar 2024 22:47:10 +0000", ""])
def test_unreadable_dates_warn(tmp_path: Path, date: str) -> None:
    path = write(tmp_path, f"From: a@example.com\nDate: {date}\n\nhi\n".encode())
    record, warnings = one_record(path)
    assert record.occurred_at is None
    assert "Date header" in messages(warnings)


def test_unknown_zone_name_warns(tmp_path: Path) -> None:
    path = write(tmp_path, b"From: a@example.com\nDate: Tue, 5 Mar 2024 22:47:10 XYZ\n\nhi\n")
    record, warnings = one_record(path)
    assert record.occurred_at is not None
    assert record.occurred_at.utcoffset() is not None
    assert "not known" in messages(warnings)


# --- sniffing ----------------------------------------------------------------------------------


def sniff(importer: Importer, path: Path) -> int:
    return importer.sniff(source_for(path), path.read_bytes()[:4096])


def test_sniffing(tmp_path: Path) -> None:
    assert sniff(EmlImporter(), EMAIL / "plain.eml") == 95
    assert sniff(MboxImporter(), EMAIL / "gmail.mbox") == 95
    assert sniff(EmlImporter(), EMAIL / "gmail.mbox") == 0
    assert sniff(MboxImporter(), EMAIL / "plain.eml") == 0
    unnamed = write(tmp_path, (EMAIL / "plain.eml").read_bytes(), "message.txt")
    assert sniff(EmlImporter(), unnamed) == 80
    for junk in (b"", b"\x00" * 100, b"\xff\xd8\xff\xe0", b"hello world\n"):
        path = write(tmp_path, junk, "junk.bin")
        assert sniff(EmlImporter(), path) == 0
        assert sniff(MboxImporter(), path) == 0


# --- hostile and broken mail ------------------------------------------------------------------


def test_fifty_megabyte_header_line_is_cut(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        b"From: a@example.com\nTo: "
        + b"victim@example.org, " * ((10 << 20) // 20)
        + b"\nSubject: "
        + b"x " * (25 << 20)
        + b"\nDate: Tue, 5 Mar 2024 22:47:10 +0000\n\nbody\n",
    )
    started = time.monotonic()
    record, warnings = one_record(path)
    assert time.monotonic() - started < 10
    assert record.text == "body\n"
    assert record.title is not None
    assert 16_000 < len(record.title) <= 16_384
    assert "'Subject' header is longer" in messages(warnings)
    assert "'To' header is longer" in messages(warnings)


def test_nul_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, b"From: a@example.com\nSubject: n\x00l\n\nbefore\x00after\n")
    record, warnings = one_record(path)
    assert record.text == "before\x00after\n"
    assert "NUL characters" in messages(warnings)
    with pytest.raises(ImportFormatError, match="does not look like an email"):
        run_importer(EmlImporter(), write(tmp_path, b"\x00" * 1000, "nul.eml"))


def test_invalid_charsets(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        b"From: =?x-bogus?q?Evil?= <e@example.com>\n"
        b"Subject: =?zlib?b?eJw=?=\n"
        b"Content-Type: text/plain; charset=x-no-such-charset\n\n"
        b"caf\xc3\xa9\n",
    )
    record, warnings = one_record(path)
    assert record.text == "café\n"
    assert record.sender == "Evil"
    text = messages(warnings)
    assert "unknown character set 'x-no-such-charset'" in text
    assert "Subject has text in an unknown" in text
    assert "From header has text in an unknown" in text


def test_wrong_charset_bytes_are_replaced_and_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path, b"From: a@example.com\nContent-Type: text/plain; charset=utf-8\n\n\xe9t\xe9\n"
    )
    record, warnings = one_record(path)
    assert record.text == "\ufffdt\ufffd\n"
    assert "not valid utf-8" in messages(warnings)


@pytest.mark.parametrize(
    ("charset", "body", "text"),
    [
        ("us-ascii", "caf\u00e9 \u2014 ok".encode(), "caf\u00e9 \u2014 ok"),
        ("iso-8859-1", b"\x93quoted\x94 \x80", "\u201cquoted\u201d \u20ac"),
        ("unknown-8bit", b"na\xefve", "na\u00efve"),
        (
            "iso-8859-8-i",
            "\u05e9\u05dc\u05d5\u05dd".encode("iso-8859-8"),
            "\u05e9\u05dc\u05d5\u05dd",
        ),
        ("gb2312", "\u9555".encode("gb18030"), "\u9555"),
    ],
)
def test_charset_labels_real_mail_uses(
    tmp_path: Path, charset: str, body: bytes, text: str
) -> None:
    head = (
        "From: a@example.com\nDate: 1 Jan 2024 00:00 +0000\n"
        f"Content-Type: text/plain; charset={charset}\n\n"
    ).encode()
    record, warnings = one_record(write(tmp_path, head + body))
    assert (record.text, warnings) == (text, [])


def test_encoded_words_split_inside_a_character(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        b"From: a@example.com\nDate: 1 Jan 2024 00:00 +0000\n"
        b"Subject: =?UTF-8?B?8J+Y?=\n =?UTF-8?B?oQ==?= !\n\nx\n",
    )
    record, warnings = one_record(path)
    assert (record.title, warnings) == ("\U0001f621 !", [])


def test_eight_bit_headers_read_as_utf8(tmp_path: Path) -> None:
    raw = "From: Zoë <z@example.com>\nSubject: où es-tu\nDate: 1 Jan 2024 00:00 +0000\n\nx\n"
    path = write(tmp_path, raw.encode())
    record, warnings = one_record(path)
    assert (record.sender, record.title, warnings) == ("Zoë", "où es-tu", [])


HOSTILE_NAMES = ["../../etc/passwd", "invoice\u202etxt.exe", "a\x01b\tc.pdf", "/abs/path.doc"]


def test_hostile_attachment_names_are_kept_as_data(tmp_path: Path) -> None:
    parts = b"".join(
        b"--b\nContent-Type: application/octet-stream\n"
        b"Content-Disposition: attachment; filename*=utf-8''"
        + "".join(f"%{byte:02X}" for byte in name.encode()).encode()
        + b"\nContent-Transfer-Encoding: base64\n\naGk=\n"
        for name in HOSTILE_NAMES
    )
    path = write(
        tmp_path,
        b"From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n" + parts + b"--b--\n",
    )
    record = one_record(path)[0]
    assert [a.filename for a in record.attachments] == HOSTILE_NAMES
    assert all(a.data == b"hi" for a in record.attachments)


def nested(depth: int) -> bytes:
    opening = b"".join(
        b"Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n" % (i, i) for i in range(depth)
    )
    closing = b"".join(b"--b%d--\n" % i for i in reversed(range(depth)))
    return (
        b"From: a@example.com\nSubject: deep\n"
        + opening
        + b"Content-Type: text/plain\n\ninner\n"
        + closing
    )


def test_thousand_levels_of_nesting_are_bounded(tmp_path: Path) -> None:
    started = time.monotonic()
    record, warnings = one_record(write(tmp_path, nested(1000)))
    assert time.monotonic() - started < 5
    assert record.title == "deep"
    assert record.text == ""
    assert "nested too deeply" in messages(warnings)


def test_nesting_past_the_depth_limit_is_reported(tmp_path: Path) -> None:
    record, warnings = one_record(write(tmp_path, nested(MAX_DEPTH + 10)))
    assert record.text == ""
    assert f"nested more than {MAX_DEPTH} levels" in messages(warnings)
    shallow = one_record(write(tmp_path, nested(10), "shallow.eml"))[0]
    assert shallow.text == "inner"


def test_truncated_multipart_warns(tmp_path: Path) -> None:
    data = (EMAIL / "html_attachment.eml").read_bytes()
    record, warnings = one_record(write(tmp_path, data[: data.index(b"JVBER") + 20]))
    assert "I know where you live" in record.text
    assert "email structure problem" in messages(warnings)


def test_attachment_over_the_limit_is_marked_missing(tmp_path: Path) -> None:
    options = ImportOptions(limits=Limits(max_attachment_bytes=50))
    record, warnings = one_record(EMAIL / "html_attachment.eml", options=options)
    pdf = record.attachments[1]
    assert (pdf.filename, pdf.data) == ("your_address.pdf", None)
    assert pdf.missing is not None
    assert "50 byte limit" in pdf.missing
    assert "your_address.pdf" in messages(warnings)
    assert record.attachments[0].data is not None


def test_message_over_the_cap_is_cut(tmp_path: Path) -> None:
    options = ImportOptions(limits=Limits(max_attachment_bytes=30, max_text_chars=10))
    body = b"line of text\n" * 200_000
    path = write(tmp_path, b"From: a@example.com\nSubject: big\n\n" + body)
    record, warnings = one_record(path, options=options)
    assert "only its first" in messages(warnings)
    assert len(record.text) == 10
    assert record.locator.byte_end == path.stat().st_size


def test_text_over_the_limit_is_cut(tmp_path: Path) -> None:
    options = ImportOptions(limits=Limits(max_text_chars=5))
    record, warnings = one_record(EMAIL / "no_date.eml", options=options)
    assert record.text == "No da"
    assert "only 5 were kept" in messages(warnings)


def test_huge_html_body_is_bounded(tmp_path: Path) -> None:
    options = ImportOptions(limits=Limits(max_text_chars=100))
    html = b"<p>" + b"<b>x</b>" * 100_000 + b"</p>"
    path = write(tmp_path, b"From: a@example.com\nContent-Type: text/html\n\n" + html)
    record, warnings = one_record(path, options=options)
    assert record.text.startswith("x" * 49)
    assert len(record.text) <= 100
    assert "only 400 were read" in messages(warnings)


def test_eml_with_an_mbox_envelope_line(tmp_path: Path) -> None:
    data = b"From someone Mon Jan  1 00:00:00 2024\n" + (EMAIL / "no_date.eml").read_bytes()
    record = one_record(write(tmp_path, data))[0]
    assert record.title == "you know who this is"
    assert ("mbox_from", "someone Mon Jan  1 00:00:00 2024") in record.extra


def test_long_message_id_is_bounded(tmp_path: Path) -> None:
    raw = (
        b"From: a@example.com\nDate: 1 Jan 2024 00:00 +0000\nMessage-ID: <" + b"i" * 2000 + b">\n\n"
    )
    record, warnings = one_record(write(tmp_path, raw))
    assert record.external_id == "<" + "i" * 999
    assert "the Message-ID is 2002 characters long" in messages(warnings)


def test_unreadable_file() -> None:
    missing = EMAIL / "no-such-file.eml"
    source = Source(path=missing, display_name=missing.name, sha256="0" * 64, size=0)
    with pytest.raises(ImportFormatError, match="could not be read"):
        list(EmlImporter().parse(source, ImportOptions()))


# --- mbox --------------------------------------------------------------------------------------


def test_mbox_without_separator_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="not a mailbox"):
        run_importer(MboxImporter(), EMAIL / "plain.eml")
    with pytest.raises(ImportFormatError, match="not a mailbox"):
        run_importer(MboxImporter(), write(tmp_path, b"", "empty.mbox"))


def test_mbox_stray_text_and_empty_entries_warn(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        b"junk before\n\nFrom x Mon Jan  1 00:00:00 2024\n\nFrom y Mon Jan  1 00:00:00 2024\n"
        b"From: a@example.com\nDate: 1 Jan 2024 00:00 +0000\n\nhello\n",
        "stray.mbox",
    )
    records, warnings = run_importer(MboxImporter(), path)
    assert [r.text for r in records] == ["hello\n"]
    assert [w.message for w in warnings] == [
        "text before the first message is not an email and was skipped",
        "this mailbox entry is empty",
    ]
    assert warnings[0].locator.line_start == 1


def test_mbox_with_crlf_and_unblanked_separator(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        b"From a@b Mon Jan  1 00:00:00 2024\r\nFrom: a@example.com\r\n\r\none\r\n\r\n"
        b"From b@b Tue Jan  2 00:00:00 2024\r\nFrom: b@example.com\r\n\r\ntwo\r\n"
        b"From c@b Wed Jan  3 00:00:00 2024\r\nFrom: c@example.com\r\n\r\nthree\r\n",
        "crlf.mbox",
    )
    records, warnings = run_importer(MboxImporter(), path)
    assert [r.text for r in records] == ["one\r\n", "two\r\n", "three\r\n"]
    assert [(r.locator.line_start, r.locator.line_end) for r in records] == [
        (1, 5),
        (6, 9),
        (10, 13),
    ]
    assert records[-1].locator.byte_end == path.stat().st_size
    assert warnings == [ParseWarning(w.message, w.locator) for w in warnings]


def test_mbox_fifty_megabyte_line(tmp_path: Path) -> None:
    options = ImportOptions(limits=Limits(max_text_chars=1000))
    path = write(
        tmp_path,
        b"From a@b Mon Jan  1 00:00:00 2024\nFrom: a@example.com\n\n"
        + b"z" * (50 << 20)
        + b"\n\nFrom b@b Tue Jan  2 00:00:00 2024\nFrom: b@example.com\n\nnext\n",
        "long.mbox",
    )
    started = time.monotonic()
    records, warnings = run_importer(MboxImporter(), path, options)
    assert time.monotonic() - started < 10
    assert [len(r.text) for r in records] == [1000, 5]
    assert records[1].locator.line_start == 6
    assert "only 1000 were kept" in messages(warnings)


BODY_LINE = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\n\x00"), max_size=30),
    st.builds(lambda q, t: ">" * q + "From " + t, st.integers(0, 3), st.text("ab :", max_size=8)),
    st.just(""),
)


def mboxrd_quote(line: str) -> str:
    stripped = line.lstrip(">")
    return ">" + line if stripped.startswith("From ") else line


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(BODY_LINE, min_size=1, max_size=8), min_size=1, max_size=5))
def test_mbox_round_trip(tmp_path: Path, bodies: list[list[str]]) -> None:
    chunks: list[bytes] = []
    for number, lines in enumerate(bodies):
        body = "".join(mboxrd_quote(line) + "\n" for line in lines)
        chunks.append(
            f"From sender@example.com Mon Jan  1 00:00:0{number % 10} 2024\n"
            f"From: s{number}@example.com\nSubject: m{number}\nDate: 1 Jan 2024 00:00 +0000\n"
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
            f"{body}\n".encode()
        )
    path = write(tmp_path, b"".join(chunks), "round.mbox")
    records, warnings = run_importer(MboxImporter(), path)
    assert warnings == []
    assert [r.title for r in records] == [f"m{n}" for n in range(len(bodies))]
    assert [r.text for r in records] == ["".join(line + "\n" for line in b) for b in bodies]
    assert [r.locator.row for r in records] == [str(n + 1) for n in range(len(bodies))]


HEADER_NAMES = st.sampled_from(
    [
        "From",
        "To",
        "Cc",
        "Subject",
        "Date",
        "Content-Type",
        "Content-Disposition",
        "Content-Transfer-Encoding",
        "X-Gmail-Labels",
        "Message-ID",
        "Received",
    ]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(HEADER_NAMES, st.binary(max_size=60)), max_size=8),
    st.binary(max_size=300),
)
def test_any_headers_and_body_give_one_record(
    tmp_path: Path, headers: list[tuple[str, bytes]], body: bytes
) -> None:
    raw = b"From: a@example.com\n" + b"".join(
        name.encode() + b": " + value.replace(b"\n", b" ").replace(b"\r", b" ") + b"\n"
        for name, value in headers
    )
    path = write(tmp_path, raw + b"\n" + body, "fuzz.eml")
    records, _ = run_importer(EmlImporter(), path)
    assert len(records) == 1
