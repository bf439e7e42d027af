"""iMessage `chat.db` (macOS Messages; the same schema as iOS `sms.db`).

The database is read into memory and opened there with `Connection.deserialize`, so the original is
never opened for writing and no -wal, -shm or journal file is created beside it. Newer systems
leave `message.text` NULL and keep the words only in `attributedBody`, an NSArchiver "typedstream";
`decode_attributed_body` reads the NSString inside it. Dates count from the Apple epoch
(2001-01-01 UTC) in seconds on old systems and in nanoseconds since macOS 10.13 / iOS 11.

Rows whose `service` is "SMS" get the channel "sms", all others "imessage"; the service itself is
kept in `extra`. Non-zero `item_type` rows (group renames, members joining or leaving) are SYSTEM
records. Attachments are named from the attachment table; their files live outside chat.db.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import ClassVar

from safetrail.importers.base import ImportFormatError, ImportOptions, ParseItem, Source
from safetrail.models.identifiers import try_normalise_phone
from safetrail.models.record import (
    Attachment,
    Direction,
    Locator,
    ParseWarning,
    Record,
    RecordKind,
)

MAX_DATABASE_BYTES = 2 << 30
SQLITE_MAGIC = b"SQLite format 3\x00"
REQUIRED_TABLES = ("message", "handle", "chat", "chat_message_join")
APPLE_EPOCH = datetime(2001, 1, 1, tzinfo=UTC)
NANOSECOND_THRESHOLD = 10**12
ATTACHMENT_OUTSIDE = "kept outside chat.db: add the Attachments folder as its own evidence"

# Message columns read when present; older schemas lack some, which then read as NULL.
MESSAGE_COLUMNS = (
    "guid",
    "text",
    "attributedBody",
    "handle_id",
    "service",
    "date",
    "is_from_me",
    "item_type",
    "associated_message_type",
    "cache_has_attachments",
    "date_edited",
    "date_retracted",
)

TYPEDSTREAM_MAGIC = b"streamtyped"
NSSTRING_CLASS = b"NSString"
STRING_TYPE_MARK = b"\x01+"
TAG_INT16 = 0x81
TAG_INT32 = 0x82


class AttributedBodyError(ValueError):
    """The attributedBody blob does not hold a string we can read."""


def _read_length(blob: bytes, at: int) -> tuple[int, int]:
    """A typedstream integer at `at`: a literal byte below 0x80, or 0x81/0x82 + 2/4 bytes LE."""
    if at >= len(blob):
        raise AttributedBodyError("the blob ends before the string length")
    tag = blob[at]
    if tag < 0x80:
        return tag, at + 1
    width = {TAG_INT16: 2, TAG_INT32: 4}.get(tag)
    if width is None or at + 1 + width > len(blob):
        raise AttributedBodyError(f"unexpected length marker 0x{tag:02x}")
    length = int.from_bytes(blob[at + 1 : at + 1 + width], "little", signed=True)
    if length < 0:
        raise AttributedBodyError("negative string length")
    return length, at + 1 + width


def decode_attributed_body(blob: bytes, max_chars: int) -> str:
    """The message text inside an NSArchiver-encoded NSAttributedString.

    Layout: `streamtyped` header, the class chain (NSAttributedString, NSObject), then NSString
    (or NSMutableString) followed by the type mark `+` (length-prefixed bytes) and the UTF-8 text.
    Raises AttributedBodyError for anything else.
    """
    if TYPEDSTREAM_MAGIC not in blob[:16]:
        raise AttributedBodyError("not a typedstream")
    class_at = blob.find(NSSTRING_CLASS)
    if class_at < 0:
        raise AttributedBodyError("no NSString in the blob")
    mark_at = blob.find(STRING_TYPE_MARK, class_at + len(NSSTRING_CLASS))
    if mark_at < 0 or mark_at - class_at > 16:
        raise AttributedBodyError("no string value after NSString")
    length, start = _read_length(blob, mark_at + len(STRING_TYPE_MARK))
    if length > max_chars * 4:
        raise AttributedBodyError(f"the text is longer than the limit ({length} bytes)")
    if start + length > len(blob):
        raise AttributedBodyError("the blob ends inside the text")
    try:
        return blob[start : start + length].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AttributedBodyError(f"the text is not valid UTF-8 ({exc.reason})") from exc


def apple_time(raw: int) -> datetime:
    """An Apple-epoch value in seconds, or nanoseconds when larger than 10^12, as UTC."""
    if abs(raw) > NANOSECOND_THRESHOLD:
        return APPLE_EPOCH + timedelta(microseconds=raw // 1000)
    return APPLE_EPOCH + timedelta(seconds=raw)


@lru_cache(maxsize=8192)
def normalise_address(raw: str) -> str:
    """Email addresses lower-cased, phone numbers in E.164 where possible, else as found."""
    text = raw.strip()
    if "@" in text:
        return text.lower()
    return try_normalise_phone(text) or text


def _open_in_memory(source: Source) -> sqlite3.Connection:
    if source.size > MAX_DATABASE_BYTES:
        raise ImportFormatError(
            f"this database is larger than 2 GiB ({source.size} bytes); Safetrail cannot open it"
        )
    data = bytearray()
    with source.path.open("rb") as handle:
        # In pieces: read(n) reserves all n bytes at once, 2 GiB even for a small file.
        while len(data) <= MAX_DATABASE_BYTES and (piece := handle.read(1 << 20)):
            data += piece
    if len(data) > MAX_DATABASE_BYTES:
        raise ImportFormatError("this database is larger than 2 GiB; Safetrail cannot open it")
    if not data.startswith(SQLITE_MAGIC) or len(data) < 100:
        raise ImportFormatError(
            "this is not an SQLite database (chat.db starts with 'SQLite format 3')",
            Locator(byte_start=0),
        )
    # WAL mode cannot be used in memory; reading the copy as a rollback-journal file is the same
    # data (only bytes 18-19 of the in-memory copy change).
    data[18:20] = b"\x01\x01"
    connection = sqlite3.connect(":memory:")
    connection.text_factory = TextDecoder()
    try:
        connection.deserialize(bytes(data))
        connection.execute("PRAGMA query_only = ON")
        connection.execute("PRAGMA trusted_schema = OFF")
        connection.execute("PRAGMA cell_size_check = ON")
    except sqlite3.DatabaseError as exc:
        connection.close()
        raise ImportFormatError(f"this SQLite database cannot be read: {exc}") from exc
    return connection


class TextDecoder:
    """sqlite3 text_factory that never fails a whole import on one bad string.

    Invalid UTF-8 is shown with U+FFFD, and `damaged` counts how often that happened so the row can
    carry a warning.
    """

    def __init__(self) -> None:
        self.damaged = 0

    def __call__(self, value: bytes) -> str:
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            self.damaged += 1
            return value.decode("utf-8", errors="replace")


def _was_wal(source: Source) -> bool:
    with source.path.open("rb") as handle:
        header = handle.read(20)
    return header[18:20] == b"\x02\x02"


def _tables(connection: sqlite3.Connection) -> set[str]:
    try:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    except sqlite3.DatabaseError as exc:
        raise ImportFormatError(f"this SQLite database cannot be read: {exc}") from exc
    return {str(row[0]) for row in rows}


def _columns(connection: sqlite3.Connection, table: str) -> set[str]:
    rows = connection.execute(f"PRAGMA table_info({table})").fetchall()
    return {str(row[1]) for row in rows}


def _check_schema(tables: set[str]) -> None:
    missing = [name for name in REQUIRED_TABLES if name not in tables]
    if missing:
        raise ImportFormatError(
            "this SQLite database is not an iMessage chat.db: it has no "
            + ", ".join(f"'{name}'" for name in missing)
            + " table"
            + ("s" if len(missing) > 1 else "")
        )


def _message_query(columns: set[str]) -> str:
    picked = ", ".join(
        f"m.{name}" if name in columns else f"NULL AS {name}" for name in MESSAGE_COLUMNS
    )
    return (
        f"SELECT m.ROWID, {picked}, h.id, c.display_name, c.chat_identifier, c.ROWID "
        "FROM message AS m "
        "LEFT JOIN handle AS h ON h.ROWID = m.handle_id "
        "LEFT JOIN chat_message_join AS j ON j.message_id = m.ROWID "
        "LEFT JOIN chat AS c ON c.ROWID = j.chat_id "
        "ORDER BY m.ROWID"
    )


class ChatDb:
    """Lookups that need more than the message row: attachments and chat members."""

    def __init__(self, connection: sqlite3.Connection, tables: set[str]) -> None:
        self._connection = connection
        self._has_attachments = {"attachment", "message_attachment_join"} <= tables
        self._has_members = "chat_handle_join" in tables
        self._members: dict[int, tuple[str, ...]] = {}

    def attachments(self, rowid: int) -> tuple[tuple[Attachment, ...], tuple[str, ...]]:
        if not self._has_attachments:
            return (), ()
        rows = self._connection.execute(
            "SELECT a.transfer_name, a.filename, a.mime_type FROM message_attachment_join AS j "
            "JOIN attachment AS a ON a.ROWID = j.attachment_id "
            "WHERE j.message_id = ? ORDER BY a.ROWID",
            (rowid,),
        ).fetchall()
        found: list[Attachment] = []
        paths: list[str] = []
        for transfer_name, filename, mime_type in rows:
            path = str(filename) if filename else ""
            name = str(transfer_name) if transfer_name else path.rsplit("/", 1)[-1]
            found.append(
                Attachment(
                    filename=name or "attachment",
                    media_type=str(mime_type) if mime_type else "application/octet-stream",
                    missing=ATTACHMENT_OUTSIDE,
                )
            )
            if path:
                paths.append(path)
        return tuple(found), tuple(paths)

    def members(self, chat_rowid: int | None) -> tuple[str, ...]:
        if chat_rowid is None or not self._has_members:
            return ()
        if chat_rowid not in self._members:
            rows = self._connection.execute(
                "SELECT h.id FROM chat_handle_join AS j JOIN handle AS h ON h.ROWID = j.handle_id "
                "WHERE j.chat_id = ? ORDER BY h.ROWID",
                (chat_rowid,),
            ).fetchall()
            self._members[chat_rowid] = tuple(normalise_address(str(r[0])) for r in rows if r[0])
        return self._members[chat_rowid]


def _damaged_count(decoder: object) -> int:
    return decoder.damaged if isinstance(decoder, TextDecoder) else 0


def _changes(edited: object, retracted: object) -> tuple[tuple[str, str], ...]:
    """When the sender edited or unsent the message (macOS 13 / iOS 16 and later), as UTC. An
    unsent message keeps its row without its text."""
    found: list[tuple[str, str]] = []
    for key, value in (("edited_at", edited), ("retracted_at", retracted)):
        raw = _as_int(value)
        if raw:
            try:
                found.append((key, apple_time(raw).isoformat()))
            except OverflowError:
                found.append((key, f"out of range: {raw}"))
    return tuple(found)


def _as_int(value: object) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


class IMessageImporter:
    name: ClassVar[str] = "imessage_db"
    version: ClassVar[str] = "2"
    label: ClassVar[str] = "iMessage chat.db (macOS Messages / iOS sms.db)"

    def sniff(self, source: Source, head: bytes) -> int:
        if not head.startswith(SQLITE_MAGIC):
            return 0
        if b"chat_message_join" in head:
            return 95
        if source.display_name.lower() in {"chat.db", "sms.db"}:
            return 80
        return 10

    def parse(self, source: Source, options: ImportOptions) -> Iterator[ParseItem]:
        connection = _open_in_memory(source)
        try:
            if _was_wal(source):
                yield ParseWarning(
                    "this chat.db was copied in WAL mode: the newest messages may still be in "
                    "chat.db-wal, which is not part of this file. Quit Messages, copy again, "
                    "and add chat.db-wal as its own evidence if it is there",
                    Locator(byte_start=18),
                )
            tables = _tables(connection)
            _check_schema(tables)
            yield from self._rows(connection, tables, options)
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            # A damaged schema can fail anywhere, even as SQLite text that is not UTF-8.
            raise ImportFormatError(
                f"this SQLite database is damaged and cannot be read ({type(exc).__name__})"
            ) from exc
        finally:
            connection.close()

    def _rows(
        self, connection: sqlite3.Connection, tables: set[str], options: ImportOptions
    ) -> Iterator[ParseItem]:
        lookups = ChatDb(connection, tables)
        decoder = connection.text_factory
        seen: set[int] = set()
        last_row: int | None = None
        try:
            cursor = connection.execute(_message_query(_columns(connection, "message")))
            damaged = _damaged_count(decoder)
            for row in cursor:
                rowid = int(row[0])
                if rowid in seen:
                    continue
                seen.add(rowid)
                last_row = rowid
                yield from self._message(row, lookups, options)
                if _damaged_count(decoder) != damaged:
                    damaged = _damaged_count(decoder)
                    yield ParseWarning(
                        "some text in this row is not valid UTF-8; the bad bytes are shown as "
                        "\ufffd",
                        Locator(row=f"message.ROWID={rowid}"),
                    )
        except sqlite3.DatabaseError as exc:
            where = Locator(row=f"message.ROWID={last_row}") if last_row is not None else None
            raise ImportFormatError(
                f"the database is damaged and reading stopped: {exc}"
                + (" (after the row named)" if last_row is not None else ""),
                where,
            ) from exc

    def _message(
        self, row: Sequence[object], lookups: ChatDb, options: ImportOptions
    ) -> Iterator[ParseItem]:
        rowid = int(str(row[0]))
        (guid, text, body, _handle_id, service, date, is_from_me, item_type, assoc, _cache) = row[
            1:11
        ]
        edited, retracted = row[11:13]
        handle, display_name, chat_identifier, chat_rowid = row[13:17]
        locator = Locator(row=f"message.ROWID={rowid}")
        message_text, warning = self._text(text, body, locator, options)
        if warning is not None:
            yield warning
        raw_date = _as_int(date)
        occurred_at, ambiguity = self._when(raw_date)
        from_me = _as_int(is_from_me) == 1
        address = normalise_address(str(handle)) if handle else None
        attachments, paths = lookups.attachments(rowid)
        chat_id = _as_int(chat_rowid)
        yield Record(
            kind=RecordKind.SYSTEM if (_as_int(item_type) or 0) != 0 else RecordKind.MESSAGE,
            channel="sms" if service == "SMS" else "imessage",
            locator=locator,
            timestamp_text="" if date is None else str(date),
            occurred_at=occurred_at,
            timezone_assumed=None,
            ambiguity=ambiguity,
            sender=None if from_me else (str(handle) if handle else None),
            sender_address=None if from_me else address,
            recipients=self._recipients(from_me, address, lookups.members(chat_id)),
            direction=Direction.SENT if from_me else Direction.RECEIVED,
            thread=str(display_name or chat_identifier or "") or None,
            text=message_text,
            external_id=str(guid) if guid else None,
            attachments=attachments,
            extra=self._extra(service, chat_identifier, item_type, assoc, paths)
            + _changes(edited, retracted),
        )

    @staticmethod
    def _text(
        text: object, body: object, locator: Locator, options: ImportOptions
    ) -> tuple[str, ParseWarning | None]:
        if isinstance(text, str):
            return text, None
        if not isinstance(body, bytes) or not body:
            return "", None
        try:
            return decode_attributed_body(body, options.limits.max_text_chars), None
        except AttributedBodyError as exc:
            return "", ParseWarning(
                f"could not decode the message text from attributedBody: {exc}", locator
            )

    @staticmethod
    def _when(raw: int | None) -> tuple[datetime | None, str | None]:
        if raw is None or raw == 0:
            return None, "the row has no date"
        try:
            return apple_time(raw), None
        except OverflowError:
            return None, f"the date value {raw} is out of range"

    @staticmethod
    def _recipients(
        from_me: bool, address: str | None, members: tuple[str, ...]
    ) -> tuple[str, ...]:
        if not from_me:
            return ()
        if members:
            return members
        return (address,) if address else ()

    @staticmethod
    def _extra(
        service: object,
        chat_identifier: object,
        item_type: object,
        assoc: object,
        paths: tuple[str, ...],
    ) -> tuple[tuple[str, str], ...]:
        extra: list[tuple[str, str]] = []
        if service:
            extra.append(("service", str(service)))
        if chat_identifier:
            extra.append(("chat_identifier", str(chat_identifier)))
        if (_as_int(item_type) or 0) != 0:
            extra.append(("item_type", str(item_type)))
        if (_as_int(assoc) or 0) != 0:
            extra.append(("associated_message_type", str(assoc)))
        if paths:
            extra.append(("attachment_paths", "\n".join(paths)))
        return tuple(extra)
