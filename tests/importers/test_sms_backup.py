"""SMS Backup & Restore importers: golden samples, hostile files and a round-trip property."""

from __future__ import annotations

import base64
import hashlib
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safetrail.importers import sms_backup_xml
from safetrail.importers.base import ImportFormatError, ImportOptions, Limits
from safetrail.importers.sms_backup import SmsBackupCallsImporter, SmsBackupMessagesImporter
from safetrail.importers.sms_backup_fields import normalise_address
from safetrail.models.record import CallType, Direction, ParseWarning, Record, RecordKind
from tests.importers.golden import SAMPLES, check_golden, run_importer, source_for

HERE = SAMPLES / "sms_backup_restore"
MESSAGES = SmsBackupMessagesImporter()
CALLS = SmsBackupCallsImporter()
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
PNG_SHA256 = "62a58589fb74ddca750bdebc0609009ba2ca2d219cb92eec4d88f2714fdf407e"
DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"


def sms(body: str = "hello", *, date: str = "1710000000000", kind: str = "1", **extra: str) -> str:
    """One <sms> element; `body` must already be escaped for an attribute."""
    attributes = {"protocol": "0", "address": "+447700900123", "date": date, "type": kind}
    attributes |= {"subject": "null", "body": body, "read": "1", "status": "-1"} | extra
    return "<sms " + " ".join(f'{k}="{v}"' for k, v in attributes.items()) + " />"


def backup(*elements: str, count: int | None = None, root: str = "smses") -> str:
    total = len(elements) if count is None else count
    inner = "\n".join(f"  {e}" for e in elements)
    return f'{DECLARATION}<{root} count="{total}" type="full">\n{inner}\n</{root}>\n'


def write(tmp_path: Path, content: str | bytes, name: str = "sms-20240314210512.xml") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, "utf-8")
    else:
        path.write_bytes(content)
    return path


def collect(path: Path, options: ImportOptions | None = None) -> list[Record | ParseWarning]:
    return list(MESSAGES.parse(source_for(path), options or ImportOptions()))


def records_of(items: list[Record | ParseWarning]) -> list[Record]:
    return [item for item in items if isinstance(item, Record)]


def warnings_of(items: list[Record | ParseWarning]) -> list[str]:
    return [item.message for item in items if isinstance(item, ParseWarning)]


# Golden samples ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case", ["messages", "stylesheet", "utf16", "count_mismatch", "odd_values"]
)
def test_messages_golden(case: str) -> None:
    check_golden(MESSAGES, HERE / f"{case}.xml")


def test_calls_golden() -> None:
    check_golden(CALLS, HERE / "calls.xml")


def test_messages_sample_key_facts() -> None:
    records, warnings = run_importer(MESSAGES, HERE / "messages.xml")
    assert len(records) == 10
    first = records[0]
    assert first.text == "Why aren't you answering me?\nI know you're home."
    assert first.occurred_at == datetime(2024, 3, 9, 16, 0, 0, 123000, tzinfo=UTC)
    assert (first.timestamp_text, first.timezone_assumed) == ("1710000000123", None)
    assert (first.sender, first.sender_address) == ("Daniel", "+447700900123")
    assert first.locator.row == "sms:0" and first.locator.line_start == 4
    sent = records[1]
    assert (sent.direction, sent.sender, sent.recipients) == (
        Direction.SENT,
        None,
        ("+447700900123",),
    )
    assert dict(records[2].extra)["box"] == "draft"
    assert records[3].text == "\U0001f440 saw your car outside the gym \U0001f600\nnice coat x"
    assert records[3].sender is None
    assert records[4].text == ""
    assert records[5].text == "Don't & <won't> \"stop\" — مرحبا"
    group = records[6]
    assert group.channel == "mms" and group.external_id == "mavodi-1-89-2b-3c-1-f2-1e33c2a9"
    assert group.thread == "+447700900123~+447700900789~+447700900111"
    assert group.sender_address == "+447700900123" and group.sender is None
    assert group.recipients == ("+447700900789", "+447700900111", "+447700900999")
    assert [a.filename for a in group.attachments] == ["IMG_20240310_194001.png"]
    png = group.attachments[0].data
    assert png is not None and hashlib.sha256(png).hexdigest() == PNG_SHA256
    assert dict(group.extra)["date_sent_utc"] == "2024-03-10T19:46:38+00:00"
    assert records[7].recipients == ("+447700900123",) and records[7].attachments == ()
    video, vcard = records[8].attachments
    assert video.data is None and video.missing == "not included in the backup"
    assert vcard.data is not None and vcard.data.startswith(b"BEGIN:VCARD\nVERSION:2.1")
    assert records[9].recipients == ("group_8@rcs.google.com",)
    assert [w.message for w in warnings] == [
        "emoji and other characters beyond U+FFFF were written as pairs of UTF-16 surrogate"
        " references such as &#55357;&#56832;, which XML does not allow; each of the 1 pairs was"
        " read as the one character it stands for"
    ]


def test_calls_sample_key_facts() -> None:
    records, warnings = run_importer(CALLS, HERE / "calls.xml")
    assert [r.call_type for r in records] == [
        CallType.INCOMING,
        CallType.OUTGOING,
        CallType.MISSED,
        CallType.VOICEMAIL,
        CallType.REJECTED,
        CallType.BLOCKED,
        CallType.MISSED,
        CallType.INCOMING,
        CallType.ANSWERED_ELSEWHERE,
        CallType.UNKNOWN,
    ]
    assert all(r.kind is RecordKind.CALL and r.channel == "call" for r in records)
    assert records[0].duration_seconds == 125 and records[0].sender == "Daniel"
    assert records[1].direction is Direction.SENT and records[1].recipients == ("+447700900123",)
    withheld = records[6]
    assert withheld.sender_address is None and withheld.sender is None
    assert dict(withheld.extra)["presentation_text"] == "restricted"
    assert records[7].sender_address is None
    assert records[9].direction is Direction.UNKNOWN and records[9].duration_seconds is None
    assert [w.message for w in warnings] == ["the call duration 'abc' is not a number of seconds"]


def test_utf16_sample_reads_like_utf8() -> None:
    records, _ = run_importer(MESSAGES, HERE / "utf16.xml")
    assert records[0].text == "Je sais où tu habites 🙂\nΖ ж 中文"
    assert records[1].text == "\U0001f620 leave me alone"
    assert [r.locator.line_start for r in records] == [3, 4]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_or_without_bom_and_a_utf16_declaration(codec: str, tmp_path: Path) -> None:
    content = backup(sms("\u00e9 \U0001f600 &#10;x")).replace("UTF-8", "UTF-16")
    path = write(tmp_path, content.encode(codec))
    (record,) = records_of(collect(path))
    assert record.text == "\u00e9 \U0001f600 \nx"
    assert record.locator.line_start == 3
    assert MESSAGES.sniff(source_for(path), path.read_bytes()[:2048]) == 95


def test_invalid_utf16_is_refused(tmp_path: Path) -> None:
    content = backup(sms("ok")).encode("utf-16-le") + b"\x00\xd8" + b"<\x00"
    with pytest.raises(ImportFormatError, match="UTF-16"):
        collect(write(tmp_path, b"\xff\xfe" + content))


# Sniffing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sample", "messages", "calls"),
    [
        ("messages.xml", 95, 0),
        ("utf16.xml", 95, 0),
        ("stylesheet.xml", 95, 0),
        ("calls.xml", 0, 95),
    ],
)
def test_sniff_samples(sample: str, messages: int, calls: int) -> None:
    path = HERE / sample
    head = path.read_bytes()[:4096]
    assert MESSAGES.sniff(source_for(path), head) == messages
    assert CALLS.sniff(source_for(path), head) == calls


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"\x00\x01\x02\xff",
        b"hello, world",
        b'<?xml version="1.0"?><allsms count="1"><sms address="1" time="x" body="b"/></allsms>',
        b'<?xml version="1.0"?><alllogs count="1"><log number="1"/></alllogs>',
        b'<?xml version="1.0" encoding="UTF-7"?><smses count="1">',
        b'{"smses": []}',
    ],
)
def test_sniff_declines_other_files(head: bytes, tmp_path: Path) -> None:
    path = write(tmp_path, head)
    assert MESSAGES.sniff(source_for(path), head) == 0
    assert CALLS.sniff(source_for(path), head) == 0


def test_sniff_sees_the_root_behind_a_doctype_so_parse_can_refuse_it(tmp_path: Path) -> None:
    head = b'<?xml version="1.0"?><!DOCTYPE smses [<!ENTITY a "b">]><smses count="0"></smses>'
    assert MESSAGES.sniff(source_for(write(tmp_path, head)), head) == 85


def test_sniff_is_quick_on_a_hostile_head(tmp_path: Path) -> None:
    head = b"<!DOCTYPE smses [" + b"] " * 32_000
    started = time.perf_counter()
    assert MESSAGES.sniff(source_for(write(tmp_path, head)), head) == 0
    assert time.perf_counter() - started < 1


# Hostile and broken files -----------------------------------------------------------------------


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    content = (
        f'<?xml version="1.0"?>\n<!DOCTYPE smses [{entities}]>\n'
        + backup(sms("&a9;"))[len(DECLARATION) :]
    )
    with pytest.raises(ImportFormatError, match="declares a DTD") as caught:
        collect(write(tmp_path, content))
    assert caught.value.locator.line_start == 2


EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE smses [<!ENTITY leak SYSTEM "file:///etc/passwd">]>\n'
    '<smses count="1"><x>&leak;</x><sms address="1" date="1" type="1" body="&leak;" /></smses>\n'
)


def test_external_entity_is_refused_and_nothing_leaks(tmp_path: Path) -> None:
    items: list[Record | ParseWarning] = []
    with pytest.raises(ImportFormatError) as caught:
        items.extend(MESSAGES.parse(source_for(write(tmp_path, EXTERNAL_ENTITY)), ImportOptions()))
    assert items == []
    assert "root:" not in caught.value.describe()


def test_external_entity_is_not_expanded_even_past_the_prolog_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Second line of defence: with the byte check bypassed, lxml itself must not read the file."""
    monkeypatch.setattr(sms_backup_xml, "check_prolog", lambda head, encoding: ("smses", 1))
    items: list[Record | ParseWarning] = []
    with pytest.raises(ImportFormatError) as caught:
        items.extend(MESSAGES.parse(source_for(write(tmp_path, EXTERNAL_ENTITY)), ImportOptions()))
    shown = [caught.value.describe()] + [repr(item) for item in items]
    assert not any("root:" in text or "/bin/" in text for text in shown)


def test_a_dtd_is_refused_by_the_parsed_document_check_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sms_backup_xml, "check_prolog", lambda head, encoding: ("smses", 1))
    content = '<!DOCTYPE smses>\n<smses count="1">' + sms() + "</smses>"
    with pytest.raises(ImportFormatError, match="declares a DTD"):
        collect(write(tmp_path, content))


@pytest.mark.parametrize(
    "prolog",
    [
        "<!DOCTYPE smses>\n",
        '<!-- a comment -->\n<?pi x?>\n<!DOCTYPE smses SYSTEM "http://example.com/x.dtd">\n',
    ],
)
def test_any_doctype_is_refused(prolog: str, tmp_path: Path) -> None:
    content = DECLARATION + prolog + backup(sms())[len(DECLARATION) :]
    with pytest.raises(ImportFormatError, match="declares a DTD"):
        collect(write(tmp_path, content))


def test_truncated_file_names_the_line_after_yielding_what_came_before(tmp_path: Path) -> None:
    content = backup(sms("one"), sms("two"), sms("three"))
    cut = content[: content.index('body="three"') + 9]
    items: list[Record | ParseWarning] = []
    with pytest.raises(ImportFormatError, match="the XML is broken at line 5") as caught:
        items.extend(MESSAGES.parse(source_for(write(tmp_path, cut)), ImportOptions()))
    assert [r.text for r in records_of(items)] == ["one", "two"]
    assert caught.value.locator.line_start == 5


def test_nul_bytes_are_refused_with_line_and_column(tmp_path: Path) -> None:
    content = backup(sms("fine"), sms("bad\x00byte")).encode()
    with pytest.raises(ImportFormatError, match=r"line 4, column \d+"):
        collect(write(tmp_path, content))


def test_wrong_encoding_is_refused_with_the_line(tmp_path: Path) -> None:
    content = backup(sms("fine"), sms("caf\u00e9")).encode("latin-1")
    with pytest.raises(ImportFormatError, match="line 4"):
        collect(write(tmp_path, content))


def test_declared_single_byte_encoding_is_honoured(tmp_path: Path) -> None:
    content = backup(sms("caf\u00e9 \u20ac")).replace("UTF-8", "windows-1252")
    (record,) = records_of(collect(write(tmp_path, content.encode("cp1252"))))
    assert record.text == "caf\u00e9 \u20ac"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        ("<smses/>".encode("utf-32"), "UTF-32"),
        (b'<?xml version="1.0" encoding="UTF-7"?><smses count="0"/>', "encoding"),
        (b'<?xml version="1.0" encoding="no-such-thing"?><smses count="0"/>', "encoding"),
        (b"<!-- " + b"x" * (70 * 1024) + b" -->\n<smses/>", "64 KiB"),
        (b"hello world", "does not start like"),
        (b'<?xml version="1.0"?><allsms count="1"><sms address="1" body="b"/></allsms>', "allsms"),
        (b'<?xml version="1.0"?><calls count="0"></calls>', "<calls>"),
    ],
)
def test_files_that_cannot_be_read(content: bytes, message: str, tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match=message):
        collect(write(tmp_path, content))


def test_messages_file_given_to_the_calls_importer_is_refused() -> None:
    with pytest.raises(ImportFormatError, match="<smses>"):
        list(CALLS.parse(source_for(HERE / "messages.xml"), ImportOptions()))


def test_invalid_base64_is_a_warning_and_a_missing_attachment(tmp_path: Path) -> None:
    mms = (
        '<mms date="1710000000000" msg_box="1" address="+447700900123"><parts>'
        '<part seq="0" ct="image/jpeg" name="a.jpg" data="%%%not base64%%%" />'
        '<part seq="1" ct="image/jpeg" name="b.jpg" data="AAEC&#10;AwQF" />'
        "</parts></mms>"
    )
    items = collect(write(tmp_path, backup(mms)))
    (record,) = records_of(items)
    bad, wrapped = record.attachments
    assert (bad.data, bad.missing) == (None, "could not be read from the backup")
    assert wrapped.data == bytes(range(6))
    assert "a part's data is not valid base64, so it could not be read" in warnings_of(items)


def test_a_50_mb_body_is_cut_to_the_text_limit_with_a_warning(tmp_path: Path) -> None:
    body = "stalker " * (50 * 1024 * 1024 // 8)
    items = collect(write(tmp_path, backup(sms(body))))
    (record,) = records_of(items)
    assert len(record.text) == Limits().max_text_chars
    assert record.text == body[: Limits().max_text_chars]
    assert any("the message text is 52428800 characters long" in w for w in warnings_of(items))


def test_a_50_mb_attachment_over_the_limit_is_not_decoded(tmp_path: Path) -> None:
    data = "A" * (50 * 1024 * 1024)
    mms = (
        '<mms date="1710000000000" msg_box="1" address="+447700900123"><parts>'
        f'<part seq="0" ct="video/mp4" name="v.mp4" data="{data}" /></parts></mms>'
    )
    options = ImportOptions(limits=Limits(max_attachment_bytes=10 * 1024 * 1024))
    items = collect(write(tmp_path, backup(mms)), options)
    (record,) = records_of(items)
    assert record.attachments[0].missing == "too large to import"
    assert record.attachments[0].data is None
    assert any("over the attachment size limit" in w for w in warnings_of(items))


def test_attachments_over_the_per_message_budget_are_left_out(tmp_path: Path) -> None:
    part = '<part seq="0" ct="image/png" name="p{n}.png" data="{data}" />'
    data = base64.b64encode(b"x" * 900).decode()
    parts = "".join(part.format(n=n, data=data) for n in range(6))
    mms = f'<mms date="1" msg_box="1" address="1"><parts>{parts}</parts></mms>'
    options = ImportOptions(limits=Limits(max_attachment_bytes=1000))
    items = collect(write(tmp_path, backup(mms)), options)
    (record,) = records_of(items)
    assert [a.data is not None for a in record.attachments] == [True] * 4 + [False] * 2
    assert sum("over the size limit" in w for w in warnings_of(items)) == 2


def test_deeply_nested_elements_are_refused(tmp_path: Path) -> None:
    depth = 100_000
    content = backup("<a>" * depth + "</a>" * depth)
    with pytest.raises(ImportFormatError, match="depth"):
        collect(write(tmp_path, content))


def test_an_element_holding_too_many_elements_is_refused(tmp_path: Path) -> None:
    parts = '<part seq="0" ct="text/plain" text="x" />' * (sms_backup_xml.MAX_NESTED_ELEMENTS + 1)
    mms = f'<mms date="1" msg_box="1" address="1"><parts>{parts}</parts></mms>'
    with pytest.raises(ImportFormatError, match="more than 10000 elements"):
        collect(write(tmp_path, backup(mms)))


def test_forbidden_references_split_across_reads_are_still_repaired(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "a&#55357;&#56832;b&#xD83D;&#xDE00;c&#0001;d&#x1F600;"
    path = write(tmp_path, backup(sms(body), sms("&#10;" * 30 + "&#55357;&#56832;")))
    for chunk in (1, 2, 3, 5, 7, 11, 16, 17, 64):
        monkeypatch.setattr(sms_backup_xml, "READ_CHUNK", chunk)
        records = records_of(collect(path))
        assert [r.text for r in records] == [
            "a\U0001f600b\U0001f600c\ufffdd\U0001f600",
            "\n" * 30 + "\U0001f600",
        ], chunk


def test_repairs_name_the_byte_offset_of_the_reference(tmp_path: Path) -> None:
    content = backup(sms("x&#1;y"))
    items = collect(write(tmp_path, content))
    (warning,) = [item for item in items if isinstance(item, ParseWarning)]
    assert warning.locator.byte_start == content.encode().index(b"&#1;")


def test_unknown_box_uses_me_to_decide_direction(tmp_path: Path) -> None:
    records, _ = run_importer(MESSAGES, HERE / "odd_values.xml", ImportOptions(me=("07700900777",)))
    assert records[2].direction is Direction.SENT
    records, _ = run_importer(MESSAGES, HERE / "odd_values.xml", ImportOptions(me=("me@example",)))
    assert records[2].direction is Direction.RECEIVED


@pytest.mark.parametrize(
    ("count", "message"),
    [
        (None, "does not say how many messages"),
        ("lots", "is not a number"),
        ("5", "says it holds 5 messages but it holds 1"),
    ],
)
def test_count_problems_are_warnings(count: str | None, message: str, tmp_path: Path) -> None:
    content = backup(sms())
    content = content.replace(' count="1"', "" if count is None else f' count="{count}"')
    items = collect(write(tmp_path, content))
    assert len(records_of(items)) == 1
    assert any(message in w for w in warnings_of(items))


def test_calls_count_mismatch(tmp_path: Path) -> None:
    call = '<call number="+447700900123" duration="1" date="1710000000000" type="1" />'
    path = write(tmp_path, backup(call, count=2, root="calls"), "calls-1.xml")
    items = list(CALLS.parse(source_for(path), ImportOptions()))
    assert warnings_of(items) == [
        "the file says it holds 2 calls but it holds 1 (<call> elements); the backup may be"
        " incomplete or edited"
    ]


# Round trip -------------------------------------------------------------------------------------

XML_CHARACTERS = st.characters(
    blacklist_categories=["Cs"],
    blacklist_characters=[chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)]
    + ["\ufffe", "\uffff"],
)
BOX_DIRECTIONS = {
    "1": Direction.RECEIVED,
    "2": Direction.SENT,
    "3": Direction.SENT,
    "4": Direction.SENT,
    "5": Direction.SENT,
    "6": Direction.SENT,
}


def escape_attribute(text: str, style: int) -> str:
    """XML-escape `text` for a double-quoted attribute, writing non-ASCII in one of 3 styles:
    raw UTF-8, decimal references, or (beyond the BMP) Android's surrogate-pair references."""
    out: list[str] = []
    for char in text:
        code = ord(char)
        if char in '&<>"' or char in "\t\n\r":
            out.append(
                {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}.get(char, f"&#{code};")
            )
        elif code < 0x80 or style == 0:
            out.append(char)
        elif style == 2 and code > 0xFFFF:
            high, low = 0xD800 + ((code - 0x10000) >> 10), 0xDC00 + ((code - 0x10000) & 0x3FF)
            out.append(f"&#{high};&#{low};")
        else:
            out.append(f"&#{code};")
    return "".join(out)


sms_entries = st.fixed_dictionaries(
    {
        "address": st.one_of(
            st.from_regex(r"\+4477009\d{5}", fullmatch=True),
            st.from_regex(r"07\d{3} ?\d{6}", fullmatch=True),
            st.text(XML_CHARACTERS, min_size=1, max_size=20).filter(
                lambda a: a.strip() and "~" not in a and a != "null"
            ),
        ),
        "body": st.text(XML_CHARACTERS, max_size=200),
        "date": st.integers(0, 253_402_300_799_999),
        "type": st.sampled_from(sorted(BOX_DIRECTIONS)),
        "contact": st.one_of(st.just("(Unknown)"), st.text(XML_CHARACTERS, max_size=20)),
        "style": st.integers(0, 2),
    }
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries=st.lists(sms_entries, max_size=12))
def test_round_trip(entries: list[dict[str, object]], tmp_path: Path) -> None:
    elements = [
        sms(
            escape_attribute(str(e["body"]), int(str(e["style"]))),
            date=str(e["date"]),
            kind=str(e["type"]),
            address=escape_attribute(str(e["address"]), int(str(e["style"]))),
            contact_name=escape_attribute(str(e["contact"]), int(str(e["style"]))),
        )
        for e in entries
    ]
    items = collect(write(tmp_path, backup(*elements)))
    records = records_of(items)
    assert not [w for w in warnings_of(items) if "surrogate" not in w]
    assert len(records) == len(entries)
    for index, (entry, record) in enumerate(zip(entries, records, strict=True)):
        address, contact = str(entry["address"]), str(entry["contact"])
        assert record.text == entry["body"]
        assert record.timestamp_text == str(entry["date"])
        assert record.occurred_at == EPOCH + timedelta(milliseconds=int(str(entry["date"])))
        assert record.direction is BOX_DIRECTIONS[str(entry["type"])]
        assert record.locator.row == f"sms:{index}"
        assert record.locator.line_start == index + 3
        assert record.thread == normalise_address(address)
        if record.direction is Direction.RECEIVED:
            assert record.sender_address == normalise_address(address)
            named = contact.strip() not in ("", "null", "(Unknown)")
            assert record.sender == (contact if named else None)
        else:
            assert (record.sender, record.recipients) == (None, (normalise_address(address),))
        assert dict(record.extra).get("contact_name") == (None if contact == "null" else contact)
        assert dict(record.extra)["address"] == address


def test_a_chunk_boundary_never_splits_a_surrogate_pair() -> None:
    """Found by the round-trip property: the carry once walked back two references and could
    stop between the halves of an escaped emoji."""
    from safetrail.importers.sms_backup_xml import _CARRY_WINDOW, _safe_split

    pair = b"&#55296;&#56320;"
    for pad in range(len(pair) * 3):
        buffer = b"x" * (pad + 100) + pair * 3 + b'"/>' + b"y" * (_CARRY_WINDOW - len(pair) * 2)
        cut = _safe_split(buffer)
        before, after = buffer[:cut], buffer[cut:]
        assert not before.endswith(b"&#55296;") or after[:8] != b"&#56320;", pad
