"""Outlook `.msg` files (OLE2 compound files holding MAPI properties), through `extract-msg`.

`extract-msg` is GPL-3.0, so it is not part of the core install: it is the optional extra
`safetrail[msg]`, imported only inside `parse`. Without it, `sniff` answers 0 and `parse` says
how to add it. Nothing here writes a file: `extract-msg` is only asked to read properties.

Times: the Date of the transport headers Outlook kept (exact text, with its offset) when there
are any; otherwise the MAPI submit time, a UTC instant (its ISO text is the timestamp_text, and
extra "time_source" says so).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from types import ModuleType
from typing import Any, ClassVar, TypeVar

from safetrail.importers.base import ImportFormatError, ImportOptions, ParseItem, Source
from safetrail.importers.email_import import (
    CHANNEL,
    HeaderValues,
    MessageState,
    direction_for,
    headers_from_text,
    html_to_text,
    parse_date_header,
    read_addresses,
    thread_of,
)
from safetrail.models.record import Attachment, Locator, Record, RecordKind

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEADER_PREFIX = "Microsoft Mail Internet Headers Version 2.0"
INSTALL_HINT = (
    "reading Outlook .msg files needs the optional extra: pip install 'safetrail[msg]' "
    "(it adds extract-msg, which is GPL-3.0 licensed)"
)

T = TypeVar("T")


def extract_msg_available() -> bool:
    """True when extract-msg can be imported, found without importing it."""
    try:
        return importlib.util.find_spec("extract_msg") is not None
    except (ImportError, ValueError):
        return False


def _load_extract_msg() -> ModuleType:
    try:
        return importlib.import_module("extract_msg")
    except ImportError as exc:
        raise ImportFormatError(INSTALL_HINT) from exc


def _read(getter: Callable[[], T], state: MessageState, what: str) -> T | None:
    """One property of the message; a property extract-msg cannot read becomes a warning."""
    try:
        return getter()
    except Exception as exc:  # extract-msg raises many types on damaged files
        state.warn(f"the {what} could not be read ({type(exc).__name__}: {str(exc)[:200]})")
        return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _body(message: Any, state: MessageState) -> str:
    plain = _text(_read(lambda: message.body, state, "plain text body"))
    if plain is not None:
        text = plain
    else:
        html = _read(lambda: message.htmlBody, state, "HTML body")
        text = html_to_text(html.decode("utf-8", "replace")) if isinstance(html, bytes) else ""
        if text:
            state.add_extra("text_source", "html")
    limit = state.options.limits.max_text_chars
    if len(text) > limit:
        state.warn(f"the message text is {len(text)} characters long; only {limit} were kept")
        text = text[:limit]
    return text


def _attachment(item: Any, number: int, state: MessageState) -> Attachment:
    name = _text(_read(lambda: item.longFilename, state, "attachment name"))
    name = name or _text(_read(lambda: item.shortFilename, state, "attachment name"))
    filename = state.bounded(name, "an attachment's file name") if name else f"unnamed-{number}"
    media_type = _text(_read(lambda: item.mimetype, state, "attachment type"))
    data = _read(lambda: item.data, state, f"attachment {filename[:80]!r}")
    limit = state.options.limits.max_attachment_bytes
    missing: str | None = None
    if not isinstance(data, bytes):
        missing = "an attached Outlook item, not a file: import it on its own"
        data = None
    elif len(data) > limit:
        missing = f"larger than the {limit} byte limit for attachments"
        data = None
    if missing:
        state.warn(f"attachment {filename[:80]!r} was not kept: {missing}")
    return Attachment(filename, (media_type or "application/octet-stream").lower(), data, missing)


def _time(
    headers: HeaderValues, message: Any, state: MessageState
) -> tuple[str, datetime | None, str | None, str | None]:
    """(timestamp_text, occurred_at, timezone_assumed, ambiguity)."""
    date_text = headers.first("date")
    if date_text:
        state.add_extra("time_source", "Date header")
        return (date_text, *parse_date_header(date_text, state))
    submitted = _read(lambda: message.date, state, "sent time")
    if isinstance(submitted, datetime):
        when = submitted if submitted.utcoffset() is not None else submitted.replace(tzinfo=UTC)
        state.add_extra("time_source", "MAPI submit time (UTC)")
        return when.isoformat(), when, None, None
    state.warn("the message has no date, so its time is unknown")
    return "", None, None, None


def _headers(message: Any, state: MessageState) -> HeaderValues:
    text = _text(_read(lambda: message.headerText, state, "transport headers")) or ""
    if text.startswith(HEADER_PREFIX):
        text = text[len(HEADER_PREFIX) :].lstrip()
    return headers_from_text(text, state)


def _record(message: Any, source: Source, options: ImportOptions) -> Iterator[ParseItem]:
    state = MessageState(locator=Locator(byte_start=0, byte_end=source.size), options=options)
    headers = _headers(message, state)
    timestamp_text, occurred_at, assumed, ambiguity = _time(headers, message, state)
    sender_text = _text(_read(lambda: message.sender, state, "sender"))
    senders = read_addresses([sender_text] if sender_text else [], state, "sender")
    sender_name, sender_address = senders[0] if senders else (None, None)
    to_cc = [
        value
        for value in (
            _text(_read(lambda: message.to, state, "To field")),
            _text(_read(lambda: message.cc, state, "Cc field")),
        )
        if value
    ]
    recipients = read_addresses(to_cc, state, "To/Cc")
    items = _read(lambda: list(message.attachments), state, "attachments") or []
    attachments = tuple(_attachment(item, n, state) for n, item in enumerate(items, start=1))
    text = _body(message, state)
    subject = _text(_read(lambda: message.subject, state, "subject"))
    message_id = _text(_read(lambda: message.messageId, state, "Message-ID"))
    state.add_extra("message_class", _text(_read(lambda: message.classType, state, "class")))
    state.add_extra("in_reply_to", headers.first("in-reply-to"))
    received = headers.all("received")
    state.add_extra("received_count", str(len(received)))
    state.add_extra("received_first", received[0].strip() if received else None)
    external_id = state.bounded(message_id, "the Message-ID") if message_id else None
    yield from state.all_warnings()
    yield Record(
        kind=RecordKind.EMAIL,
        channel=CHANNEL,
        locator=state.locator,
        timestamp_text=timestamp_text,
        occurred_at=occurred_at,
        timezone_assumed=assumed,
        ambiguity=ambiguity,
        sender=sender_name or sender_address,
        sender_address=sender_address,
        recipients=tuple(address for _, address in recipients if address),
        direction=direction_for(sender_address, [], options),
        thread=thread_of(headers) or message_id,
        text=text,
        title=subject,
        external_id=external_id,
        attachments=attachments,
        extra=tuple(state.extra),
    )


class OutlookMsgImporter:
    """An Outlook message saved as a `.msg` file (needs the optional extra `safetrail[msg]`)."""

    name: ClassVar[str] = "outlook_msg"
    version: ClassVar[str] = "2"
    label: ClassVar[str] = "Outlook message (.msg)"

    def sniff(self, source: Source, head: bytes) -> int:
        try:
            if not head.startswith(OLE_MAGIC) or not extract_msg_available():
                return 0
            return 90 if source.display_name.lower().endswith(".msg") else 40
        except Exception:
            return 0

    def parse(self, source: Source, options: ImportOptions) -> Iterator[ParseItem]:
        extract_msg = _load_extract_msg()
        try:
            message = extract_msg.openMsg(str(source.path), delayAttachments=False)
        except Exception as exc:  # every failure to open means the file cannot be read
            raise ImportFormatError(
                f"this is not an Outlook message that can be read ({type(exc).__name__}: "
                f"{str(exc)[:200]})",
                Locator(byte_start=0),
            ) from exc
        try:
            yield from _record(message, source, options)
        finally:
            message.close()
