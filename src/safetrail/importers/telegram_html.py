"""Telegram Desktop "Export chat history" in HTML (the default format): `messages*.html` pages.

Accepts one page (`messages.html`, `messages2.html`, ...) or a zip of the export folder; in a zip
every chat folder's pages are read in page order and media the messages name are taken from it.

How it compares with the JSON export (telegram.py):
- The same channel, kinds and fields: messages; CALL records for calls (tdesktop puts the kind in
  the status: "Outgoing (5 seconds)", "Cancelled", "Missed", "Declined" as REJECTED, "Incoming")
  and for voice chats; SYSTEM records for other service lines. The thread is the chat name from
  the page header.
- `external_id` is the message id alone. The JSON importer prefixes the chat id
  ("<chat id>:<message id>"), but an HTML page never shows the chat id, so the two exports of the
  same chat cannot be matched by id; they are separate exhibits. Two HTML exports of the same
  chat (same name) do deduplicate.
- Time: newer pages give `dd.mm.yyyy hh:mm:ss UTC+hh:mm`; older ones leave out the offset, and
  the time is then the exporting computer's wall clock, read in `options.timezone` and marked
  ambiguous. Service lines carry no time at all, only the day line above them.
- The sender is the `from_name`; a "joined" message (same sender, shortly after) has none and
  takes the previous message's. There are no user ids in HTML, so "me" is known only from
  `options.me` names, and from calls the page calls outgoing.
- Text is extracted as text only (`<br>` is a line break). Link targets that differ from the shown
  text go to extra["text_links"]; forwarded-from, reply-to, via-bot and signatures go to `extra`.
  The HTML export does not mark edited messages (the JSON one does); a date line that says
  "edited" is noted as extra["edited"].
"""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from safetrail.importers.base import ImportFormatError, ImportOptions, ParseItem, Source
from safetrail.importers.media_types import MEDIA_TYPES_BY_EXTENSION, OCTET_STREAM
from safetrail.importers.safezip import open_checked_zip, read_member
from safetrail.importers.telegram_html_time import read_title
from safetrail.importers.telegram_html_tree import Element, PageReader
from safetrail.models.record import (
    Attachment,
    CallType,
    Direction,
    Locator,
    ParseWarning,
    Record,
    RecordKind,
)

CHANNEL = "telegram"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
PAGE_NAME = re.compile(r"\Amessages(\d*)\.html\Z")
_HEAD_HINTS = (b'class="page_header"', b'class="history"', b'class="message default')
_DURATION_PART = re.compile(r"(\d+)\s*(h|hours?|m|min|mins|minutes?|s|sec|secs|seconds?)\b")
_CLOCK_DURATION = re.compile(r"\b(?:(\d+):)?(\d{1,2}):(\d{2})\b")
_UNIT_SECONDS = {"h": 3600, "m": 60, "s": 1}
_REPLY_TARGET = re.compile(r"#go_to_message(\d+)\Z")
"""Replies link to '#go_to_message122', or 'messages2.html#go_to_message122' on another page."""
_VOICE_CHAT = re.compile(r"(?:\bstarted voice chat|\AVoice chat)(?: \((\d+) seconds\))?\Z")
"""Group calls are service lines in HTML; the JSON importer reads them as calls too."""
_CALL_STATUSES = {
    "outgoing": CallType.OUTGOING,
    "cancelled": CallType.OUTGOING,
    "missed": CallType.MISSED,
    "declined": CallType.REJECTED,
    "incoming": CallType.INCOMING,
}
_CALL_TITLES = {
    "outgoing call": CallType.OUTGOING,
    "incoming call": CallType.INCOMING,
    "missed call": CallType.MISSED,
    "cancelled call": CallType.OUTGOING,
}
_MEDIA_TYPES = {
    "media_photo": "image/jpeg",
    "media_video": "video/mp4",
    "media_voice_message": "audio/ogg",
    "media_audio_file": "audio/mpeg",
}
_FILE_KINDS = frozenset({*_MEDIA_TYPES, "media_file", "media_video_file", "media_animation",
                         "media_sticker", "media_round_video"})  # fmt: skip
_EXTERNAL_LINK = re.compile(r"\A\s*[A-Za-z][A-Za-z0-9+.-]*:")
_SENDER_DETAILS = frozenset({"details"})
NOT_INCLUDED = "not included in the export"


class TelegramHtmlImporter:
    """Telegram Desktop HTML export: one messages*.html page, or a zip of the export folder."""

    name: ClassVar[str] = "telegram_html"
    version: ClassVar[str] = "1"
    label: ClassVar[str] = "Telegram Desktop HTML export (messages.html or a zip of the folder)"

    def sniff(self, source: Source, head: bytes) -> int:
        try:
            if head.startswith(ZIP_MAGIC):
                return _sniff_zip(source.path)
            return _sniff_page_head(head[: 1 << 16])
        except Exception:  # sniff must never raise, whatever the file holds
            return 0

    def parse(self, source: Source, options: ImportOptions) -> Iterator[ParseItem]:
        if _starts_like_zip(source.path):
            yield from _parse_zip(source.path, options)
            return
        data = _read_page_file(source.path, options)
        yield from _read_chat([(None, data)], options, _ExportFiles(None, "", frozenset()))


def _sniff_page_head(head: bytes) -> int:
    found = sum(hint in head for hint in _HEAD_HINTS)
    if found >= 2:
        return 90
    return 60 if found == 1 and b"<html" in head.lower() else 0


def _sniff_zip(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    if not any(PAGE_NAME.match(posixpath.basename(n)) for n in names):
        return 0
    has_json = any(posixpath.basename(n) == "result.json" for n in names)
    return 80 if has_json else 90


def _starts_like_zip(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) in ZIP_MAGIC
    except OSError as exc:
        raise ImportFormatError(f"the file could not be read: {exc.strerror or exc}") from exc


def _read_page_file(path: Path, options: ImportOptions) -> bytes:
    limit = options.limits.max_json_bytes
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ImportFormatError(f"the file could not be read: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise ImportFormatError(f"this page is larger than allowed ({limit} bytes)")
    return data


# --- the export folder -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ExportFiles:
    """Files of the export folder: those in the zip, or none when only a page was given."""

    archive: zipfile.ZipFile | None
    folder: str
    names: frozenset[str]


def _page_number(member: str) -> int:
    match = PAGE_NAME.match(posixpath.basename(member))
    return int(match.group(1) or 1) if match else 0


def _parse_zip(path: Path, options: ImportOptions) -> Iterator[ParseItem]:
    with open_checked_zip(path, options.limits) as archive:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        chats: dict[str, list[str]] = {}
        for name in names:
            if PAGE_NAME.match(posixpath.basename(name)):
                chats.setdefault(posixpath.dirname(name), []).append(name)
        if not chats:
            raise ImportFormatError("the zip does not contain Telegram messages*.html pages")
        for folder in sorted(chats):
            members = sorted(chats[folder], key=_page_number)
            pages = (
                (member, read_member(archive, member, options.limits.max_json_bytes))
                for member in members
            )
            prefix = f"{folder}/" if folder else ""
            yield from _read_chat(pages, options, _ExportFiles(archive, prefix, frozenset(names)))


def _read_chat(
    pages: Iterable[tuple[str | None, bytes]],
    options: ImportOptions,
    files: _ExportFiles,
) -> Iterator[ParseItem]:
    """All pages of one chat in order. tdesktop starts each page with a day line and a full
    message, but the sender and forward origin still carry over should a page start joined."""
    state = _ChatState()
    for member, data in pages:
        page = PageReader(data, member)
        if page.bad_byte_offset is not None:
            yield ParseWarning(
                "this page is not valid UTF-8; the unreadable bytes are shown as \ufffd",
                Locator(byte_start=page.bad_byte_offset, member=member),
            )
        reader = _MessageReader(page, member, options, files, state)
        yield from reader.read()


# --- one page --------------------------------------------------------------------------------


@dataclass(slots=True)
class _ChatState:
    """What carries from one message (and page) to the next."""

    previous_sender: str | None = None
    previous_forward: str | None = None
    day_line: str = ""


@dataclass(slots=True)
class _Media:
    attachments: list[Attachment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    call: tuple[CallType, int, str] | None = None


class _MessageReader:
    """Turns the messages of one page into Records and ParseWarnings."""

    def __init__(
        self,
        page: PageReader,
        member: str | None,
        options: ImportOptions,
        files: _ExportFiles,
        state: _ChatState,
    ) -> None:
        self.page = page
        self.member = member
        self.options = options
        self.files = files
        self.state = state
        self.me = frozenset(entry.strip().casefold() for entry in options.me if entry.strip())
        self._thread: str | None = None

    @property
    def thread(self) -> str | None:
        """The chat name from the page header (read before the first message)."""
        if self._thread is None and self.page.header is not None:
            name = self.page.header.find("text", "bold")
            self._thread = _clean(name.text()) if name else None
        return self._thread

    def read(self) -> Iterator[ParseItem]:
        for element in self.page.messages():
            if element.has("service"):
                yield from self._service(element)
            elif element.has("default"):
                yield from self._message(element)

    def _locator(self, element: Element, message_id: str | None) -> Locator:
        return Locator(
            line_start=element.line,
            line_end=element.end_line or element.line,
            byte_start=element.byte,
            byte_end=element.end_byte or None,
            row=message_id,
            member=self.member,
        )

    def _service(self, element: Element) -> Iterator[ParseItem]:
        body = element.find("body")
        text = _clean(body.text()) if body else ""
        message_id = _message_id(element)
        if message_id is None or message_id.startswith("-"):
            self.state.day_line = text
            return
        voice_chat = _VOICE_CHAT.search(text)
        extra: dict[str, str] = {}
        text = self._bounded(text, extra)
        if extra:
            yield ParseWarning(
                f"the text is {extra['text_truncated_from_chars']} characters long; only the "
                f"first {self.options.limits.max_text_chars} were kept",
                self._locator(element, message_id),
            )
        yield Record(
            kind=RecordKind.CALL if voice_chat else RecordKind.SYSTEM,
            channel=CHANNEL,
            locator=self._locator(element, message_id),
            timestamp_text=self.state.day_line,
            occurred_at=None,
            ambiguity="the export gives no time for service lines, only the day above them",
            thread=self.thread,
            text=text,
            call_type=CallType.UNKNOWN if voice_chat else None,
            duration_seconds=int(voice_chat.group(1) or 0) if voice_chat else None,
            external_id=message_id,
            extra=tuple(sorted(extra.items())),
        )

    def _message(self, element: Element) -> Iterator[ParseItem]:
        message_id = _message_id(element)
        locator = self._locator(element, message_id)
        body = element.child("body") or element
        date = body.child("date", "details")
        title = date.attrs.get("title", "") if date else ""
        when = read_title(title, self.options.timezone)
        if when is None:
            yield ParseWarning(f"the message time {title!r} is not a date; skipped", locator)
            return
        extra: dict[str, str] = {}
        sender = self._sender(element, body, extra)
        text = self._text(body, extra)
        media = self._media(body, extra)
        for problem in media.problems:
            yield ParseWarning(problem, locator)
        if "text_truncated_from_chars" in extra:
            yield ParseWarning(
                f"the text is {extra['text_truncated_from_chars']} characters long; only the "
                f"first {self.options.limits.max_text_chars} were kept",
                locator,
            )
        direction = self._direction(sender, media.call)
        kind, call_type, duration = RecordKind.MESSAGE, None, None
        if media.call is not None:
            kind, (call_type, duration, shown) = RecordKind.CALL, media.call
            if shown:
                extra["call_shown"] = shown
            if call_type is CallType.INCOMING and shown.casefold().endswith("declined"):
                call_type = CallType.REJECTED
        yield Record(
            kind=kind,
            channel=CHANNEL,
            locator=locator,
            timestamp_text=title,
            occurred_at=when.occurred_at,
            timezone_assumed=when.timezone_assumed,
            ambiguity=when.ambiguity,
            sender=sender,
            direction=direction,
            thread=self.thread,
            text=text,
            call_type=call_type,
            duration_seconds=duration,
            external_id=message_id,
            attachments=tuple(media.attachments),
            extra=tuple(sorted(extra.items())),
        )

    def _sender(self, element: Element, body: Element, extra: dict[str, str]) -> str | None:
        name = body.child("from_name")
        if name is None:
            return self.state.previous_sender if element.has("joined") else None
        via = name.find("details")
        if via is not None and _clean(via.text()):
            extra["via_bot"] = _clean(via.text()).removeprefix("via ").strip()
        shown, bot = _split_via(_clean(name.text(_SENDER_DETAILS)))
        if bot:
            extra["via_bot"] = bot
        sender = shown or None
        self.state.previous_sender = sender
        return sender

    def _text(self, body: Element, extra: dict[str, str]) -> str:
        forwarded = body.child("forwarded", "body")
        holder = forwarded or body
        self._note_forwarded(forwarded, extra)
        reply = holder.child("reply_to") or body.child("reply_to")
        if reply is not None:
            targets = (_REPLY_TARGET.search(href) for href, _ in reply.links())
            target = next((found.group(1) for found in targets if found), None)
            if target:
                extra["reply_to_message_id"] = target
            else:
                extra["reply_to"] = _clean(reply.text())
        signature = holder.child("signature")
        if signature is not None:
            extra["author"] = _clean(signature.text())
        date = body.child("date", "details")
        if date is not None and "edited" in date.text().casefold():
            extra["edited"] = "true"
        text_element = holder.child("text")
        if text_element is None:
            return ""
        links = [href for href, shown in text_element.links() if href and href != _clean(shown)]
        if links:
            extra["text_links"] = json.dumps(links, ensure_ascii=False)
        return self._bounded(_clean(text_element.text()), extra)

    def _note_forwarded(self, forwarded: Element | None, extra: dict[str, str]) -> None:
        """A forward from the same origin shortly after the last one is 'joined': no name."""
        if forwarded is None:
            self.state.previous_forward = None
            return
        origin = forwarded.child("from_name")
        if origin is None:
            if self.state.previous_forward is not None:
                extra["forwarded_from"] = self.state.previous_forward
            return
        extra["forwarded_from"] = _split_via(_clean(origin.text(_SENDER_DETAILS)))[0]
        self.state.previous_forward = extra["forwarded_from"]
        origin_date = origin.find("date")
        if origin_date is not None and origin_date.attrs.get("title"):
            extra["forwarded_date"] = origin_date.attrs["title"]

    def _bounded(self, text: str, extra: dict[str, str]) -> str:
        limit = self.options.limits.max_text_chars
        if len(text) <= limit:
            return text
        extra["text_truncated_from_chars"] = str(len(text))
        return text[:limit]

    def _media(self, body: Element, extra: dict[str, str]) -> _Media:
        media = _Media()
        wrap = body.find("media_wrap")
        if wrap is None:
            return media
        for element in wrap.elements():
            if element.has("media_call"):
                media.call = _call_of(element)
            elif _EXTERNAL_LINK.match(element.attrs.get("href", "")):
                _note_media_text(element, extra, element.attrs["href"])
            elif element.attrs.get("href"):
                self._add_file(element, element.attrs["href"], media)
            elif element.classes & _FILE_KINDS or element.find("description"):
                media.attachments.append(_not_exported(element))
            else:
                _note_media_text(element, extra, None)
        return media

    def _add_file(self, element: Element, href: str, media: _Media) -> None:
        kind = next((c for c in element.classes if c in _MEDIA_TYPES), "")
        default = _MEDIA_TYPES.get(
            kind, "image/jpeg" if element.has("photo_wrap") else OCTET_STREAM
        )
        media_type = MEDIA_TYPES_BY_EXTENSION.get(posixpath.splitext(href)[1].lower(), default)
        attachment, problem = self._file_from_export(href, media_type)
        media.attachments.append(attachment)
        if problem:
            media.problems.append(problem)

    def _file_from_export(self, href: str, media_type: str) -> tuple[Attachment, str | None]:
        files = self.files
        if files.archive is None:
            missing = "only the page was imported, not the export folder holding this file"
            return Attachment(href, media_type, missing=missing), None
        # Pages of a whole-account export sit in chats/chat_NNN/ and name their media from the
        # export's root ("../../chats/chat_NNN/photos/..."), so resolve against the page's folder.
        name = posixpath.normpath(posixpath.join(files.folder, href.replace("\\", "/")))
        if (
            name.startswith(("/", "../"))
            or name == ".."
            or "\x00" in name
            or ":" in name.split("/")[0]
        ):
            problem = f"the page names a file outside the export ({href!r}); not read"
            return Attachment(href, media_type, missing="outside the export folder"), problem
        if name not in files.names:
            return Attachment(href, media_type, missing="not in the export"), None
        try:
            data = read_member(files.archive, name, self.options.limits.max_attachment_bytes)
        except ImportFormatError as exc:
            return Attachment(href, media_type, missing="too large to import"), exc.describe()
        return Attachment(href, media_type, data=data), None

    def _direction(self, sender: str | None, call: tuple[CallType, int, str] | None) -> Direction:
        if call is not None and call[0] is not CallType.UNKNOWN:
            return Direction.SENT if call[0] is CallType.OUTGOING else Direction.RECEIVED
        if sender is not None and sender.casefold() in self.me:
            return Direction.SENT
        return Direction.RECEIVED if self.me else Direction.UNKNOWN


def _not_exported(element: Element) -> Attachment:
    """A file the person chose not to export: its name, type and the page's reason."""
    kind = next((c for c in element.classes if c in _MEDIA_TYPES), "")
    title = element.find("title")
    description = element.find("description")
    shown = _clean(title.text()) if title else ""
    why = _clean(description.text()) if description else NOT_INCLUDED
    return Attachment(shown or kind or "file", _MEDIA_TYPES.get(kind, OCTET_STREAM), missing=why)


def _note_media_text(element: Element, extra: dict[str, str], link: str | None) -> None:
    """A location, contact, poll or game: kept as the text the page shows (a link as text)."""
    shown = " | ".join(line.strip() for line in element.text().splitlines() if line.strip())
    if shown:
        extra["media_text"] = _join_note(extra.get("media_text"), shown)
    if link:
        extra["media_link"] = _join_note(extra.get("media_link"), link)


def _join_note(before: str | None, added: str) -> str:
    return added if before is None else f"{before}\n{added}"


def _call_of(element: Element) -> tuple[CallType, int, str]:
    """tdesktop writes the other person's name as the title (the exporter's own name on an
    incoming call) and the kind in the status: 'Outgoing (5 seconds)', 'Cancelled', 'Missed',
    'Declined', 'Incoming'. A title such as 'Outgoing call' is read too."""
    title = element.find("title")
    status = element.find("status")
    title_text = _clean(title.text()) if title else ""
    status_text = _clean(status.text()) if status else ""
    first_word = status_text.split(" ", 1)[0].casefold()
    call_type = _CALL_STATUSES.get(first_word) or _CALL_TITLES.get(title_text.casefold())
    shown = (
        f"{title_text}: {status_text}" if title_text and status_text else title_text or status_text
    )
    return call_type or CallType.UNKNOWN, _seconds(status_text), shown


def _split_via(name: str) -> tuple[str, str | None]:
    """'Daniel via @somebot' -> ('Daniel', '@somebot'): tdesktop appends the bot to the name."""
    head, marker, bot = name.rpartition(" via @")
    if marker and head and bot and " " not in bot:
        return head.rstrip(), f"@{bot}"
    return name, None


def _seconds(status: str) -> int:
    """'5 seconds', '1 min 12 sec', '2 hours 3 minutes', '1:05:09' -> seconds; otherwise 0."""
    clock = _CLOCK_DURATION.search(status)
    if clock:
        hours, minutes, seconds = (int(part or 0) for part in clock.groups())
        return hours * 3600 + minutes * 60 + seconds
    total = 0
    for number, unit in _DURATION_PART.findall(status.casefold()):
        total += int(number) * _UNIT_SECONDS[unit[0]]
    return total


def _message_id(element: Element) -> str | None:
    raw = element.attrs.get("id", "")
    return raw.removeprefix("message") if raw.startswith("message") and len(raw) > 7 else None


def _clean(text: str) -> str:
    """Text as shown: tdesktop puts a line break around each block; those are not the message."""
    return text.strip()
