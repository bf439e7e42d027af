"""Email importers: single messages (`.eml`) and mailboxes (mbox, including Gmail Takeout).

Each message becomes one EMAIL record. Its text is the text/plain body; when a message has no
text/plain part, the text is taken out of its text/html part by `html.parser` (nothing is rendered
or fetched, scripts and styles are skipped). Every other part (files, inline images, forwarded
messages) becomes an Attachment, bounded by `limits.max_attachment_bytes`; an HTML alternative
of a text/plain body is not kept a second time (the original file, kept whole, still has it).

Format-level marks that are stripped, because they belong to the mailbox and not to the message:
the mbox "From " separator line (kept in extra "mbox_from"), the blank line that ends each mbox
entry, and one leading ">" from body lines matching `>+From ` (mboxrd quoting; an mboxo writer
that quoted only "From " lines reads the same way). Header folding is undone. Message text is
otherwise kept exactly as decoded from its transfer encoding and charset.

The MIME structure is read by the stdlib email parser with its compat32 policy, cut so that no
header value is longer than MAX_HEADER_CHARS. Not policy.default: its header objects parse every
Content-Type again on each look-up (eight times slower on ordinary mail) and take minutes on a
hostile megabyte-long address list. Header values (RFC 2047 encoded words, raw UTF-8, address
lists) are decoded here by small bounded functions instead.
"""

from __future__ import annotations

import binascii
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.message import Message
from email.parser import BytesHeaderParser, BytesParser, HeaderParser
from email.policy import Compat32
from email.utils import getaddresses, parsedate_tz
from html.parser import HTMLParser
from typing import BinaryIO, ClassVar

from safetrail.importers.base import ImportFormatError, ImportOptions, ParseItem, Source
from safetrail.importers.localtime import localise
from safetrail.models.record import (
    Attachment,
    Direction,
    Locator,
    ParseWarning,
    Record,
    RecordKind,
)

MAX_HEADER_CHARS = 16_384
MAX_FIELD_CHARS = 1_000
MAX_PARTS = 1_000
MAX_DEPTH = 64
MAX_WARNINGS_PER_MESSAGE = 50
CHANNEL = "email"
TNEF_TYPES = frozenset({"application/ms-tnef", "application/vnd.ms-tnef"})

HEADER_LINE_RE = re.compile(rb"[!-9;-~]{1,76}:")
KNOWN_HEADER_RE = re.compile(
    rb"^(?:from|to|cc|subject|date|message-id|received|return-path|mime-version|"
    rb"delivered-to|reply-to|in-reply-to|references|content-type|x-[!-9;-~]*):",
    re.IGNORECASE | re.MULTILINE,
)
ENVELOPE_RE = re.compile(rb"From \S+ +[A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} \d{1,2}:\d\d")
QUOTED_FROM_RE = re.compile(rb">+From ")
UNFOLD_RE = re.compile(r"\r?\n(?=[ \t])")
ENCODED_WORD_RE = re.compile(r"=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=")
SPACE_BETWEEN_WORDS_RE = re.compile(r"(\?=)[ \t\r\n]+(?==\?[^?\s]+\?[QqBb]\?)")
MESSAGE_ID_RE = re.compile(r"<[^<>\s]+>")
TRAILING_COMMENT_RE = re.compile(r"(?:\s*\([^()]*\))+\s*$")
TIME_RE = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
NUMERIC_ZONE_RE = re.compile(r"[+-]\d{4}")
NAMED_ZONES = frozenset(
    {"UT", "UTC", "GMT", "Z", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT"}
)
QP_HEX_RE = re.compile(rb"=([0-9A-Fa-f]{2})")


class _BoundedPolicy(Compat32):
    """The compat32 policy, cutting every header value at MAX_HEADER_CHARS and noting which."""

    truncated: list[str] | None = None

    def __init__(self, *, truncated: list[str]) -> None:
        super().__init__()
        object.__setattr__(self, "truncated", truncated)

    def header_source_parse(self, sourcelines: list[str]) -> tuple[str, str]:
        name, value = super().header_source_parse(sourcelines)
        if len(value) > MAX_HEADER_CHARS:
            if self.truncated is not None:
                self.truncated.append(name[:MAX_FIELD_CHARS])
            value = value[:MAX_HEADER_CHARS]
        return name, value


class _HtmlText(HTMLParser):
    """Text out of HTML: data only, scripts and styles skipped, block ends as line breaks."""

    BREAKS: ClassVar[frozenset[str]] = frozenset(
        {"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr"}
    )
    SKIPPED: ClassVar[frozenset[str]] = frozenset({"script", "style", "head", "title"})
    SPACES: ClassVar[re.Pattern[str]] = re.compile(r"[ \t\r\n\f]+")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BREAKS:
            self.pieces.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BREAKS and tag != "br":
            self.pieces.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.pieces.append(self.SPACES.sub(" ", data))

    def text(self) -> str:
        lines = (line.strip() for line in "".join(self.pieces).split("\n"))
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    return parser.text()


def _fix_eight_bit(value: str) -> tuple[str, bool]:
    """Header text holding raw 8-bit bytes (kept as surrogates by the parser) read as UTF-8."""
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value, True
    raw = value.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8"), True
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace"), False


CHARSET_STAND_INS = {
    "iso-8859-1": ("cp1252", "latin-1"),
    "iso8859-1": ("cp1252", "latin-1"),
    "latin1": ("cp1252", "latin-1"),
    "latin-1": ("cp1252", "latin-1"),
    "us-ascii": ("ascii", "utf-8", "cp1252"),
    "ascii": ("ascii", "utf-8", "cp1252"),
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "x-gbk": ("gb18030",),
    "iso-8859-8-i": ("iso-8859-8",),
    "windows-874": ("cp874",),
    "x-mac-roman": ("mac_roman",),
    "unknown-8bit": ("utf-8", "cp1252"),
    "x-unknown": ("utf-8", "cp1252"),
    "unknown": ("utf-8", "cp1252"),
    "x-user-defined": ("utf-8", "cp1252"),
}
"""Labels mail programs write that Python does not know, or that real mail uses for a wider
set: text labelled Latin-1 or ASCII is very often Windows-1252 (or UTF-8), and GB2312 is read as
its superset GB18030, as mail readers do."""


def _stand_ins(charset: str) -> tuple[str, ...]:
    label = charset.strip().lower()
    return CHARSET_STAND_INS.get(label, (label,))


def decode_text(data: bytes, charset: str, errors: str = "strict") -> str:
    """Bytes in a declared charset, trying the stand-ins real mail needs; raises LookupError
    for a charset nobody knows and UnicodeDecodeError when no reading fits."""
    tries = _stand_ins(charset)
    for name in tries[:-1]:
        try:
            return data.decode(name)
        except UnicodeDecodeError:
            continue
    return data.decode(tries[-1], errors)


def _word_bytes(encoding: str, payload: str) -> bytes | None:
    try:
        if encoding in "Bb":
            return binascii.a2b_base64(payload + "=" * (-len(payload) % 4))
        raw = payload.replace("_", " ").encode("ascii", "replace")
        return QP_HEX_RE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
    except (binascii.Error, ValueError):
        return None


def _decode_run(charset: str, data: bytes) -> tuple[str, bool]:
    try:
        return decode_text(data, charset), True
    except (LookupError, UnicodeDecodeError):
        return data.decode("utf-8", "replace"), False


def decode_words(value: str) -> tuple[str, bool]:
    """Decode RFC 2047 encoded words; False when a charset or encoding was not understood.

    Adjacent words in one charset are joined as bytes before decoding: mail programs split long
    subjects in the middle of a multi-byte character."""
    text, clean = _fix_eight_bit(value)
    if "=?" not in text:
        return text, clean
    text = SPACE_BETWEEN_WORDS_RE.sub(r"\1", text)
    out: list[str] = []
    position = 0
    run_charset, run = "", bytearray()
    for match in ENCODED_WORD_RE.finditer(text):
        charset = match.group(1).partition("*")[0]
        data = _word_bytes(match.group(2), match.group(3))
        joins = match.start() == position and charset.lower() == run_charset.lower()
        if run and (not joins or data is None):
            decoded, ok = _decode_run(run_charset, bytes(run))
            out.append(decoded)
            clean = clean and ok
            run.clear()
        out.append(text[position : match.start()])
        if data is None:
            out.append(f"=?{charset}?{match.group(2)}?{match.group(3)}?=")
            clean = False
            run_charset = ""
        else:
            run_charset = charset
            run += data
        position = match.end()
    if run:
        decoded, ok = _decode_run(run_charset, bytes(run))
        out.append(decoded)
        clean = clean and ok
    out.append(text[position:])
    return "".join(out), clean


@dataclass(slots=True)
class MessageState:
    """What is being built for one message: its locator, warnings and extras."""

    locator: Locator
    options: ImportOptions
    warnings: list[ParseWarning] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)
    dropped_warnings: int = 0

    def warn(self, message: str) -> None:
        if len(self.warnings) < MAX_WARNINGS_PER_MESSAGE:
            self.warnings.append(ParseWarning(message, self.locator))
        else:
            self.dropped_warnings += 1

    def bounded(self, text: str, what: str) -> str:
        if len(text) <= MAX_FIELD_CHARS:
            return text
        self.warn(f"{what} is {len(text)} characters long; only the first {MAX_FIELD_CHARS} kept")
        return text[:MAX_FIELD_CHARS]

    def add_extra(self, key: str, value: str | None) -> None:
        if value:
            self.extra.append((key, self.bounded(value, key)))

    def all_warnings(self) -> list[ParseWarning]:
        if not self.dropped_warnings:
            return self.warnings
        more = ParseWarning(
            f"{self.dropped_warnings} more problems in this message were not listed", self.locator
        )
        return [*self.warnings, more]


class HeaderValues:
    """The top-level headers as found (unfolded), looked up by lower-case name."""

    def __init__(self, message: Message) -> None:
        self.values: dict[str, list[str]] = {}
        for name, value in message.raw_items():
            self.values.setdefault(name.lower(), []).append(UNFOLD_RE.sub("", str(value)))

    def first(self, name: str) -> str | None:
        found = self.values.get(name)
        return found[0].strip() if found else None

    def all(self, name: str) -> list[str]:
        return self.values.get(name, [])


def _zone_token(raw: str) -> str | None:
    """The zone at the end of a Date header (comments skipped), or None when there is none."""
    words = TRAILING_COMMENT_RE.sub("", raw).split()
    if not words or TIME_RE.fullmatch(words[-1]):
        return None
    return words[-1].upper()


def parse_date_header(
    raw: str, state: MessageState
) -> tuple[datetime | None, str | None, str | None]:
    """(occurred_at, timezone_assumed, ambiguity) for a Date header."""
    try:
        parsed = parsedate_tz(raw)
    except (ValueError, IndexError, TypeError, OverflowError):
        parsed = None
    if parsed is None:
        state.warn(f"the Date header {raw[:80]!r} could not be read as a date")
        return None, None, None
    try:
        naive = datetime(*parsed[:6])
    except (ValueError, OverflowError, TypeError):
        state.warn(f"the Date header {raw[:80]!r} is not a real date")
        return None, None, None
    zone = _zone_token(raw)
    if zone is None:
        local, ambiguity = localise(naive, state.options.timezone)
        return local, state.options.timezone, ambiguity
    if not (NUMERIC_ZONE_RE.fullmatch(zone) or zone in NAMED_ZONES):
        state.warn(f"the Date header's time zone {zone[:20]!r} is not known; read as UTC")
    try:
        offset = timezone(timedelta(seconds=parsed[9] or 0))
    except ValueError:
        state.warn(f"the Date header {raw[:80]!r} has an impossible time zone offset; read as UTC")
        offset = UTC
    return naive.replace(tzinfo=offset), None, None


ENVELOPE_TIME_RE = re.compile(
    r"\S+ +[A-Z][a-z]{2} (?P<mon>[A-Z][a-z]{2}) +(?P<d>\d{1,2}) (?P<H>\d{1,2}):(?P<M>\d\d)"
    r"(?::(?P<S>\d\d))?(?: (?P<zone>[+-]\d{4}))? (?P<y>\d{4})\s*"
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ENVELOPE_NOTE = (
    "the message has no Date header; its time was taken from the mailbox's separator line, "
    "which says when the mail system stored it"
)


def _envelope_time(state: MessageState) -> tuple[datetime | None, str | None, str | None]:
    """A time for a mailbox entry without a Date header (Gmail keeps chats and some drafts so),
    from its "From " line; (None, None, None) and a warning when there is none to read."""
    envelope = next((value for key, value in state.extra if key == "mbox_from"), "")
    match = ENVELOPE_TIME_RE.fullmatch(envelope)
    if match is None or match["mon"] not in MONTHS:
        state.warn("the message has no Date header, so its time is unknown")
        return None, None, None
    try:
        naive = datetime(
            int(match["y"]),
            MONTHS.index(match["mon"]) + 1,
            int(match["d"]),
            int(match["H"]),
            int(match["M"]),
            int(match["S"] or 0),
        )
    except ValueError:
        state.warn("the message has no Date header, so its time is unknown")
        return None, None, None
    zone = match["zone"]
    if zone is not None:
        minutes = int(zone[1:3]) * 60 + int(zone[3:])
        offset = timedelta(minutes=-minutes if zone[0] == "-" else minutes)
        return naive.replace(tzinfo=timezone(offset)), None, ENVELOPE_NOTE
    local, ambiguity = localise(naive, state.options.timezone)
    note = f"{ENVELOPE_NOTE}; {ambiguity}" if ambiguity else ENVELOPE_NOTE
    return local, state.options.timezone, note


def read_addresses(raw_values: list[str], state: MessageState, what: str) -> list[tuple[str, str]]:
    """(display name, lower-cased address) pairs out of address headers."""
    found: list[tuple[str, str]] = []
    for raw in raw_values:
        fixed, clean = _fix_eight_bit(raw)
        pairs = [(name, addr) for name, addr in getaddresses([fixed]) if name or addr]
        if not pairs and fixed.strip():
            state.warn(f"the {what} header {fixed[:80]!r} holds no address that could be read")
        for name, addr in pairs:
            display, ok = decode_words(name)
            clean = clean and ok
            found.append((display, addr.lower()))
        if not clean:
            state.warn(f"the {what} header has text in an unknown or broken character set")
    return found


def direction_for(
    sender_address: str | None, labels: list[str], options: ImportOptions
) -> Direction:
    if "Sent" in labels:
        return Direction.SENT
    mine = {m.strip().lower() for m in options.me}
    if sender_address and sender_address in mine:
        return Direction.SENT
    if mine:
        return Direction.RECEIVED
    return Direction.UNKNOWN


def thread_of(headers: HeaderValues) -> str | None:
    gmail = headers.first("x-gm-thrid")
    if gmail:
        return gmail
    for name in ("references", "in-reply-to", "message-id"):
        match = MESSAGE_ID_RE.search(headers.first(name) or "")
        if match:
            return match.group(0)
    return None


def _gmail_labels(raw: str | None, state: MessageState) -> list[str]:
    if not raw:
        return []
    decoded, _ = decode_words(raw)
    state.add_extra("gmail_labels", decoded)
    try:
        row = next(csv.reader([decoded]), [])
    except csv.Error:
        row = decoded.split(",")
    return [label.strip() for label in row]


def _subject(raw: str | None, state: MessageState) -> str | None:
    if raw is None:
        return None
    text, clean = decode_words(raw)
    if not clean:
        state.warn("the Subject has text in an unknown or broken character set")
    return text


def _leaf_parts(message: Message, state: MessageState) -> list[Message]:
    """Non-multipart parts in order, bounded in number and depth; forwarded mail kept whole."""
    leaves: list[Message] = []
    stack: list[tuple[Message, int]] = [(message, 0)]
    too_deep = 0
    while stack:
        part, depth = stack.pop()
        if len(leaves) >= MAX_PARTS:
            state.warn(f"the message has more than {MAX_PARTS} parts; the rest were not read")
            break
        if not part.is_multipart() or part.get_content_maintype() == "message":
            leaves.append(part)
            continue
        if depth >= MAX_DEPTH:
            too_deep += 1
            continue
        children = part.get_payload()
        if isinstance(children, list):
            stack.extend(
                (child, depth + 1) for child in reversed(children) if isinstance(child, Message)
            )
    if too_deep:
        state.warn(f"parts nested more than {MAX_DEPTH} levels deep were not read ({too_deep})")
    return leaves


def _is_body(part: Message) -> bool:
    return (
        part.get_content_type() in ("text/plain", "text/html")
        and part.get_content_disposition() != "attachment"
        and not part.get_param("name")
        and not part.get_param("filename", header="content-disposition")
    )


def _part_text(part: Message, state: MessageState) -> str:
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    charset = part.get_content_charset() or "utf-8"
    try:
        return decode_text(data, charset)
    except LookupError:
        state.warn(f"unknown character set {charset[:80]!r}; the text was read as UTF-8")
        return data.decode("utf-8", "replace")
    except UnicodeDecodeError:
        state.warn(f"the text is not valid {charset[:80]}; unreadable bytes shown as \ufffd")
        return decode_text(data, charset, "replace")


def _join_texts(texts: list[str]) -> str:
    joined = ""
    for text in texts:
        if joined and not joined.endswith("\n"):
            joined += "\n"
        joined += text
    return joined


def _html_part_text(part: Message, state: MessageState) -> str:
    """Text out of an HTML part, reading no more HTML than could give the allowed text."""
    html = _part_text(part, state)
    most = state.options.limits.max_text_chars * 4
    if len(html) > most:
        state.warn(f"the HTML body is {len(html)} characters long; only {most} were read")
        html = html[:most]
    return html_to_text(html)


def _body_text(bodies: list[Message], state: MessageState) -> str:
    plain = [p for p in bodies if p.get_content_type() == "text/plain"]
    if plain:
        text = _join_texts([_part_text(p, state) for p in plain])
    else:
        text = _join_texts([_html_part_text(p, state) for p in bodies])
        if bodies:
            state.add_extra("text_source", "html")
    limit = state.options.limits.max_text_chars
    if len(text) > limit:
        state.warn(f"the message text is {len(text)} characters long; only {limit} were kept")
        text = text[:limit]
    if "\x00" in text:
        state.warn("the message text contains NUL characters (kept as found)")
    return text


def _attachment_bytes(part: Message, state: MessageState) -> tuple[bytes | None, str | None]:
    limit = state.options.limits.max_attachment_bytes
    if part.get_content_maintype() == "message":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            data = inner[0].as_bytes()
        else:
            return None, "the attached message could not be read"
    else:
        encoded = part.get_payload()
        if isinstance(encoded, str) and len(encoded) * 3 // 4 > limit:
            return None, f"larger than the {limit} byte limit for attachments"
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
    if len(data) > limit:
        return None, f"larger than the {limit} byte limit for attachments"
    return data, None


def _attachment(part: Message, number: int, state: MessageState) -> Attachment:
    try:
        raw_name = part.get_filename()
    except Exception:  # a malformed Content-Disposition must not stop the message
        raw_name = None
    name = decode_words(raw_name)[0] if raw_name else None
    filename = state.bounded(name, "an attachment's file name") if name else f"unnamed-{number}"
    media_type = part.get_content_type()
    try:
        data, missing = _attachment_bytes(part, state)
    except Exception as exc:  # the stdlib can fail on hostile encodings; keep the rest
        data, missing = None, f"could not be decoded ({type(exc).__name__})"
    if missing:
        state.warn(f"attachment {filename[:80]!r} was not kept: {missing}")
    elif media_type in TNEF_TYPES or filename.lower() == "winmail.dat":
        state.warn(
            f"attachment {filename[:80]!r} is Outlook's packed format (winmail.dat); it was kept "
            "whole, but the files and text inside it were not unpacked"
        )
    return Attachment(filename=filename, media_type=media_type, data=data, missing=missing)


def _note_defects(parts: list[Message], state: MessageState) -> None:
    for part in parts:
        for defect in part.defects:
            detail = str(defect)
            name = type(defect).__name__
            state.warn(f"email structure problem: {name}" + (f": {detail}" if detail else ""))


def _parse_message(raw: bytes, state: MessageState) -> Message:
    truncated: list[str] = []
    policy = _BoundedPolicy(truncated=truncated)
    try:
        message: Message = BytesParser(policy=policy).parsebytes(raw)
    except RecursionError:
        state.warn("the message's parts are nested too deeply to read; only its headers were read")
        message = BytesHeaderParser(policy=policy).parsebytes(raw)
        message.set_payload("")
    _warn_truncated(truncated, state)
    return message


def _warn_truncated(names: list[str], state: MessageState) -> None:
    for name in names:
        state.warn(f"the {name!r} header is longer than {MAX_HEADER_CHARS} characters; cut there")


def headers_from_text(text: str, state: MessageState) -> HeaderValues:
    """Headers given as text (as Outlook keeps them), read with the same bounds as a message."""
    truncated: list[str] = []
    message = HeaderParser(policy=_BoundedPolicy(truncated=truncated)).parsestr(text)
    _warn_truncated(truncated, state)
    return HeaderValues(message)


def build_record(raw: bytes, state: MessageState) -> Iterator[ParseItem]:
    """One EMAIL record (after its warnings) from a message's raw bytes."""
    message = _parse_message(raw, state)
    headers = HeaderValues(message)
    if not headers.values:
        state.warn("no email headers were found in this message")
    leaves = _leaf_parts(message, state)
    bodies = [p for p in leaves if _is_body(p)]
    text = _body_text(bodies, state)
    attachments = tuple(
        _attachment(part, n, state)
        for n, part in enumerate((p for p in leaves if p not in bodies), start=1)
    )
    _note_defects([message, *leaves], state)
    senders = read_addresses(headers.all("from"), state, "From")
    sender_name, sender_address = senders[0] if senders else (None, None)
    recipients = read_addresses(headers.all("to") + headers.all("cc"), state, "To/Cc")
    date_text = headers.first("date")
    occurred_at = assumed = ambiguity = None
    if date_text is None:
        occurred_at, assumed, ambiguity = _envelope_time(state)
    else:
        occurred_at, assumed, ambiguity = parse_date_header(date_text, state)
    labels = _gmail_labels(headers.first("x-gmail-labels"), state)
    state.add_extra("gmail_thread_id", headers.first("x-gm-thrid"))
    state.add_extra("in_reply_to", headers.first("in-reply-to"))
    received = headers.all("received")
    state.add_extra("received_count", str(len(received)))
    state.add_extra("received_first", received[0].strip() if received else None)
    state.add_extra("authentication_results", headers.first("authentication-results"))
    message_id = headers.first("message-id")
    title = _subject(headers.first("subject"), state)
    external_id = state.bounded(message_id, "the Message-ID") if message_id else None
    yield from state.all_warnings()
    yield Record(
        kind=RecordKind.EMAIL,
        channel=CHANNEL,
        locator=state.locator,
        timestamp_text=_fix_eight_bit(date_text or "")[0],
        occurred_at=occurred_at,
        timezone_assumed=assumed,
        ambiguity=ambiguity,
        sender=sender_name or sender_address,
        sender_address=sender_address,
        recipients=tuple(address for _, address in recipients if address),
        direction=direction_for(sender_address, labels, state.options),
        thread=thread_of(headers),
        text=text,
        title=title,
        external_id=external_id,
        attachments=attachments,
        extra=tuple(state.extra),
    )


def _message_cap(options: ImportOptions) -> int:
    """The most bytes of one message that are parsed: room for one base64 attachment and text."""
    limits = options.limits
    return limits.max_attachment_bytes * 4 // 3 + limits.max_text_chars * 4 + (1 << 20)


def _too_big_warning(size: int, cap: int, locator: Locator) -> ParseWarning:
    return ParseWarning(
        f"the message is {size} bytes long; only its first {cap} bytes were read", locator
    )


def _looks_like_headers(head: bytes) -> bool:
    first_line = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    return bool(HEADER_LINE_RE.match(first_line))


def _count_lines(handle: BinaryIO, first: bytes) -> tuple[int, int]:
    """(line count, byte count) of a file whose first bytes are already read."""
    lines = first.count(b"\n")
    size = len(first)
    last = first[-1:]
    while chunk := handle.read(1 << 20):
        lines += chunk.count(b"\n")
        size += len(chunk)
        last = chunk[-1:]
    if size and last != b"\n":
        lines += 1
    return lines, size


class EmlImporter:
    """One email saved as a file (`.eml`): RFC 5322 with MIME."""

    name: ClassVar[str] = "eml"
    version: ClassVar[str] = "2"
    label: ClassVar[str] = "Email message (.eml)"

    def sniff(self, source: Source, head: bytes) -> int:
        try:
            named = source.display_name.lower().endswith(".eml")
            if head.startswith(b"From ") or not _looks_like_headers(head):
                return 0
            known = len(KNOWN_HEADER_RE.findall(head[:8192]))
        except Exception:
            return 0
        if known >= 2:
            return 95 if named else 80
        return 60 if named else 0

    def parse(self, source: Source, options: ImportOptions) -> Iterator[ParseItem]:
        cap = _message_cap(options)
        try:
            with source.path.open("rb") as handle:
                raw = handle.read(cap)
                line_count, size = _count_lines(handle, raw)
        except OSError as exc:
            raise ImportFormatError(f"the email file could not be read: {exc}") from exc
        locator = Locator(line_start=1, line_end=line_count, byte_start=0, byte_end=size)
        state = MessageState(locator=locator, options=options)
        if raw.startswith(b"From "):
            envelope, _, raw = raw.partition(b"\n")
            state.add_extra("mbox_from", envelope[5:].rstrip(b"\r").decode("utf-8", "replace"))
        if not _looks_like_headers(raw):
            raise ImportFormatError(
                "this does not look like an email: it does not start with a header line",
                Locator(line_start=1, byte_start=0),
            )
        if size > cap:
            yield _too_big_warning(size, cap, locator)
        yield from build_record(raw, state)


@dataclass(slots=True)
class _Entry:
    """One mbox entry being read: from its "From " line to the line before the next one."""

    number: int
    envelope: bytes
    line_start: int
    byte_start: int
    chunks: list[bytes] = field(default_factory=list)
    size: int = 0
    unquoted: int = 0
    overflow: int = 0


class MboxImporter:
    """A mailbox file: mboxo/mboxrd, as in Gmail Takeout and Thunderbird."""

    name: ClassVar[str] = "mbox"
    version: ClassVar[str] = "2"
    label: ClassVar[str] = "Mailbox (mbox, Gmail Takeout)"

    def sniff(self, source: Source, head: bytes) -> int:
        try:
            named = source.display_name.lower().endswith((".mbox", ".mbx"))
            if not head.startswith(b"From "):
                return 0
            lines = head.split(b"\n", 3)
            header_like = len(lines) > 1 and bool(HEADER_LINE_RE.match(lines[1]))
        except Exception:
            return 0
        if header_like:
            return 95 if named else 90
        return 50 if named else 0

    def parse(self, source: Source, options: ImportOptions) -> Iterator[ParseItem]:
        try:
            handle = source.path.open("rb")
        except OSError as exc:
            raise ImportFormatError(f"the mailbox could not be read: {exc}") from exc
        with handle:
            yield from self._read(handle, options)

    def _read(self, handle: BinaryIO, options: ImportOptions) -> Iterator[ParseItem]:
        cap = _message_cap(options)
        entry: _Entry | None = None
        count = line_number = offset = 0
        previous_blank = at_line_start = True
        in_envelope = False
        stray_start: int | None = None
        while piece := handle.readline(options.limits.max_line_bytes):
            if at_line_start:
                line_number += 1
                in_envelope = piece.startswith(b"From ") and bool(
                    previous_blank or ENVELOPE_RE.match(piece)
                )
                if in_envelope:
                    if entry is not None:
                        yield from _finish(entry, line_number - 1, offset, cap, options)
                    elif stray_start is not None:
                        yield _stray_warning(stray_start, line_number - 1, offset)
                    count += 1
                    entry = _Entry(count, piece, line_number, offset)
                elif entry is not None:
                    _append(entry, piece, cap, line_start=True)
                elif stray_start is None and piece.strip():
                    stray_start = line_number
                previous_blank = piece in (b"\n", b"\r\n")
            elif entry is not None and not in_envelope:
                _append(entry, piece, cap, line_start=False)
            offset += len(piece)
            at_line_start = piece.endswith(b"\n")
        if entry is None:
            raise ImportFormatError(
                "this is not a mailbox: no line starting with 'From ' separates messages",
                Locator(line_start=1, byte_start=0),
            )
        yield from _finish(entry, line_number, offset, cap, options)


def _append(entry: _Entry, piece: bytes, cap: int, *, line_start: bool) -> None:
    """Add a line (or the next piece of a very long one) to the entry, undoing >From quoting."""
    if line_start and piece.startswith(b">") and QUOTED_FROM_RE.match(piece):
        piece = piece[1:]
        entry.unquoted += 1
    if entry.size + len(piece) > cap:
        entry.overflow += len(piece)
        return
    entry.chunks.append(piece)
    entry.size += len(piece)


def _stray_warning(line_start: int, line_end: int, byte_end: int) -> ParseWarning:
    return ParseWarning(
        "text before the first message is not an email and was skipped",
        Locator(line_start=line_start, line_end=line_end, byte_end=byte_end),
    )


def _finish(
    entry: _Entry, line_end: int, byte_end: int, cap: int, options: ImportOptions
) -> Iterator[ParseItem]:
    locator = Locator(
        line_start=entry.line_start,
        line_end=line_end,
        byte_start=entry.byte_start,
        byte_end=byte_end,
        row=str(entry.number),
    )
    raw = b"".join(entry.chunks)
    if raw.endswith(b"\r\n\r\n"):
        raw = raw[:-2]
    elif raw.endswith(b"\n\n"):
        raw = raw[:-1]
    if entry.overflow:
        yield _too_big_warning(entry.size + entry.overflow, cap, locator)
    state = MessageState(locator=locator, options=options)
    envelope = entry.envelope[5:].rstrip(b"\r\n").decode("utf-8", "replace")
    state.add_extra("mbox_from", envelope)
    if entry.unquoted:
        state.add_extra("mbox_unquoted_from_lines", str(entry.unquoted))
    if not raw.strip():
        yield ParseWarning("this mailbox entry is empty", locator)
        return
    yield from build_record(raw, state)
