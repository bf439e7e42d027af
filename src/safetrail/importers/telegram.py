"""Telegram Desktop "Export chat history" / "Export Telegram data" in JSON (`result.json`).

Accepts a single-chat export (the root is the chat: name, type, id, messages), the full export
(`chats.list` and `left_chats.list`, with `personal_information`), as a bare `result.json` or as a
zip of the export folder (media files are then read from the zip).

What is kept and what is not:
- Text is the concatenation of the `text` parts, exactly. Formatting (bold, italic, code...) is a
  format-level mark and is dropped; the targets of `text_link` parts are kept in
  extra["text_links"] and the user ids of `mention_name` parts in extra["mention_user_ids"] (JSON
  lists). `text_entities` repeats `text` and is not read.
- Every message key that has no Record field of its own (edited, forwarded_from, saved_from,
  reply_to_message_id, via_bot, author, media_type, mime_type, action, discard_reason,
  members, location_information, poll, ...) is kept in `extra` under its own name (non-string
  values as JSON text), so nothing in a message is dropped.
- `occurred_at` comes from `date_unixtime` (UTC) when present; older exports only have `date`, the
  exporting machine's wall-clock time, which is read in `options.timezone`.
- Direction: the exporter (`personal_information.user_id` in a full export) and `options.me`
  entries (a name, a phone number, or a Telegram id such as "user123" or "123") are "me". In a
  personal chat the chat `id` is the other person's user id, so their messages are RECEIVED and
  everything else SENT (the same in a bot chat); in Saved Messages everything is SENT.
- Phone calls (`phone_call`) and group calls (`group_call`) are CALL records; the actor is the
  caller. A missing duration means zero (Telegram omits it when it is zero).
"""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from safetrail.importers.base import ImportFormatError, ImportOptions, ParseItem, Source
from safetrail.importers.jsonsafe import LoadedJson, load_json_bytes, load_json_file
from safetrail.importers.localtime import localise
from safetrail.importers.media_types import MEDIA_TYPES_BY_EXTENSION, OCTET_STREAM
from safetrail.importers.safezip import open_checked_zip, read_member
from safetrail.models.identifiers import try_normalise_phone
from safetrail.models.jsonvalue import JsonObject, JsonValue, canonical_json
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
RESULT_JSON = "result.json"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

_CHAT_TYPES = (
    b"personal_chat|bot_chat|saved_messages|replies|private_group|private_supergroup|"
    b"public_supergroup|private_channel|public_channel"
)
_STRONG_HINTS = (
    re.compile(rb'"type"\s*:\s*"(?:' + _CHAT_TYPES + rb')"'),
    re.compile(rb'"date_unixtime"\s*:\s*"\d'),
    re.compile(rb'"about"\s*:\s*"Here is the data you requested'),
)
_WEAK_HINTS = (
    re.compile(rb'"from_id"\s*:\s*"(?:user|channel|chat)\d'),
    re.compile(rb'"personal_information"\s*:'),
)
_JSON_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*\{")
_FILE_SKIPPED = re.compile(
    r"\A(?:.* )?\((?:File|Photo) (?:not included|exceeds maximum size|unavailable)[^)]*\)\Z",
    re.DOTALL,
)
_TELEGRAM_ID = re.compile(r"\A(?:user)?(\d+)\Z", re.IGNORECASE)
_CALL_ACTIONS = {"phone_call": "duration_seconds", "group_call": "duration"}
# Keys that have a Record field of their own; every other key goes to `extra` unchanged.
_FILE_KEYS = ("photo", "file", "contact_vcard")
"""Message keys naming a file of the export (a shared contact comes as a .vcard file)."""
_CONSUMED_KEYS = frozenset(
    {"id", "date", "date_unixtime", "from", "from_id", "actor", "actor_id", "text",
     "text_entities", "photo", "file", "contact_vcard"}
)  # fmt: skip


class TelegramJsonImporter:
    """Telegram Desktop JSON export: one chat or the whole account, bare or zipped."""

    name: ClassVar[str] = "telegram_json"
    version: ClassVar[str] = "2"
    label: ClassVar[str] = "Telegram Desktop export (result.json or a zip of the export folder)"

    def sniff(self, source: Source, head: bytes) -> int:
        try:
            if head.startswith(ZIP_MAGIC):
                return 90 if _zip_result_members(source.path) else 0
            return _sniff_json_head(head[: 1 << 16])
        except Exception:  # sniff must never raise, whatever the file holds
            return 0

    def parse(self, source: Source, options: ImportOptions) -> Iterator[ParseItem]:
        if _starts_like_zip(source.path):
            yield from _parse_zip(source.path, options)
        else:
            loaded = load_json_file(source.path, options.limits)
            yield from _parse_document(loaded, options, _ExportFiles(None, "", frozenset()), None)


def _sniff_json_head(head: bytes) -> int:
    if not _JSON_START.match(head):
        return 0
    if any(p.search(head) for p in _STRONG_HINTS):
        return 95
    if any(p.search(head) for p in _WEAK_HINTS):
        return 70
    return 0


def _starts_like_zip(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) in ZIP_MAGIC
    except OSError as exc:
        raise ImportFormatError(f"the file could not be read: {exc.strerror or exc}") from exc


def _zip_result_members(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return sorted(n for n in archive.namelist() if posixpath.basename(n) == RESULT_JSON)


# --- the export as a whole -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ExportFiles:
    """Files of the export folder: those in the zip, or none when only result.json was given."""

    archive: zipfile.ZipFile | None
    folder: str
    names: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Chat:
    chat_id: str
    chat_type: str
    thread: str
    peer_user: str | None


@dataclass(slots=True)
class _Me:
    ids: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    known: bool = False


@dataclass(frozen=True, slots=True)
class _Export:
    """What every message of one result.json is read against."""

    me: _Me
    clock: _LocalClock
    options: ImportOptions
    files: _ExportFiles
    member: str | None


def _parse_zip(path: Path, options: ImportOptions) -> Iterator[ParseItem]:
    with open_checked_zip(path, options.limits) as archive:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        results = sorted(n for n in names if posixpath.basename(n) == RESULT_JSON)
        if not results:
            raise ImportFormatError(_no_result_json_message(names))
        for member in results:
            data = read_member(archive, member, options.limits.max_json_bytes)
            loaded = load_json_bytes(data, options.limits, member)
            folder = posixpath.dirname(member)
            files = _ExportFiles(archive, f"{folder}/" if folder else "", frozenset(names))
            yield from _parse_document(loaded, options, files, member)


def _no_result_json_message(names: list[str]) -> str:
    if any(posixpath.basename(n) == "messages.html" for n in names):
        return (
            "this Telegram export was saved as HTML; import it with the telegram_html format "
            "(or let Safetrail detect the format)"
        )
    return "the zip does not contain a Telegram result.json"


def _parse_document(
    loaded: LoadedJson, options: ImportOptions, files: _ExportFiles, member: str | None
) -> Iterator[ParseItem]:
    for note in loaded.notes:
        yield ParseWarning(note, Locator(member=member))
    root = loaded.value
    if not isinstance(root, dict):
        raise ImportFormatError(
            "this JSON is not a Telegram export (it is not an object)", Locator(member=member)
        )
    export = _Export(
        _who_is_me(root, options.me), _LocalClock(options.timezone), options, files, member
    )
    for index, chat in enumerate(_chats_of(root, member)):
        if not isinstance(chat, dict):
            yield ParseWarning(f"chat {index} is not an object; skipped", Locator(member=member))
            continue
        yield from _parse_chat(chat, export)


def _chats_of(root: JsonObject, member: str | None) -> list[JsonValue]:
    if isinstance(root.get("messages"), list):
        return [root]
    if "chats" not in root and "left_chats" not in root:
        raise ImportFormatError(
            'this JSON is not a Telegram chat export: it has neither a "messages" list nor '
            "a \"chats\" list (was 'Personal chats' ticked when exporting?)",
            Locator(member=member),
        )
    chats: list[JsonValue] = []
    for key in ("chats", "left_chats"):
        section = root.get(key)
        if section is None:
            continue
        listed = section.get("list") if isinstance(section, dict) else None
        if not isinstance(listed, list):
            raise ImportFormatError(
                f'the "{key}" section of this Telegram export has no "list" of chats',
                Locator(member=member),
            )
        chats.extend(listed)
    return chats


def _who_is_me(root: JsonObject, me_entries: tuple[str, ...]) -> _Me:
    me = _Me(known=bool(me_entries))
    for entry in me_entries:
        me.names.add(entry.strip().casefold())
        id_match = _TELEGRAM_ID.match(entry.strip())
        if id_match:
            me.ids.add(f"user{id_match.group(1)}")
        phone = try_normalise_phone(entry)
        if phone:
            me.phones.add(phone)
    personal = root.get("personal_information")
    if isinstance(personal, dict) and isinstance(personal.get("user_id"), int | str):
        me.ids.add(f"user{personal['user_id']}")
        me.known = True
    return me


def _chat_context(chat: JsonObject) -> _Chat:
    chat_id = _scalar_text(chat.get("id"))
    chat_type = _scalar_text(chat.get("type"))
    name = chat.get("name")
    if isinstance(name, str) and name:
        thread = name
    elif chat_type == "saved_messages":
        thread = "Saved Messages"
    else:
        thread = f"chat {chat_id}"
    one_to_one = chat_type in ("personal_chat", "bot_chat")
    peer = f"user{chat_id}" if one_to_one and chat_id.isdigit() else None
    return _Chat(chat_id, chat_type, thread, peer)


def _parse_chat(chat: JsonObject, export: _Export) -> Iterator[ParseItem]:
    context = _chat_context(chat)
    messages = chat.get("messages")
    if not isinstance(messages, list):
        yield ParseWarning(
            f'chat {context.thread!r} has no "messages" list; skipped',
            Locator(row=context.chat_id, member=export.member),
        )
        return
    reader = _MessageReader(context, export)
    for position, raw in enumerate(messages):
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), int | str):
            yield ParseWarning(
                f"message {position} of chat {context.thread!r} has no id; skipped",
                Locator(row=f"{context.chat_id}:#{position}", member=export.member),
            )
            continue
        yield from reader.read(raw)


# --- one message ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _When:
    text: str
    occurred_at: datetime | None
    timezone_assumed: str | None = None
    ambiguity: str | None = None
    problem: str | None = None


@dataclass(slots=True)
class _Text:
    text: str = ""
    links: list[str] = field(default_factory=list)
    mention_ids: list[str] = field(default_factory=list)
    skipped_parts: int = 0


class _MessageReader:
    """Turns raw message objects of one chat into Records and ParseWarnings."""

    def __init__(self, chat: _Chat, export: _Export) -> None:
        self.chat = chat
        self.me = export.me
        self.clock = export.clock
        self.limits = export.options.limits
        self.files = export.files
        self.member = export.member
        self._directions: dict[tuple[str | None, str | None], Direction] = {}

    def read(self, raw: JsonObject) -> Iterator[ParseItem]:
        message_id = _scalar_text(raw["id"])
        external_id = f"{self.chat.chat_id}:{message_id}"
        locator = Locator(row=external_id, member=self.member)
        when = self.clock.when(raw)
        if when.problem:
            yield ParseWarning(when.problem, locator)
        text = _join_text(raw.get("text"))
        if text.skipped_parts:
            yield ParseWarning(f"{text.skipped_parts} text part(s) were not text; skipped", locator)
        extra = _extra_of(raw, self.chat, text)
        if len(text.text) > self.limits.max_text_chars:
            yield ParseWarning(
                f"the text is {len(text.text)} characters long; only the first "
                f"{self.limits.max_text_chars} were kept",
                locator,
            )
            extra["text_truncated_from_chars"] = str(len(text.text))
            text.text = text.text[: self.limits.max_text_chars]
        if raw.get("type") not in ("message", "service"):
            yield ParseWarning(f"message type {raw.get('type')!r} is not a message", locator)
        attachments: list[Attachment] = []
        for key in _FILE_KEYS:
            value = raw.get(key)
            if isinstance(value, str):
                attachment, problem = self._attachment(key, value, raw)
                attachments.append(attachment)
                if problem:
                    yield ParseWarning(problem, locator)
        yield self._record(
            raw,
            locator=locator,
            when=when,
            text=text.text,
            attachments=tuple(attachments),
            extra=extra,
        )

    def _record(
        self,
        raw: JsonObject,
        *,
        locator: Locator,
        when: _When,
        text: str,
        attachments: tuple[Attachment, ...],
        extra: dict[str, str],
    ) -> Record:
        is_service = raw.get("type") == "service"
        sender = _opt_text(raw.get("actor" if is_service else "from"))
        sender_id = _opt_text(raw.get("actor_id" if is_service else "from_id"))
        direction = self._direction(sender, sender_id)
        kind, call_type, duration = _classify(raw, direction)
        return Record(
            kind=kind,
            channel=CHANNEL,
            locator=locator,
            timestamp_text=when.text,
            occurred_at=when.occurred_at,
            timezone_assumed=when.timezone_assumed,
            ambiguity=when.ambiguity,
            sender=sender,
            sender_address=sender_id,
            direction=direction,
            thread=self.chat.thread,
            text=text,
            call_type=call_type,
            duration_seconds=duration,
            external_id=locator.row,
            attachments=attachments,
            extra=tuple(sorted(extra.items())),
        )

    def _direction(self, sender: str | None, sender_id: str | None) -> Direction:
        key = (sender, sender_id)
        known = self._directions.get(key)
        if known is None:
            known = self._directions[key] = self._work_out_direction(sender, sender_id)
        return known

    def _work_out_direction(self, sender: str | None, sender_id: str | None) -> Direction:
        me = self.me
        if sender_id is not None and sender_id in me.ids:
            return Direction.SENT
        if sender is not None and (
            sender.casefold() in me.names or try_normalise_phone(sender) in me.phones
        ):
            return Direction.SENT
        if self.chat.chat_type == "saved_messages":
            return Direction.SENT
        if self.chat.peer_user is not None and sender_id is not None:
            return Direction.RECEIVED if sender_id == self.chat.peer_user else Direction.SENT
        return Direction.RECEIVED if me.known else Direction.UNKNOWN

    def _attachment(self, key: str, value: str, raw: JsonObject) -> tuple[Attachment, str | None]:
        file_name = _opt_text(raw.get("file_name"))
        media_type = _media_type(key, value, raw)
        if _FILE_SKIPPED.match(value):
            return Attachment(file_name or key, media_type, missing=value), None
        if self.files.archive is None:
            missing = "only result.json was imported, not the export folder holding this file"
            return Attachment(value, media_type, missing=missing), None
        return _attachment_from_zip(self.files, value, media_type, self.limits.max_attachment_bytes)


def _attachment_from_zip(
    files: _ExportFiles, value: str, media_type: str, max_bytes: int
) -> tuple[Attachment, str | None]:
    relative = posixpath.normpath(value.replace("\\", "/"))
    if relative.startswith(("/", "../")) or relative == ".." or "\x00" in relative:
        problem = f"the export names a file outside its folder ({value!r}); not read"
        return Attachment(value, media_type, missing="outside the export folder"), problem
    name = files.folder + relative
    if name not in files.names or files.archive is None:
        return Attachment(value, media_type, missing="not in the export"), None
    try:
        data = read_member(files.archive, name, max_bytes)
    except ImportFormatError as exc:
        return Attachment(value, media_type, missing="too large to import"), exc.describe()
    return Attachment(value, media_type, data=data), None


def _media_type(key: str, value: str, raw: JsonObject) -> str:
    mime = raw.get("mime_type")
    if key == "file" and isinstance(mime, str) and mime:
        return mime
    extension = posixpath.splitext(value)[1].lower()
    if extension in MEDIA_TYPES_BY_EXTENSION:
        return MEDIA_TYPES_BY_EXTENSION[extension]
    return "image/jpeg" if key == "photo" else OCTET_STREAM


def _classify(
    raw: JsonObject, direction: Direction
) -> tuple[RecordKind, CallType | None, int | None]:
    if raw.get("type") != "service":
        return (
            (RecordKind.MESSAGE if raw.get("type") == "message" else RecordKind.SYSTEM),
            None,
            None,
        )
    action = raw.get("action")
    if not isinstance(action, str) or action not in _CALL_ACTIONS:
        return RecordKind.SYSTEM, None, None
    duration = raw.get(_CALL_ACTIONS[action])
    seconds = duration if isinstance(duration, int) and not isinstance(duration, bool) else 0
    return RecordKind.CALL, _call_type(raw.get("discard_reason"), direction), seconds


def _call_type(reason: JsonValue, direction: Direction) -> CallType:
    """The caller is the message's actor, so SENT means an outgoing call."""
    if direction is Direction.SENT:
        return CallType.OUTGOING
    if reason == "missed":
        return CallType.MISSED
    if direction is Direction.UNKNOWN:
        return CallType.UNKNOWN
    return CallType.REJECTED if reason == "busy" else CallType.INCOMING


def _join_text(value: JsonValue) -> _Text:
    result = _Text()
    if isinstance(value, str):
        result.text = value
        return result
    if not isinstance(value, list):
        result.skipped_parts = 0 if value is None else 1
        return result
    pieces: list[str] = []
    for part in value:
        if isinstance(part, str):
            pieces.append(part)
        elif isinstance(part, dict) and isinstance(part.get("text"), str):
            pieces.append(str(part["text"]))
            _note_entity(part, result)
        else:
            result.skipped_parts += 1
    result.text = "".join(pieces)
    return result


def _note_entity(part: JsonObject, result: _Text) -> None:
    kind = part.get("type")
    if kind == "text_link" and isinstance(part.get("href"), str):
        result.links.append(str(part["href"]))
    elif kind == "mention_name" and part.get("user_id") is not None:
        result.mention_ids.append(_scalar_text(part["user_id"]))


def _extra_of(raw: JsonObject, chat: _Chat, text: _Text) -> dict[str, str]:
    extra = {key: _scalar_text(value) for key, value in raw.items() if key not in _CONSUMED_KEYS}
    extra["chat_id"] = chat.chat_id
    extra["chat_type"] = chat.chat_type
    if text.links:
        extra["text_links"] = json.dumps(text.links, ensure_ascii=False)
    if text.mention_ids:
        extra["mention_user_ids"] = json.dumps(text.mention_ids)
    return extra


def _scalar_text(value: JsonValue) -> str:
    """A JSON value as text: strings as they are, anything else as canonical JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return canonical_json(value)


def _opt_text(value: JsonValue) -> str | None:
    if value is None:
        return None
    return _scalar_text(value)


# --- time ----------------------------------------------------------------------------------


class _LocalClock:
    """Reads message times; the zone is only looked up when a message lacks `date_unixtime`."""

    def __init__(self, zone_name: str) -> None:
        self.zone_name = zone_name
        self._zone: ZoneInfo | None = None

    def zone(self) -> ZoneInfo:
        if self._zone is None:
            try:
                self._zone = ZoneInfo(self.zone_name)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ImportFormatError(f"unknown time zone {self.zone_name!r}") from exc
        return self._zone

    def when(self, raw: Mapping[str, JsonValue]) -> _When:
        date = raw.get("date")
        date_text = date if isinstance(date, str) else None
        unix = raw.get("date_unixtime")
        shown = date_text if date_text is not None else _opt_text(unix) or ""
        instant = _from_unixtime(unix)
        if instant is not None:
            return _When(shown, instant)
        problem = None if unix is None else f"date_unixtime {unix!r} is not a time; used date"
        if date_text is None:
            return _When(shown, None, problem=problem or "the message has no date")
        return self._from_wall_clock(date_text, problem)

    def _from_wall_clock(self, date_text: str, problem: str | None) -> _When:
        try:
            parsed = datetime.fromisoformat(date_text)
        except ValueError:
            return _When(date_text, None, problem=f"date {date_text!r} could not be read")
        if parsed.tzinfo is not None:
            return _When(date_text, parsed, problem=problem)
        occurred, ambiguity = localise(parsed, self.zone().key)
        return _When(date_text, occurred, self.zone_name, ambiguity, problem)


def _from_unixtime(value: JsonValue) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (ValueError, OverflowError, OSError):
        return None
