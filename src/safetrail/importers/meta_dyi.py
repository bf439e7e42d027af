"""Facebook Messenger and Instagram "Download your information" message files (JSON).

Accepts one `message_N.json` file, or the zip of a download holding
`[…/]messages/<folder>/<thread>/message_1.json`, `message_2.json`, … (folders inbox,
archived_threads, filtered_threads, message_requests, e2ee_cutover; newer packages put them under
`your_activity_across_facebook/`, `your_facebook_activity/` or `your_instagram_activity/`).
Also one conversation's file from Messenger's separate download of end-to-end encrypted chats
(camelCase keys; see `_from_secure_storage`); its records carry extra["download"].

- A thread split over several files is read as one thread and yielded oldest first, ordered by
  `timestamp_ms` (Meta writes newest first, message_1.json holding the newest). Messages without a
  usable timestamp come last, with a warning.
- Meta writes each UTF-8 byte of a non-ASCII string as its own `\\u00XX` code point
  ("\\u00e2\\u0080\\u0099" for "’"). Every string is repaired by reading those code points back as
  UTF-8 bytes, but only when that round-trips; otherwise the string is kept as found and a warning
  names the fields.
- `timestamp_ms` is milliseconds since the epoch (UTC), so no zone is assumed.
- `content`, `sender_name` and `timestamp_ms` have Record fields; every other key of a message
  (reactions, share, is_unsent, the media lists with their creation times, call_duration…) is kept
  in `extra` under its own name, repaired, non-string values as JSON text. Media files become
  Attachments, read from the zip when they are in it.
- Messages with `call_duration` (or the older `"type": "Call"`) are CALL records. Meta gives no
  message ids, so `external_id` is None and the locator's row is the message's index in its file.
- Two importers share this code and differ only in the channel they set: "messenger_json"
  (channel "messenger") and "instagram_json" (channel "instagram").
"""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

from safetrail.importers.base import ImportFormatError, ImportOptions, ParseItem, Source
from safetrail.importers.jsonsafe import load_json_bytes, load_json_file
from safetrail.importers.media_types import MEDIA_TYPES_BY_EXTENSION, OCTET_STREAM
from safetrail.importers.safezip import MEMBER_ERRORS, open_checked_zip, read_member
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

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_THREAD_MEMBER = re.compile(
    r"\A(?P<thread>(?:.*/)?messages/(?:inbox|archived_threads|filtered_threads|message_requests"
    r"|e2ee_cutover)/[^/]+)/message_(?P<part>\d{1,6})\.json\Z"
)
_INSTAGRAM_ZIP_MARKERS = re.compile(r"(?:\A|/)(?:your_instagram_activity|followers_and_following)/")
_FACEBOOK_ZIP_MARKERS = re.compile(
    r"(?:\A|/)(?:your_activity_across_facebook|your_facebook_activity|friends_and_followers)/"
)
_JSON_THREAD_HEAD = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*\{\s*"(?:participants|title)"\s*:')
_MESSAGE_HEAD = re.compile(rb'"(?:sender_name|timestamp_ms|senderName)"\s*:')
_INSTAGRAM_HEAD = re.compile(rb"your_instagram_activity|instagram", re.IGNORECASE)
_FACEBOOK_HEAD = re.compile(rb'facebook|"magic_words"|"call_duration"|"threadName"', re.IGNORECASE)
_MEDIA_KEYS = ("photos", "videos", "audio_files", "files", "gifs", "media")
_CONSUMED_KEYS = frozenset({"sender_name", "timestamp_ms", "content"})
_MEDIA_TYPES_BY_KEY = {
    "photos": "image/jpeg",
    "gifs": "image/gif",
    "videos": "video/mp4",
    "audio_files": "audio/mp4",
    "sticker": "image/png",
}


def repair_mojibake(text: str) -> tuple[str, bool]:
    """Undo Meta's byte-per-code-point escaping. Returns (text, True) when repaired or ASCII,
    and (text unchanged, False) when it does not read back as UTF-8."""
    if text.isascii():
        return text, True
    try:
        return text.encode("latin-1").decode("utf-8"), True
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text, False


class _MetaDyiImporter:
    """Shared reading of Messenger and Instagram message files; subclasses name the channel."""

    name: ClassVar[str]
    version: ClassVar[str] = "2"
    label: ClassVar[str]
    channel: ClassVar[str]
    instagram: ClassVar[bool]

    def sniff(self, source: Source, head: bytes) -> int:
        try:
            if head.startswith(ZIP_MAGIC):
                return self._sniff_zip(source.path)
            return self._sniff_json(head[: 1 << 16])
        except Exception:  # sniff must never raise, whatever the file holds
            return 0

    def _sniff_zip(self, path: Path) -> int:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if not any(_THREAD_MEMBER.match(n) for n in names):
                secure = _secure_storage_threads(archive, names)
                return self._score(False, True, 95, 80, 60) if secure else 0
        instagram = any(_INSTAGRAM_ZIP_MARKERS.search(n) for n in names)
        facebook = any(_FACEBOOK_ZIP_MARKERS.search(n) for n in names)
        return self._score(instagram and not facebook, facebook and not instagram, 95, 80, 60)

    def _sniff_json(self, head: bytes) -> int:
        if not (_JSON_THREAD_HEAD.match(head) and _MESSAGE_HEAD.search(head)):
            return 0
        instagram = bool(_INSTAGRAM_HEAD.search(head))
        facebook = bool(_FACEBOOK_HEAD.search(head))
        return self._score(instagram and not facebook, facebook and not instagram, 85, 75, 60)

    def _score(self, instagram: bool, facebook: bool, sure: int, plain: int, other: int) -> int:
        if instagram or facebook:
            mine = instagram if self.instagram else facebook
            return sure if mine else 10
        return other if self.instagram else plain

    def parse(self, source: Source, options: ImportOptions) -> Iterator[ParseItem]:
        if _starts_like_zip(source.path):
            yield from _parse_zip(source.path, options, self.channel)
            return
        loaded = load_json_file(source.path, options.limits)
        for note in loaded.notes:
            yield ParseWarning(note, Locator())
        part = _ThreadPart(1, None, _thread_document(loaded.value, None))
        yield from _ThreadReader(self.channel, options, None).read([part], source.path.stem)


class MessengerJsonImporter(_MetaDyiImporter):
    name: ClassVar[str] = "messenger_json"
    label: ClassVar[str] = "Facebook Messenger download (message_N.json or the download zip)"
    channel: ClassVar[str] = "messenger"
    instagram: ClassVar[bool] = False


class InstagramJsonImporter(_MetaDyiImporter):
    name: ClassVar[str] = "instagram_json"
    label: ClassVar[str] = "Instagram download (message_N.json or the download zip)"
    channel: ClassVar[str] = "instagram"
    instagram: ClassVar[bool] = True


def _starts_like_zip(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) in ZIP_MAGIC
    except OSError as exc:
        raise ImportFormatError(f"the file could not be read: {exc.strerror or exc}") from exc


# --- files and threads -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ThreadPart:
    number: int
    member: str | None
    document: JsonObject


def _thread_document(value: JsonValue, member: str | None) -> JsonObject:
    if not isinstance(value, dict) or not isinstance(value.get("messages"), list):
        raise ImportFormatError(
            'this JSON is not a Messenger or Instagram message file (it has no "messages" list)',
            Locator(member=member),
        )
    if _looks_end_to_end_encrypted(value):
        return _from_secure_storage(value)
    if not any(key in value for key in ("participants", "title", "thread_path")):
        raise ImportFormatError(
            "this JSON is not a Messenger or Instagram message file "
            '(it has no "participants", "title" or "thread_path")',
            Locator(member=member),
        )
    return value


def _looks_end_to_end_encrypted(document: JsonObject) -> bool:
    """That download uses camelCase keys (threadName, senderName, timestamp) [verify]."""
    messages = _messages_of(document)
    first = messages[0] if messages else None
    return "threadName" in document or (
        isinstance(first, dict) and "senderName" in first and "sender_name" not in first
    )


_SECURE_STORAGE_KEYS = {
    "senderName": "sender_name",
    "timestamp": "timestamp_ms",
    "text": "content",
    "isUnsent": "is_unsent",
}
SECURE_STORAGE = "end-to-end encrypted chats download"


def _from_secure_storage(document: JsonObject) -> JsonObject:
    """Messenger's download of end-to-end encrypted chats (messenger.com/secure_storage/dyi),
    the only download holding most Messenger chats since end-to-end encryption became the
    default: {"participants": ["A", "B"], "threadName": …, "messages": [{"senderName",
    "timestamp" (ms), "text", "type", "media": [{"uri"}], "reactions", "isUnsent"}]}.
    Its keys are renamed to the main download's; every other key is kept as it is."""
    listed = document.get("participants")
    participants: list[JsonValue] = [
        {"name": entry} if isinstance(entry, str) else entry
        for entry in (listed if isinstance(listed, list) else [])
    ]
    messages: list[JsonValue] = []
    for raw in _messages_of(document):
        if not isinstance(raw, dict):
            messages.append(raw)
            continue
        renamed = {_SECURE_STORAGE_KEYS.get(key, key): value for key, value in raw.items()}
        renamed["download"] = SECURE_STORAGE
        messages.append(renamed)
    translated: JsonObject = {
        "participants": participants,
        "messages": messages,
        "download": SECURE_STORAGE,
    }
    title = document.get("threadName")
    if isinstance(title, str):
        translated["title"] = title
    return translated


def _parse_zip(path: Path, options: ImportOptions, channel: str) -> Iterator[ParseItem]:
    with open_checked_zip(path, options.limits) as archive:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        threads = _threads_in(names) or _secure_storage_threads(archive, names)
        if not threads:
            raise ImportFormatError(_no_threads_message(names))
        media = _ZipMedia(archive, frozenset(names), options.limits.max_attachment_bytes)
        for folder, members in sorted(threads.items()):
            parts = []
            for number, member in sorted(members):
                data = read_member(archive, member, options.limits.max_json_bytes)
                loaded = load_json_bytes(data, options.limits, member)
                for note in loaded.notes:
                    yield ParseWarning(note, Locator(member=member))
                parts.append(_ThreadPart(number, member, _thread_document(loaded.value, member)))
            reader = _ThreadReader(channel, options, media)
            yield from reader.read(parts, posixpath.basename(folder))


def _threads_in(names: Iterable[str]) -> dict[str, list[tuple[int, str]]]:
    threads: dict[str, list[tuple[int, str]]] = {}
    for name in names:
        match = _THREAD_MEMBER.match(name)
        if match:
            threads.setdefault(match["thread"], []).append((int(match["part"]), name))
    return threads


_SECURE_STORAGE_HEAD = re.compile(rb'"(?:threadName|senderName)"\s*:')
_MAX_SECURE_STORAGE_FILES = 10_000


def _secure_storage_threads(
    archive: zipfile.ZipFile, names: list[str]
) -> dict[str, list[tuple[int, str]]]:
    """The conversation files of an encrypted chats download (one .json file each), found by
    their first bytes since their names are only the conversation's name."""
    threads: dict[str, list[tuple[int, str]]] = {}
    candidates = [n for n in names if n.lower().endswith(".json")]
    for name in candidates[:_MAX_SECURE_STORAGE_FILES]:
        try:
            with archive.open(name) as member:
                head = member.read(4096)
        except MEMBER_ERRORS:
            continue  # encrypted, damaged or oddly compressed: not a file this can read
        if _JSON_THREAD_HEAD.match(head) and _SECURE_STORAGE_HEAD.search(head):
            threads[name[: -len(".json")]] = [(1, name)]
    return threads


def _no_threads_message(names: list[str]) -> str:
    if any(re.search(r"(?:\A|/)messages/[^/]+/[^/]+/message_\d+\.html\Z", n) for n in names):
        return (
            "this download holds messages as HTML; request the download again and choose "
            "JSON as the format"
        )
    return (
        "the zip holds no message files (messages/inbox/<conversation>/message_1.json); "
        "is this a Messenger or Instagram download?"
    )


@dataclass(frozen=True, slots=True)
class _ZipMedia:
    archive: zipfile.ZipFile
    names: frozenset[str]
    max_bytes: int

    def attachment(
        self, uri: str, media_type: str, member: str | None
    ) -> tuple[Attachment, str | None]:
        relative = posixpath.normpath(uri.replace("\\", "/"))
        if "://" in uri:
            return Attachment(uri, media_type, missing="a web address; not fetched"), None
        if relative.startswith(("/", "../")) or relative == ".." or "\x00" in relative:
            problem = f"the file names media outside the download ({uri!r}); not read"
            return Attachment(uri, media_type, missing="outside the download"), problem
        name = self._find(relative, member)
        if name is None:
            return Attachment(uri, media_type, missing="not in the download"), None
        try:
            data = read_member(self.archive, name, self.max_bytes)
        except ImportFormatError as exc:
            return Attachment(uri, media_type, missing="too large to import"), exc.describe()
        return Attachment(uri, media_type, data=data), None

    def _find(self, relative: str, member: str | None) -> str | None:
        """URIs are relative to the download's root, which may sit in a folder of the zip."""
        folders = posixpath.dirname(member or "").split("/")
        for depth in range(len(folders) + 1):
            prefix = "/".join(folders[:depth])
            candidate = f"{prefix}/{relative}" if prefix else relative
            if candidate in self.names:
                return candidate
        return None


# --- messages ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Repairs:
    """Repairs strings, remembering which fields did not round-trip (for one warning)."""

    failed: set[str] = field(default_factory=set)
    quiet: bool = False
    """True for the encrypted chats download, whose text may be plain UTF-8 already."""

    def text(self, value: str, where: str) -> str:
        repaired, ok = repair_mojibake(value)
        if not ok and not self.quiet:
            self.failed.add(where)
        return repaired

    def value(self, value: JsonValue, where: str) -> JsonValue:
        if isinstance(value, str):
            return self.text(value, where)
        if isinstance(value, list):
            return [self.value(item, where) for item in value]
        if isinstance(value, dict):
            return {self.text(k, where): self.value(v, where) for k, v in value.items()}
        return value


@dataclass(frozen=True, slots=True)
class _Thread:
    name: str
    participants: tuple[str, ...]
    extra: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class _Placed:
    """A raw message with where it came from and its sort key."""

    occurred_at: datetime | None
    part: int
    index: int
    member: str | None
    raw: JsonValue

    def sort_key(self) -> tuple[bool, datetime, int, int]:
        return (self.occurred_at is None, self.occurred_at or EPOCH, -self.part, -self.index)


class _ThreadReader:
    def __init__(self, channel: str, options: ImportOptions, media: _ZipMedia | None) -> None:
        self.channel = channel
        self.options = options
        self.media = media
        self.me = {entry.strip().casefold() for entry in options.me}

    def read(self, parts: list[_ThreadPart], fallback_name: str) -> Iterator[ParseItem]:
        repairs = _Repairs(quiet=parts[0].document.get("download") == SECURE_STORAGE)
        thread = _thread_of(parts[0].document, fallback_name, repairs)
        if repairs.failed:
            yield ParseWarning(_repair_warning(repairs), Locator(member=parts[0].member))
        placed = [
            _Placed(_occurred_at(raw), part.number, index, part.member, raw)
            for part in parts
            for index, raw in enumerate(_messages_of(part.document))
        ]
        placed.sort(key=_Placed.sort_key)
        for item in placed:
            yield from self._message(item, thread)

    def _message(self, item: _Placed, thread: _Thread) -> Iterator[ParseItem]:
        locator = Locator(row=f"messages[{item.index}]", member=item.member)
        if not isinstance(item.raw, dict):
            yield ParseWarning("a message that is not an object was skipped", locator)
            return
        raw = item.raw
        if item.occurred_at is None:
            yield ParseWarning("the message has no usable timestamp_ms; placed last", locator)
        repairs = _Repairs(quiet=raw.get("download") == SECURE_STORAGE)
        sender = _opt_repaired(raw.get("sender_name"), "sender_name", repairs)
        text = _opt_repaired(raw.get("content"), "content", repairs) or ""
        extra = _extra_of(raw, repairs, thread)
        if len(text) > self.options.limits.max_text_chars:
            yield ParseWarning(
                f"the text is {len(text)} characters long; only the first "
                f"{self.options.limits.max_text_chars} were kept",
                locator,
            )
            extra["text_truncated_from_chars"] = str(len(text))
            text = text[: self.options.limits.max_text_chars]
        attachments, problems = self._attachments(raw, item.member, repairs)
        for problem in problems:
            yield ParseWarning(problem, locator)
        if repairs.failed:
            yield ParseWarning(_repair_warning(repairs), locator)
        direction = self._direction(sender)
        kind, call_type, duration = _classify(raw, direction)
        yield Record(
            kind=kind,
            channel=self.channel,
            locator=locator,
            timestamp_text=_timestamp_text(raw.get("timestamp_ms")),
            occurred_at=item.occurred_at,
            sender=sender,
            recipients=tuple(p for p in thread.participants if p != sender),
            direction=direction,
            thread=thread.name,
            text=text,
            call_type=call_type,
            duration_seconds=duration,
            attachments=attachments,
            extra=tuple(sorted(extra.items())),
        )

    def _direction(self, sender: str | None) -> Direction:
        if sender is not None and sender.strip().casefold() in self.me:
            return Direction.SENT
        return Direction.RECEIVED if self.me else Direction.UNKNOWN

    def _attachments(
        self, raw: JsonObject, member: str | None, repairs: _Repairs
    ) -> tuple[tuple[Attachment, ...], list[str]]:
        attachments: list[Attachment] = []
        problems: list[str] = []
        for key, found_uri in _media_uris(raw):
            uri = repairs.text(found_uri, key)
            media_type = _media_type(key, uri)
            if self.media is None:
                missing = "only the message file was imported, not the download holding this file"
                attachments.append(Attachment(uri, media_type, missing=missing))
                continue
            attachment, problem = self.media.attachment(uri, media_type, member)
            attachments.append(attachment)
            if problem:
                problems.append(problem)
        return tuple(attachments), problems


def _thread_of(document: JsonObject, fallback_name: str, repairs: _Repairs) -> _Thread:
    participants: list[str] = []
    listed = document.get("participants")
    for entry in listed if isinstance(listed, list) else []:
        name = entry.get("name") if isinstance(entry, dict) else None
        if isinstance(name, str):
            participants.append(repairs.text(name, "participants"))
    title = document.get("title")
    name = repairs.text(title, "title") if isinstance(title, str) and title else fallback_name
    extra: list[tuple[str, str]] = []
    thread_path = document.get("thread_path")
    if isinstance(thread_path, str):
        extra.append(("thread_path", repairs.text(thread_path, "thread_path")))
    extra.append(
        ("participants", json.dumps(participants, ensure_ascii=False, separators=(",", ":")))
    )
    return _Thread(name, tuple(participants), tuple(extra))


def _messages_of(document: JsonObject) -> list[JsonValue]:
    messages = document.get("messages")
    return messages if isinstance(messages, list) else []


def _media_uris(raw: JsonObject) -> Iterator[tuple[str, str]]:
    for key in _MEDIA_KEYS:
        items = raw.get(key)
        for item in items if isinstance(items, list) else []:
            uri = item.get("uri") if isinstance(item, dict) else None
            if isinstance(uri, str) and uri:
                yield key, uri
    sticker = raw.get("sticker")
    if isinstance(sticker, dict) and isinstance(sticker.get("uri"), str) and sticker["uri"]:
        yield "sticker", str(sticker["uri"])


def _media_type(key: str, uri: str) -> str:
    """By extension, except that audio kept in .mp4 containers (Instagram) stays audio."""
    extension = posixpath.splitext(uri)[1].lower()
    by_extension = MEDIA_TYPES_BY_EXTENSION.get(extension)
    if by_extension is None:
        return _MEDIA_TYPES_BY_KEY.get(key, OCTET_STREAM)
    if key == "audio_files" and by_extension.startswith("video/"):
        return "audio/" + by_extension.removeprefix("video/")
    return by_extension


def _classify(
    raw: JsonObject, direction: Direction
) -> tuple[RecordKind, CallType | None, int | None]:
    old_type = raw.get("type")
    if "call_duration" not in raw and old_type != "Call":
        system = old_type in ("Subscribe", "Unsubscribe")
        return (RecordKind.SYSTEM if system else RecordKind.MESSAGE), None, None
    duration = raw.get("call_duration")
    seconds = duration if isinstance(duration, int) and not isinstance(duration, bool) else None
    return RecordKind.CALL, _call_type(raw, direction, seconds), seconds


def _call_type(raw: JsonObject, direction: Direction, seconds: int | None) -> CallType:
    if direction is Direction.SENT:
        return CallType.OUTGOING
    if raw.get("missed") is True or (direction is Direction.RECEIVED and seconds == 0):
        return CallType.MISSED
    return CallType.INCOMING if direction is Direction.RECEIVED else CallType.UNKNOWN


def _extra_of(raw: JsonObject, repairs: _Repairs, thread: _Thread) -> dict[str, str]:
    extra = dict(thread.extra)
    for key, value in raw.items():
        if key in _CONSUMED_KEYS:
            continue
        extra[key] = _as_text(repairs.value(value, key))
    return extra


def _as_text(value: JsonValue) -> str:
    """Strings as they are; other values as canonical JSON (with fast paths for scalars)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return canonical_json(value)


def _opt_repaired(value: JsonValue, where: str, repairs: _Repairs) -> str | None:
    return repairs.text(value, where) if isinstance(value, str) else None


def _repair_warning(repairs: _Repairs) -> str:
    fields = ", ".join(sorted(repairs.failed))
    return f"text in {fields} is not in Meta's usual escaped form; kept exactly as found"


def _occurred_at(raw: JsonValue) -> datetime | None:
    value = raw.get("timestamp_ms") if isinstance(raw, dict) else None
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    try:
        return EPOCH + timedelta(milliseconds=value)
    except OverflowError:
        return None


def _timestamp_text(value: JsonValue) -> str:
    if value is None:
        return ""
    return _as_text(value)
