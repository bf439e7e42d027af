"""Records taken out of an evidence item by an importer: messages, calls, emails, posts, photos.

A record always points back to the exact place in the original it came from (its Locator), keeps
the timestamp text exactly as found, and says which time zone was assumed to read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class RecordKind(StrEnum):
    MESSAGE = "message"
    CALL = "call"
    EMAIL = "email"
    POST = "post"
    PHOTO = "photo"
    SYSTEM = "system"


class Direction(StrEnum):
    SENT = "sent"
    RECEIVED = "received"
    UNKNOWN = "unknown"


class CallType(StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"
    MISSED = "missed"
    VOICEMAIL = "voicemail"
    REJECTED = "rejected"
    BLOCKED = "blocked"
    ANSWERED_ELSEWHERE = "answered_elsewhere"
    UNKNOWN = "unknown"


@dataclass(slots=True)
class Locator:
    """Where in the original the record came from. Treat as immutable.

    Lines are 1-based and inclusive; byte offsets are 0-based, end exclusive, into the member (or
    the file when `member` is None). `row` is a stable row id in the source (an XML element index,
    a database rowid, a JSON message id). `member` names the file inside a zip or folder export.
    """

    line_start: int | None = None
    line_end: int | None = None
    byte_start: int | None = None
    byte_end: int | None = None
    row: str | None = None
    member: str | None = None

    def describe(self) -> str:
        parts: list[str] = []
        if self.member:
            parts.append(f"in {self.member}")
        if self.line_start is not None:
            if self.line_end is not None and self.line_end != self.line_start:
                parts.append(f"lines {self.line_start}-{self.line_end}")
            else:
                parts.append(f"line {self.line_start}")
        if self.byte_start is not None:
            parts.append(f"byte {self.byte_start}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        return ", ".join(parts) or "whole file"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file carried by a record (MMS part, email attachment, WhatsApp media in the zip).

    `data` holds the bytes when the importer has them (bounded by ImportOptions). When the source
    only names a file that is not there (media omitted), `data` is None and `missing` says why.
    """

    filename: str
    media_type: str
    data: bytes | None = None
    missing: str | None = None


@dataclass(slots=True)
class Record:
    """One message, call, email, post or photo, exactly as found.

    Treat as immutable. Not frozen only because frozen dataclasses cost several times more to
    build, and importers build millions of these.
    """

    kind: RecordKind
    channel: str
    locator: Locator
    timestamp_text: str
    occurred_at: datetime | None
    timezone_assumed: str | None = None
    ambiguity: str | None = None
    sender: str | None = None
    sender_address: str | None = None
    recipients: tuple[str, ...] = ()
    direction: Direction = Direction.UNKNOWN
    thread: str | None = None
    text: str = ""
    title: str | None = None
    call_type: CallType | None = None
    duration_seconds: int | None = None
    external_id: str | None = None
    attachments: tuple[Attachment, ...] = ()
    extra: tuple[tuple[str, str], ...] = field(default=())

    def __post_init__(self) -> None:
        if self.occurred_at is not None and self.occurred_at.tzinfo is None:
            raise ValueError("record times must carry a time zone")


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """Something the importer skipped or could not read, with where it was."""

    message: str
    locator: Locator


def record_to_data(record: Record) -> dict[str, object]:
    """A JSON-shaped view of a record (attachment bytes as their SHA-256), for golden tests."""
    import hashlib

    return {
        "kind": record.kind.value,
        "channel": record.channel,
        "locator": {
            "line_start": record.locator.line_start,
            "line_end": record.locator.line_end,
            "byte_start": record.locator.byte_start,
            "byte_end": record.locator.byte_end,
            "row": record.locator.row,
            "member": record.locator.member,
        },
        "timestamp_text": record.timestamp_text,
        "occurred_at": record.occurred_at.isoformat() if record.occurred_at else None,
        "timezone_assumed": record.timezone_assumed,
        "ambiguity": record.ambiguity,
        "sender": record.sender,
        "sender_address": record.sender_address,
        "recipients": list(record.recipients),
        "direction": record.direction.value,
        "thread": record.thread,
        "text": record.text,
        "title": record.title,
        "call_type": record.call_type.value if record.call_type else None,
        "duration_seconds": record.duration_seconds,
        "external_id": record.external_id,
        "attachments": [
            {
                "filename": a.filename,
                "media_type": a.media_type,
                "sha256": hashlib.sha256(a.data).hexdigest() if a.data is not None else None,
                "size": len(a.data) if a.data is not None else None,
                "missing": a.missing,
            }
            for a in record.attachments
        ],
        "extra": dict(record.extra),
    }
