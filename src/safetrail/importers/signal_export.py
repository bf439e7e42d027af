"""Signal Desktop chats as written by the community tool `signal-export` (chat.md, index.html).

signal-export writes each chat as Markdown, one message per block:

    [2024-03-30 21:04:05] Alex: the body, which may run over many lines··

(older versions: `[2019-05-29, 15:04]`). `Me` is the person who exported. A reply starts with an
empty line and `> ` quoted lines; then the body, to which the tool appends two spaces (a Markdown
line break). After the body come an optional reactions line `(- Name: 👍, Name: ❤️ -)`, a sticker
`(( label ))` and attachment links `![name](./media/file)··`. A deleted message reads
`(This message was deleted)`. Times are the exporting computer's wall clock, with no zone.

Format marks stripped from the text (and kept in `extra` where they carry meaning): the two
trailing spaces, the quote block, the reactions line, the sticker and the attachment links. The
tool itself removes backticks from bodies; they cannot be recovered. A message whose own text
contains a line exactly like a message header after a blank line cannot be told apart from a new
message: that is a limit of the Markdown, and the HTML is the cross-check.

The HTML (index.html; chat.html in older versions) is parsed with the standard library's
html.parser: nothing is fetched and nothing runs. Its text is a rendering of the Markdown, so it
is read as shown (whitespace from the page layout dropped); scripts and links in it are data.
Attachments are only named: the export's media files are never opened from here.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from typing import BinaryIO, ClassVar
from urllib.parse import unquote

from safetrail.importers.base import ImportFormatError, ImportOptions, Limits, ParseItem, Source
from safetrail.importers.csv_log import is_me
from safetrail.importers.localtime import localise
from safetrail.models.record import (
    Attachment,
    CallType,
    Direction,
    Locator,
    ParseWarning,
    Record,
    RecordKind,
)

CHANNEL = "signal"
OWN_NAME = "Me"
REFERENCED = "referenced file, add it separately"
DELETED_MARK = "(This message was deleted)"
BODY_END = "  "
NUL_SKIPPED = "skipped: the message holds NUL bytes, so it is not text"

HEADER = re.compile(
    r"\[(?P<date>\d{4}-\d{2}-\d{2}),? (?P<time>\d{2}:\d{2}(?::\d{2})?)\] "
    r"(?P<sender>.+?): ?(?P<rest>.*)"
)
STAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2}),? (\d{2}):(\d{2})(?::(\d{2}))?")
ATTACHMENT = re.compile(r"(!?)\[([^\]\n]*)\]\((\./media/\S*?|\.\./exported_stickers/\S*?)\)  ")
ATTACHMENT_TAIL = re.compile(
    r"(?:!?\[[^\]\n]*\]\((?:\./media/\S*?|\.\./exported_stickers/\S*?)\)  )+\Z"
)
REACTIONS = re.compile(r"\(- (?P<list>.*) -\)")
STICKER = re.compile(r"\(\( (?P<label>.*) \)\)")
QUOTE_LINE = re.compile(r"> ?(?P<text>.*)")


def _media_type(name: str) -> str:
    guessed, _ = mimetypes.guess_type(name, strict=False)
    return guessed or "application/octet-stream"


def _direction(sender: str | None, own: bool, me: tuple[str, ...]) -> Direction:
    if own or (sender is not None and me and is_me(sender, me)):
        return Direction.SENT
    if sender is None:
        return Direction.UNKNOWN
    return Direction.RECEIVED


def _read_time(text: str, options: ImportOptions) -> tuple[datetime, str | None]:
    """`YYYY-MM-DD[,] HH:MM[:SS]` as wall-clock time in options.timezone."""
    match = STAMP.fullmatch(text.strip())
    if match is None:
        raise ValueError("not a signal-export date and time")
    year, month, day, hour, minute, second = (int(part) for part in match.groups(default="0"))
    return localise(datetime(year, month, day, hour, minute, second), options.timezone)


def _thread_name(source: Source) -> str | None:
    """signal-export names each chat's folder after the chat."""
    if source.path.name.lower() in {"chat.md", "index.html", "chat.html"}:
        return source.path.parent.name or None
    return None


@dataclass(slots=True)
class Block:
    """One Markdown message: its header and the lines after it, with where they are."""

    header: re.Match[str]
    lines: list[str]
    line_start: int
    line_end: int
    byte_start: int
    byte_end: int


@dataclass(slots=True)
class BodyParts:
    text: str
    quote: str | None = None
    reactions: str | None = None
    sticker: str | None = None
    attachments: list[tuple[str, str]] = field(default_factory=list)
    deleted: bool = False


def split_body(lines: list[str]) -> BodyParts:
    """Separate the body from the marks signal-export adds around it (see the module doc)."""
    if lines == [DELETED_MARK]:
        return BodyParts(text="", deleted=True)
    work = list(lines)
    quote = _take_quote(work)
    attachments: list[tuple[str, str]] = []
    sticker = reactions = None
    if work:
        tail = ATTACHMENT_TAIL.search(work[-1])
        if tail is not None:
            attachments = [(m[2], m[3]) for m in ATTACHMENT.finditer(work[-1], tail.start())]
            work[-1] = work[-1][: tail.start()]
    if len(work) > 1 and (match := STICKER.fullmatch(work[-1])):
        sticker = match["label"]
        work.pop()
    if len(work) > 1 and (match := REACTIONS.fullmatch(work[-1])):
        reactions = match["list"]
        work.pop()
    text = "\n".join(work)
    text = text.removesuffix(BODY_END)
    return BodyParts(text, quote, reactions, sticker, attachments)


def _take_quote(work: list[str]) -> str | None:
    """A reply: an empty first line, an empty line, `> ` lines, an empty line, then the body."""
    if len(work) < 3 or work[0] != "" or work[1] != "" or not work[2].startswith(">"):
        return None
    end = 2
    while end < len(work) and work[end].startswith(">"):
        end += 1
    quoted = [QUOTE_LINE.fullmatch(line) for line in work[2:end]]
    del work[: min(end + 1, len(work))]
    return "\n".join(m["text"] if m else "" for m in quoted)


def markdown_blocks(stream: BinaryIO, limits: Limits) -> Iterator[Block | ParseWarning]:
    """Message blocks: a header line at the start, after a blank line, or after a body end."""
    offset = 0
    block: Block | None = None
    previous = ""
    for line_no, raw in enumerate(iter(lambda: stream.readline(limits.max_line_bytes + 1), b""), 1):
        if len(raw) > limits.max_line_bytes:
            raise ImportFormatError(
                f"a line is longer than {limits.max_line_bytes} bytes",
                Locator(line_start=line_no, byte_start=offset),
            )
        line = _decode_line(raw, line_no, offset).rstrip("\r\n")
        start, offset = offset, offset + len(raw)
        content_end = offset - (len(raw) - len(raw.rstrip(b"\r\n")))
        header = HEADER.fullmatch(line) if _may_start(previous, block) else None
        previous = line
        if header is not None:
            if block is not None:
                yield block
            block = Block(header, [header["rest"]], line_no, line_no, start, content_end)
        elif block is None:
            if line.strip():
                yield ParseWarning("skipped: text before the first message", _line(line_no, start))
        else:
            block.lines.append(line)
            if line.strip():
                block.line_end, block.byte_end = line_no, content_end
    if block is not None:
        yield block


def _may_start(previous: str, block: Block | None) -> bool:
    if block is None or not previous.strip():
        return True
    return (
        previous.endswith((BODY_END, ": " + DELETED_MARK))
        or REACTIONS.fullmatch(previous) is not None
        or STICKER.fullmatch(previous) is not None
    )


def _line(line_no: int, offset: int) -> Locator:
    return Locator(line_start=line_no, line_end=line_no, byte_start=offset)


def _decode_line(raw: bytes, line_no: int, offset: int) -> str:
    try:
        return raw.decode("utf-8-sig" if offset == 0 else "utf-8")
    except UnicodeDecodeError as exc:
        bad = offset + exc.start
        raise ImportFormatError(
            f"the file is not UTF-8: byte {bad} is not valid UTF-8",
            Locator(line_start=line_no, byte_start=bad),
        ) from exc


def _trim_trailing_blank(lines: list[str]) -> list[str]:
    end = len(lines)
    while end > 1 and not lines[end - 1].strip():
        end -= 1
    return lines[:end]


class SignalExportImporter:
    name: ClassVar[str] = "signal_export"
    version: ClassVar[str] = "1"
    label: ClassVar[str] = "Signal Desktop chat exported by signal-export (chat.md or HTML)"

    def sniff(self, source: Source, head: bytes) -> int:
        suffix = source.display_name.lower().rsplit(".", 1)[-1]
        text = head[:8192].decode("utf-8", errors="replace")
        if suffix == "md":
            first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
            return 85 if HEADER.fullmatch(first) else 0
        if suffix in {"html", "htm"} and _looks_like_signal_html(text):
            return 75
        return 0

    def parse(self, source: Source, options: ImportOptions) -> Iterator[ParseItem]:
        suffix = source.path.suffix.lower()
        if suffix in {".html", ".htm"}:
            yield from self._parse_html(source, options)
            return
        with source.path.open("rb") as stream:
            found = False
            for item in markdown_blocks(stream, options.limits):
                if isinstance(item, ParseWarning):
                    yield item
                    continue
                found = True
                yield from self._markdown_record(item, source, options)
        if not found:
            raise ImportFormatError(
                "no signal-export messages found: lines should start like "
                "'[2024-03-30 21:04:05] Name: '"
            )

    def _markdown_record(
        self, block: Block, source: Source, options: ImportOptions
    ) -> Iterator[ParseItem]:
        header = block.header
        locator = Locator(
            line_start=block.line_start,
            line_end=block.line_end,
            byte_start=block.byte_start,
            byte_end=block.byte_end,
        )
        stamp = f"{header['date']} {header['time']}"
        try:
            occurred_at, ambiguity = _read_time(header["date"] + " " + header["time"], options)
        except ValueError as exc:
            yield ParseWarning(f"skipped: the time {stamp!r} cannot be read ({exc})", locator)
            return
        if any("\x00" in line for line in block.lines):
            yield ParseWarning(NUL_SKIPPED, locator)
            return
        raw_stamp = header.group(0)[1 : header.end("time")]
        parts = split_body(_trim_trailing_blank(block.lines))
        sender = header["sender"]
        yield Record(
            kind=RecordKind.MESSAGE,
            channel=CHANNEL,
            locator=locator,
            timestamp_text=raw_stamp,
            occurred_at=occurred_at,
            timezone_assumed=options.timezone,
            ambiguity=ambiguity,
            sender=sender,
            direction=_direction(sender, sender == OWN_NAME, options.me),
            thread=_thread_name(source),
            text=parts.text,
            attachments=tuple(
                Attachment(filename=name, media_type=_media_type(name), missing=REFERENCED)
                for name, _path in parts.attachments
            ),
            extra=_extra_of(parts),
        )

    def _parse_html(self, source: Source, options: ImportOptions) -> Iterator[ParseItem]:
        limit = options.limits.max_json_bytes
        if source.size > limit:
            raise ImportFormatError(f"this HTML file is larger than {limit} bytes")
        data = source.path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ImportFormatError(
                f"the file is not UTF-8: byte {exc.start} is not valid UTF-8",
                Locator(byte_start=exc.start),
            ) from exc
        reader = SignalHtmlReader(text)
        reader.feed(text)
        reader.close()
        if reader.cut_off_at is not None:
            yield ParseWarning(
                "the file ends inside a message (it may be truncated); the part found is kept",
                Locator(line_start=reader.cut_off_at),
            )
        if not reader.messages:
            raise ImportFormatError("no signal-export messages found in this HTML file")
        thread = _thread_name(source) or reader.title
        previous: HtmlMessage | None = None
        for message in reader.messages:
            yield from self._html_record(message, previous, thread, options)
            previous = message

    def _html_record(
        self,
        message: HtmlMessage,
        previous: HtmlMessage | None,
        thread: str | None,
        options: ImportOptions,
    ) -> Iterator[ParseItem]:
        locator = Locator(
            line_start=message.line_start,
            line_end=message.line_end,
            byte_start=message.byte_start,
            byte_end=message.byte_end,
        )
        if "\x00" in "".join(message.loose) + "".join(
            "".join(parts) for parts in message.fields.values()
        ):
            yield ParseWarning(NUL_SKIPPED, locator)
            return
        sender = message.sender
        if sender is None and previous is not None and "cont" in message.classes:
            sender = previous.sender
        occurred_at, zone, ambiguity = None, None, None
        stamp = message.stamp()
        if stamp:
            try:
                occurred_at, ambiguity = _read_time(stamp, options)
                zone = options.timezone
            except ValueError as exc:
                yield ParseWarning(f"the time {stamp!r} cannot be read ({exc})", locator)
        else:
            ambiguity = (
                "the HTML shows no time for this message (signal-export groups it under the "
                "previous one from the same sender, sent within five minutes); see chat.md"
            )
        own = "me" in message.classes or sender == OWN_NAME
        call = "call" in message.classes and "event" in message.classes
        body = message.text("body") if not call else message.event_text()
        yield Record(
            kind=RecordKind.CALL if call else RecordKind.MESSAGE,
            channel=CHANNEL,
            locator=locator,
            timestamp_text=stamp,
            occurred_at=occurred_at,
            timezone_assumed=zone,
            ambiguity=ambiguity,
            sender=sender,
            direction=_call_direction(body) if call else _direction(sender, own, options.me),
            thread=thread,
            text="" if "deleted" in message.classes else body,
            call_type=_call_type(body) if call else None,
            attachments=tuple(
                Attachment(filename=name, media_type=_media_type(name), missing=REFERENCED)
                for name in message.attachments
            ),
            extra=_html_extra(message),
        )


def _call_type(text: str) -> CallType:
    lowered = text.casefold()
    if lowered.startswith("missed"):
        return CallType.MISSED
    if "declined" in lowered:
        return CallType.REJECTED
    if lowered.startswith("incoming"):
        return CallType.INCOMING
    if lowered.startswith("outgoing"):
        return CallType.OUTGOING
    return CallType.UNKNOWN


def _call_direction(text: str) -> Direction:
    lowered = text.casefold()
    if lowered.startswith("outgoing"):
        return Direction.SENT
    if lowered.startswith(("incoming", "missed")):
        return Direction.RECEIVED
    return Direction.UNKNOWN


def _extra_of(parts: BodyParts) -> tuple[tuple[str, str], ...]:
    extra: list[tuple[str, str]] = []
    if parts.quote is not None:
        extra.append(("quote", parts.quote))
    if parts.reactions is not None:
        extra.append(("reactions", parts.reactions))
    if parts.sticker is not None:
        extra.append(("sticker", parts.sticker))
    if parts.attachments:
        extra.append(("attachment_paths", "\n".join(unquote(p) for _, p in parts.attachments)))
    if parts.deleted:
        extra.append(("deleted", "true"))
    return tuple(extra)


def _html_extra(message: HtmlMessage) -> tuple[tuple[str, str], ...]:
    extra: list[tuple[str, str]] = []
    quote = message.text("quote")
    if quote:
        extra.append(("quote", quote))
    reactions = message.text("reaction") or message.text("reactions")
    if reactions:
        extra.append(("reactions", reactions))
    if message.paths:
        extra.append(("attachment_paths", "\n".join(unquote(p) for p in message.paths)))
    if "deleted" in message.classes:
        extra.append(("deleted", "true"))
    return tuple(extra)


def _looks_like_signal_html(text: str) -> bool:
    lowered = text.lower()
    has_message = "class='msg" in lowered or 'class="msg' in lowered
    has_sender = "class=sender" in lowered or 'class="sender"' in lowered
    return has_message and has_sender


# --- HTML -----------------------------------------------------------------------------------

FIELD_CLASSES = ("date", "time", "sender", "quote", "body", "reaction", "reactions")
BLOCK_TAGS = frozenset({"p", "br", "div", "li", "blockquote", "pre", "tr"})
VOID_TAGS = frozenset(
    {"br", "img", "input", "source", "hr", "meta", "link", "wbr", "area", "col", "embed"}
)
INERT_TAGS = frozenset({"script", "style"})
MEDIA_PREFIXES = ("./media/", "media/")
LEADING_ICON = re.compile(r"^[^\w(]+")


@dataclass(slots=True)
class HtmlMessage:
    classes: frozenset[str]
    line_start: int
    byte_start: int
    line_end: int = 0
    byte_end: int = 0
    sender: str | None = None
    datetime_attr: str | None = None
    fields: dict[str, list[str]] = field(default_factory=dict)
    attachments: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    loose: list[str] = field(default_factory=list)

    def text(self, name: str) -> str:
        return "".join(self.fields.get(name, [])).strip()

    def event_text(self) -> str:
        """The words of a call event, without its icon and time (which have their own fields)."""
        return LEADING_ICON.sub("", " ".join(" ".join(self.loose).split()))

    def stamp(self) -> str:
        date, time = self.text("date"), self.text("time")
        if date and time:
            return f"{date} {time}"
        if self.datetime_attr:
            return self.datetime_attr.replace("T", " ")[:19]
        return ""


class SignalHtmlReader(HTMLParser):
    """Collects signal-export message divs (`div.msg`, `div.event`) and their fields.

    Only text and a few attributes are read; nothing is fetched and scripts are kept as text.
    """

    def __init__(self, document: str) -> None:
        super().__init__(convert_charrefs=True)
        self._line_offsets = _line_byte_offsets(document)
        self._lines = document.split("\n")
        self.messages: list[HtmlMessage] = []
        self.title: str | None = None
        self._current: HtmlMessage | None = None
        self._depth = 0
        self._field_stack: list[tuple[int, str]] = []
        self._in_title = False
        self._inert: str | None = None
        self._pending_break = False
        self.cut_off_at: int | None = None

    def close(self) -> None:
        super().close()
        if self._current is not None:
            self.cut_off_at = self._current.line_start
            self._finish()

    def _byte_at(self) -> int:
        line, column = self.getpos()
        prefix = self._lines[line - 1][:column] if line - 1 < len(self._lines) else ""
        return self._line_offsets[line - 1] + len(prefix.encode("utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        classes = frozenset(attributes.get("class", "").split())
        if tag == "title" and self._current is None:
            self._in_title = True
        if self._current is None:
            if tag == "div" and classes & {"msg", "event"}:
                line, _ = self.getpos()
                self._current = HtmlMessage(classes, line, self._byte_at())
                self._depth = 1
            return
        self._inside_start(tag, attributes, classes)

    def _inside_start(self, tag: str, attributes: dict[str, str], classes: frozenset[str]) -> None:
        message = self._current
        assert message is not None
        if tag in INERT_TAGS:
            self._inert = tag
            self._append(self.get_starttag_text() or f"<{tag}>")
        if tag not in VOID_TAGS:
            self._depth += 1
        named = next((name for name in FIELD_CLASSES if name in classes), None)
        if named is None and tag == "time":
            named = "clock"
        if named is not None:
            self._field_stack.append((self._depth, named))
        if tag in BLOCK_TAGS:
            self._pending_break = True
        if "datetime" in attributes and message.datetime_attr is None:
            message.datetime_attr = attributes["datetime"]
        self._attachment(tag, attributes)

    def _attachment(self, tag: str, attributes: dict[str, str]) -> None:
        message = self._current
        assert message is not None
        link = attributes.get("src") if tag in {"img", "source"} else None
        if tag == "a" and attributes.get("href", "").startswith(MEDIA_PREFIXES):
            link = attributes["href"]
        if not link or not link.startswith(MEDIA_PREFIXES) or link in message.paths:
            return
        message.paths.append(link)
        message.attachments.append(unquote(link.rsplit("/", 1)[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if self._current is None or tag in VOID_TAGS:
            return
        if self._inert == tag:
            self._append(f"</{tag}>", raw=True)
            self._inert = None
        if tag in BLOCK_TAGS:
            self._pending_break = True
        while self._field_stack and self._field_stack[-1][0] >= self._depth:
            self._field_stack.pop()
        self._depth -= 1
        if self._depth == 0:
            self._finish()

    def _finish(self) -> None:
        message = self._current
        assert message is not None
        line, column = self.getpos()
        message.line_end = line
        end_tag_length = len(self._lines[line - 1][column:].split(">", 1)[0].encode("utf-8")) + 1
        message.byte_end = min(self._byte_at() + end_tag_length, self._line_offsets[-1] - 1)
        message.sender = message.text("sender") or None
        self.messages.append(message)
        self._current = None
        self._field_stack = []

    def handle_data(self, data: str) -> None:
        if self._in_title and self._current is None:
            self.title = (self.title or "") + data.strip()
            return
        if self._current is None:
            return
        if self._inert is not None:
            self._append(data.strip(), raw=True)
            return
        chunk = data.strip()
        if chunk:
            self._append(chunk)

    def _append(self, chunk: str, raw: bool = False) -> None:
        message = self._current
        assert message is not None
        if not self._field_stack:
            message.loose.append(chunk)
            return
        name = self._field_stack[-1][1]
        parts = message.fields.setdefault(name, [])
        if parts and not raw:
            parts.append("\n" if self._pending_break else " ")
        parts.append(chunk)
        self._pending_break = False


def _line_byte_offsets(document: str) -> list[int]:
    offsets = [0]
    total = 0
    for line in document.split("\n"):
        total += len(line.encode("utf-8")) + 1
        offsets.append(total)
    return offsets
