"""The WhatsApp chat parser shared by the .txt and .zip importers.

The file is read twice, streaming: a first pass collects every header date (to settle the
day/month order over the whole file) and the authors' names; the second pass yields the records.
Times are local wall-clock time read in `options.timezone`. Message lines are joined with "\\n"
(the file's CRLF or LF line breaks are format, not text). Marks stripped: see whatsapp_header
(headers) and whatsapp_body (markers).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from safetrail.importers.base import ImportFormatError, ImportOptions, Limits, ParseItem
from safetrail.importers.whatsapp_body import AuthorSplitter, Body, Call, MediaRef, read_body
from safetrail.importers.whatsapp_header import (
    HEAD_LINES,
    HeaderShape,
    LocalClock,
    decide_date_order,
    detect_shape,
)
from safetrail.importers.whatsapp_lines import raw_lines
from safetrail.models.identifiers import try_normalise_phone
from safetrail.models.record import (
    Attachment,
    CallType,
    Direction,
    Locator,
    ParseWarning,
    Record,
    RecordKind,
)

CHANNEL = "whatsapp"
OMITTED = "not included in the export"
Opener = Callable[[], AbstractContextManager[IO[bytes]]]

PROFILE_NAME = "the sender's own profile name (marked '~': not a saved contact)"
_PROFILE_NAME_SPACES = (" ", "\u202f", "\u00a0")
_PHONE_LIKE = re.compile(r"\+?[\d\u202a\u202c\u00a0 ()-]{7,24}")


class MediaSource:
    """Media named by messages. A plain text export has none of the files."""

    def fetch(self, ref: MediaRef, where: Locator) -> tuple[Attachment, ParseWarning | None]:
        if ref.omitted:
            return Attachment(ref.filename, ref.media_type, missing=OMITTED), None
        return self.named(ref, where)

    def named(self, ref: MediaRef, where: Locator) -> tuple[Attachment, ParseWarning | None]:
        return (
            Attachment(
                ref.filename,
                ref.media_type,
                missing="the export is the chat text alone; the file is in the zip export",
            ),
            None,
        )


class _People:
    """Per-author sender address and direction, worked out once per name."""

    def __init__(self, me: tuple[str, ...]) -> None:
        self._names = {name.strip().casefold() for name in me}
        self._phones = {p for p in (try_normalise_phone(name) for name in me) if p}
        self._known: dict[str, tuple[str | None, Direction]] = {}

    def about(self, author: str) -> tuple[str | None, Direction]:
        known = self._known.get(author)
        if known is None:
            known = self._known[author] = self._work_out(author)
        return known

    def _work_out(self, author: str) -> tuple[str | None, Direction]:
        address = try_normalise_phone(author) if _PHONE_LIKE.fullmatch(author) else None
        if not self._names and not self._phones:
            return address, Direction.UNKNOWN
        mine = author.strip().casefold() in self._names or (
            address is not None and address in self._phones
        )
        return address, Direction.SENT if mine else Direction.RECEIVED


@dataclass(slots=True)
class _Pending:
    """A message whose lines are still being read."""

    line_start: int
    byte_start: int
    line_end: int
    byte_end: int
    timestamp_text: str
    occurred_at: datetime
    note: str | None
    rest: str
    chars: int
    more: list[str] | None = None
    cut: bool = False


@dataclass(slots=True)
class Chat:
    """Everything about one chat text that stays fixed during the parse."""

    opener: Opener
    member: str | None
    thread: str | None
    media: MediaSource
    options: ImportOptions


def _decoded_head(chat: Chat) -> Generator[str, None, None]:
    with chat.opener() as stream:
        for _, _, content in raw_lines(stream, chat.options.limits.max_line_bytes, chat.member):
            yield content.decode("utf-8", "replace")


def _learn_shape(chat: Chat) -> HeaderShape:
    head = _decoded_head(chat)
    try:
        shape = detect_shape(head)
    finally:
        head.close()
    if shape is None:
        raise ImportFormatError(
            f"no WhatsApp message header was found in the first {HEAD_LINES} lines; this does "
            "not look like a WhatsApp chat export",
            Locator(member=chat.member),
        )
    return shape


def _first_pass(chat: Chat, header: re.Pattern[str]) -> tuple[dict[str, int], AuthorSplitter]:
    """Every header's date text (with its first line) and the authors' names."""
    dates: dict[str, int] = {}
    authors = AuthorSplitter()
    match = header.match
    with chat.opener() as stream:
        for number, _, content in raw_lines(
            stream, chat.options.limits.max_line_bytes, chat.member
        ):
            text = content.decode("utf-8", "replace")
            found = match(text)
            if found is not None:
                date_text = found.group("date")
                if date_text not in dates:
                    dates[date_text] = number
                authors.observe(text[found.end() :])
    authors.settle()
    return dates, authors


class _SecondPass:
    """Reads the chat again and turns its lines into records."""

    def __init__(self, chat: Chat, shape: HeaderShape, authors: AuthorSplitter) -> None:
        self.chat = chat
        self.shape = shape
        self.header = shape.compile()
        self.authors = authors
        self.people = _People(chat.options.me)
        self.limits: Limits = chat.options.limits
        self.order_note: str | None = None
        self.clock: LocalClock
        self.bad_run = 0

    def run(self, order: str, order_note: str | None) -> Iterator[ParseItem]:
        self.clock = LocalClock(self.chat.options.timezone, order)
        self.order_note = order_note
        orphans: list[int] = []
        last = yield from self._read(orphans)
        if last is not None:
            yield from self._finish(last)
        if orphans:
            yield self._orphans(orphans)

    def _read(self, orphans: list[int]) -> Generator[ParseItem, None, _Pending | None]:
        """Yield every finished message; return the last one, still open at the end."""
        pending: _Pending | None = None
        match = self.header.match
        with self.chat.opener() as stream:
            for number, start, content in raw_lines(
                stream, self.limits.max_line_bytes, self.chat.member
            ):
                try:
                    text = content.decode("utf-8")
                    self.bad_run = 0
                except UnicodeDecodeError as exc:
                    text = content.decode("utf-8", "replace")
                    yield self._bad_bytes(number, start, exc.start)
                if "\x00" in text:
                    text = text.replace("\x00", "\ufffd")
                    yield self._warning(
                        f"line {number} holds NUL bytes; each was replaced with \ufffd",
                        number,
                        start,
                    )
                found = match(text)
                if found is not None:
                    opened = self._open(found, text, number, start, len(content))
                    if opened is not None:
                        if pending is not None:
                            yield from self._finish(pending)
                        elif orphans:
                            yield self._orphans(orphans)
                        pending = opened
                        continue
                    yield self._not_a_header(number, start)
                if pending is None:
                    orphans.append(number)
                else:
                    self._extend(pending, number, start + len(content), text)
        return pending

    def _extend(self, pending: _Pending, number: int, end: int, text: str) -> None:
        """Add a continuation line, keeping at most max_text_chars of the message in memory."""
        pending.line_end = number
        pending.byte_end = end
        if pending.chars <= self.limits.max_text_chars:
            if pending.more is None:
                pending.more = [text]
            else:
                pending.more.append(text)
            pending.chars += len(text) + 1
        else:
            pending.cut = True

    def _not_a_header(self, number: int, start: int) -> ParseWarning:
        return self._warning(
            f"line {number} looks like a message header but its date or time is not real; it "
            "was kept as part of the message before it",
            number,
            start,
        )

    def _open(
        self, found: re.Match[str], text: str, number: int, start: int, length: int
    ) -> _Pending | None:
        reading = self.clock.read(*found.group(1, 2))
        if reading is None:
            return None
        occurred, dst_note = reading
        end = found.end()
        return _Pending(
            number,
            start,
            number,
            start + length,
            text[found.start(1) : found.end(2)],
            occurred,
            dst_note,
            text[end:],
            len(text) - end,
        )

    def _finish(self, pending: _Pending) -> list[ParseItem]:
        """The message's record, preceded by any warnings about it."""
        locator = Locator(
            pending.line_start,
            pending.line_end,
            pending.byte_start,
            pending.byte_end,
            None,
            self.chat.member,
        )
        author, first = self.authors.split(pending.rest)
        text = "\n".join([first, *pending.more]) if pending.more else first
        items: list[ParseItem] = []
        if pending.cut or len(text) > self.limits.max_text_chars:
            text = text[: self.limits.max_text_chars]
            items.append(
                ParseWarning(
                    f"the message is longer than {self.limits.max_text_chars} characters; only "
                    "its beginning was kept",
                    locator,
                )
            )
        body = read_body(author, text, self.shape.bracketed)
        attachments: tuple[Attachment, ...] = ()
        if body.media:
            attachments = self._attachments(body, locator, items)
        items.append(self._record(pending, locator, author, body, attachments))
        return items

    def _attachments(
        self, body: Body, locator: Locator, items: list[ParseItem]
    ) -> tuple[Attachment, ...]:
        attachments: list[Attachment] = []
        for ref in body.media:
            attachment, warning = self.chat.media.fetch(ref, locator)
            attachments.append(attachment)
            if warning is not None:
                items.append(warning)
        return tuple(attachments)

    def _record(
        self,
        pending: _Pending,
        locator: Locator,
        author: str | None,
        body: Body,
        attachments: tuple[Attachment, ...],
    ) -> Record:
        extra: tuple[tuple[str, str], ...] = ()
        if body.deleted:
            extra = (("deleted", "true"),)
        elif body.shown_as is not None:
            extra = (("shown_as", body.shown_as),)
        if body.edited:
            extra = (*extra, ("edited", "true"))
        if body.system or author is None:
            kind, sender, address, direction = RecordKind.SYSTEM, None, None, Direction.UNKNOWN
        else:
            kind, sender = RecordKind.MESSAGE, author
            if author[:1] == "~" and author[1:2] in _PROFILE_NAME_SPACES and len(author) > 2:
                sender = author[2:]
                extra = (*extra, ("name_source", PROFILE_NAME))
            address, direction = self.people.about(sender)
        call_type, seconds = None, None
        if body.call is not None and kind is RecordKind.MESSAGE:
            kind = RecordKind.CALL
            call_type, seconds = _call_type(body.call, direction), body.call.seconds
            extra = (*extra, ("call_media", "video" if body.call.video else "voice"))
            if body.call.no_answer:
                extra = (*extra, ("call_answered", "no"))
        ambiguity = self.order_note
        if pending.note is not None:
            ambiguity = f"{ambiguity}; {pending.note}" if ambiguity else pending.note
        return Record(
            kind=kind,
            channel=CHANNEL,
            locator=locator,
            timestamp_text=pending.timestamp_text,
            occurred_at=pending.occurred_at,
            timezone_assumed=self.chat.options.timezone,
            ambiguity=ambiguity,
            sender=sender,
            sender_address=address,
            direction=direction,
            thread=self.chat.thread,
            text=body.text,
            call_type=call_type,
            duration_seconds=seconds,
            attachments=attachments,
            extra=extra,
        )

    def _bad_bytes(self, number: int, start: int, at: int) -> ParseWarning:
        self.bad_run += 1
        if self.bad_run > self.limits.max_consecutive_bad_lines:
            raise ImportFormatError(
                f"more than {self.limits.max_consecutive_bad_lines} lines in a row are not "
                "UTF-8 text; this does not look like a WhatsApp chat export",
                Locator(line_start=number, byte_start=start, member=self.chat.member),
            )
        return ParseWarning(
            f"line {number} is not valid UTF-8 (first bad byte at offset {start + at}); the "
            "unreadable bytes were kept as \ufffd",
            Locator(line_start=number, byte_start=start + at, member=self.chat.member),
        )

    def _warning(self, message: str, number: int, start: int) -> ParseWarning:
        return ParseWarning(
            message, Locator(line_start=number, byte_start=start, member=self.chat.member)
        )

    def _orphans(self, numbers: list[int]) -> ParseWarning:
        first, last = numbers[0], numbers[-1]
        warning = ParseWarning(
            f"{len(numbers)} line(s) before the first message belong to no message and were "
            "skipped",
            Locator(line_start=first, line_end=last, member=self.chat.member),
        )
        numbers.clear()
        return warning


def _call_type(call: Call, direction: Direction) -> CallType:
    """The line's author is the caller."""
    if direction is Direction.SENT:
        return CallType.OUTGOING
    if call.missed or call.no_answer:
        return CallType.MISSED
    return CallType.INCOMING if direction is Direction.RECEIVED else CallType.UNKNOWN


def parse_chat(chat: Chat) -> Iterator[ParseItem]:
    shape = _learn_shape(chat)
    header = shape.compile()
    dates, authors = _first_pass(chat, header)
    decision = decide_date_order(dates, chat.options.date_order, chat.member)
    del dates
    yield from _SecondPass(chat, shape, authors).run(decision.order, decision.ambiguity)
