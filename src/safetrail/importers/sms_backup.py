"""SMS Backup & Restore (SyncTech, Android): the messages file and the calls file.

Two importers: "sms_backup_messages" reads sms-*.xml (root <smses>, <sms> and <mms> elements) and
"sms_backup_calls" reads calls-*.xml (root <calls>, <call> elements). The look-alike <allsms>
format of other backup apps is declined. Reading is streamed and defensive (sms_backup_xml).

Each record points at its element: `row` is "<tag>:<n>", n being the element's 0-based position
among the root's children (XPath /smses/*[n+1]), and `line_start` the line of its start tag.
`timestamp_text` is the `date` attribute exactly (a millisecond Unix epoch, so the time is UTC and
no zone is assumed). Every attribute but `body` and `date` is also kept in `extra` as found (cut
to limits.max_text_chars with a warning), except the app's "null" placeholders; derived values
are added as "box" (received, sent, draft, outbox, failed, queued), "date_sent_utc" (date_sent
read as seconds or ms, see sms_backup_fields.epoch_any_unit) and "presentation_text" for calls.
Message text is kept exactly: the SMS `body`, or the MMS text parts (sms_backup_mms).

Addresses become E.164 when they are phone numbers (otherwise they are kept as found); the
conversation (`thread`) is the `address` attribute's members joined with "~". A contact name of
"(Unknown)" is no name, and an MMS to a group has no sender name (its contact_name lists every
member). Sent, draft, outbox, failed and queued messages have no sender name: the phone's owner
wrote them, and the other party is in `recipients`. External ids are MMS `m_id`s.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from safetrail.importers.base import ImportOptions, Limits, ParseItem, Source
from safetrail.importers.sms_backup_fields import (
    MeMatcher,
    attribute_extras,
    clip,
    contact_name,
    epoch_any_unit,
    epoch_ms,
    normalise_address,
    present,
    split_addresses,
    thread_key,
)
from safetrail.importers.sms_backup_mms import read_mms_content
from safetrail.importers.sms_backup_xml import (
    BackupStream,
    TopElement,
    decoded_head,
    element_attributes,
    element_line,
    root_element_name,
)
from safetrail.models.record import CallType, Direction, Locator, ParseWarning, Record, RecordKind

MESSAGES_ROOT = "smses"
CALLS_ROOT = "calls"

_SENT_BOXES = {"2": "sent", "3": "draft", "4": "outbox", "5": "failed", "6": "queued"}
_MMS_SENT_BOXES = {"2": "sent", "3": "draft", "4": "outbox", "5": "failed"}
_CALL_TYPES = {
    "1": CallType.INCOMING,
    "2": CallType.OUTGOING,
    "3": CallType.MISSED,
    "4": CallType.VOICEMAIL,
    "5": CallType.REJECTED,
    "6": CallType.BLOCKED,
    "7": CallType.ANSWERED_ELSEWHERE,
}
_PRESENTATIONS = {"1": "allowed", "2": "restricted", "3": "unknown", "4": "payphone"}
_WITHHELD_NUMBERS = frozenset({"-1", "-2", "-3", "-4"})
"""What older Android versions store as the number of an unknown, private or payphone call."""

_SMS_FIELDS = frozenset({"body", "date"})
_MMS_FIELDS = frozenset({"date"})
_CALL_FIELDS = frozenset({"date"})
_DURATION = re.compile(r"\d{1,9}")


@dataclass(frozen=True, slots=True)
class _Context:
    limits: Limits
    me: MeMatcher


@dataclass(slots=True)
class _Common:
    """What every record of the file shares: where it is, when it was, its extras, its problems."""

    locator: Locator
    timestamp_text: str
    occurred_at: datetime | None
    extra: list[tuple[str, str]]
    problems: list[tuple[str, int | None]]


def _common(
    top: TopElement, attributes: dict[str, str], skip: frozenset[str], ctx: _Context
) -> _Common:
    element = top.element
    locator = Locator(line_start=element_line(element), row=f"{element.tag}:{top.index}")
    problems: list[tuple[str, int | None]] = []
    timestamp_text = attributes.get("date", "")
    occurred_at = epoch_ms(timestamp_text)
    if occurred_at is None:
        problems.append(
            (f"the date {timestamp_text[:40]!r} is not a time in ms; it is left unset", None)
        )
    extra, cut = attribute_extras(attributes, skip, ctx.limits.max_text_chars)
    for key in cut:
        problems.append(
            (f"the attribute {key[:40]!r} was cut to {ctx.limits.max_text_chars} characters", None)
        )
    sent_at = epoch_any_unit(attributes.get("date_sent"))
    if sent_at is not None:
        extra.append(("date_sent_utc", sent_at.isoformat()))
    return _Common(locator, timestamp_text, occurred_at, extra, problems)


def _message_text(raw: str, common: _Common, ctx: _Context) -> str:
    text, was_cut = clip(raw, ctx.limits.max_text_chars)
    if was_cut:
        common.problems.append(
            (
                f"the message text is {len(raw)} characters long; the first"
                f" {ctx.limits.max_text_chars} were taken (the original keeps it all)",
                None,
            )
        )
    return text


def _warnings(common: _Common) -> list[ParseWarning]:
    warnings: list[ParseWarning] = []
    for message, line in common.problems:
        where = common.locator
        if line is not None and line != where.line_start:
            where = Locator(line_start=line, row=where.row)
        warnings.append(ParseWarning(message, where))
    return warnings


_Parsed = tuple[Record, list[ParseWarning]]


def _sms_record(top: TopElement, ctx: _Context) -> _Parsed:
    attributes = element_attributes(top.element)
    common = _common(top, attributes, _SMS_FIELDS, ctx)
    if len(top.element):
        common.problems.append(("elements inside this <sms> were skipped", None))
    box_code = attributes.get("type", "").strip()
    members = split_addresses(attributes.get("address"))
    thread = thread_key(members)
    sender = sender_address = None
    recipients: tuple[str, ...] = ()
    if box_code == "1":
        direction, box = Direction.RECEIVED, "received"
        sender = contact_name(attributes.get("contact_name"))
        sender_address = thread
    elif box_code in _SENT_BOXES:
        direction, box = Direction.SENT, _SENT_BOXES[box_code]
        recipients = members
    else:
        direction, box = Direction.UNKNOWN, None
        recipients = members
    if box is not None:
        common.extra.append(("box", box))
    record = Record(
        kind=RecordKind.MESSAGE,
        channel="sms",
        locator=common.locator,
        timestamp_text=common.timestamp_text,
        occurred_at=common.occurred_at,
        sender=sender,
        sender_address=sender_address,
        recipients=recipients,
        direction=direction,
        thread=thread,
        text=_message_text(attributes.get("body", ""), common, ctx),
        title=present(attributes.get("subject")),
        extra=tuple(common.extra),
    )
    return record, _warnings(common) if common.problems else []


def _mms_direction(box_code: str, sender_address: str | None, ctx: _Context) -> Direction:
    if box_code == "1":
        return Direction.RECEIVED
    if box_code in _MMS_SENT_BOXES:
        return Direction.SENT
    if ctx.me.matches(sender_address):
        return Direction.SENT
    return Direction.RECEIVED if ctx.me and sender_address is not None else Direction.UNKNOWN


def _mms_record(top: TopElement, ctx: _Context) -> _Parsed:
    attributes = element_attributes(top.element)
    common = _common(top, attributes, _MMS_FIELDS, ctx)
    content = read_mms_content(top.element, ctx.limits)
    common.problems.extend(content.problems)
    box_code = attributes.get("msg_box", "").strip()
    members = split_addresses(attributes.get("address"))
    direction = _mms_direction(box_code, content.sender_address, ctx)
    one_to_one = direction is Direction.RECEIVED and len(members) == 1
    sender_address = content.sender_address
    if sender_address is None and one_to_one:
        sender_address = members[0]
    recipients = tuple(content.recipients)
    if not recipients and direction is Direction.SENT:
        recipients = members
    sender = contact_name(attributes.get("contact_name")) if one_to_one else None
    box = "received" if box_code == "1" else _MMS_SENT_BOXES.get(box_code)
    if box is not None:
        common.extra.append(("box", box))
    record = Record(
        kind=RecordKind.MESSAGE,
        channel="mms",
        locator=common.locator,
        timestamp_text=common.timestamp_text,
        occurred_at=common.occurred_at,
        sender=sender,
        sender_address=sender_address,
        recipients=recipients,
        direction=direction,
        thread=thread_key(members),
        text=_message_text("\n".join(content.texts), common, ctx),
        title=present(attributes.get("sub")),
        external_id=present(attributes.get("m_id")),
        attachments=tuple(content.attachments),
        extra=tuple(common.extra),
    )
    return record, _warnings(common) if common.problems else []


def _call_record(top: TopElement, ctx: _Context) -> _Parsed:
    attributes = element_attributes(top.element)
    common = _common(top, attributes, _CALL_FIELDS, ctx)
    if len(top.element):
        common.problems.append(("elements inside this <call> were skipped", None))
    call_type = _CALL_TYPES.get(attributes.get("type", "").strip(), CallType.UNKNOWN)
    number = present(attributes.get("number"))
    address = None if number is None or number.strip() in _WITHHELD_NUMBERS else number
    address = normalise_address(address) if address is not None else None
    presentation = _PRESENTATIONS.get(attributes.get("presentation", "").strip())
    if presentation is not None:
        common.extra.append(("presentation_text", presentation))
    duration = _duration(attributes.get("duration"), common)
    outgoing = call_type is CallType.OUTGOING
    if outgoing:
        direction = Direction.SENT
    else:
        direction = Direction.UNKNOWN if call_type is CallType.UNKNOWN else Direction.RECEIVED
    record = Record(
        kind=RecordKind.CALL,
        channel="call",
        locator=common.locator,
        timestamp_text=common.timestamp_text,
        occurred_at=common.occurred_at,
        sender=None if outgoing else contact_name(attributes.get("contact_name")),
        sender_address=None if outgoing else address,
        recipients=(address,) if outgoing and address is not None else (),
        direction=direction,
        call_type=call_type,
        duration_seconds=duration,
        extra=tuple(common.extra),
    )
    return record, _warnings(common) if common.problems else []


def _duration(raw: str | None, common: _Common) -> int | None:
    if raw is None:
        return None
    if _DURATION.fullmatch(raw.strip()) is None:
        common.problems.append((f"the call duration {raw[:20]!r} is not a number of seconds", None))
        return None
    return int(raw)


_MESSAGE_READERS: dict[str, Callable[[TopElement, _Context], _Parsed]] = {
    "sms": _sms_record,
    "mms": _mms_record,
}


def _skipped(top: TopElement) -> ParseWarning:
    tag = str(top.element.tag)[:40]
    return ParseWarning(
        f"an element this importer does not know, <{tag}>, was skipped",
        Locator(line_start=element_line(top.element), row=f"{tag}:{top.index}"),
    )


def _count_check(
    stream: BackupStream, held: int, what: str, elements: str
) -> Iterator[ParseWarning]:
    """The root's `count` says how many records the app wrote; a difference is worth knowing."""
    root = MESSAGES_ROOT if what == "messages" else CALLS_ROOT
    where = Locator(line_start=stream.root_line, row=root)
    declared = stream.root_attributes.get("count")
    if declared is None:
        yield ParseWarning(
            f"the file does not say how many {what} it holds (no count on <{root}>), so it"
            " could not be checked for completeness",
            where,
        )
    elif not declared.strip().isdigit():
        yield ParseWarning(f"the count on <{root}>, {declared[:20]!r}, is not a number", where)
    elif int(declared) != held:
        yield ParseWarning(
            f"the file says it holds {int(declared)} {what} but it holds {held} ({elements});"
            " the backup may be incomplete or edited",
            where,
        )


def _sniff_root(head: bytes, root: str, children: tuple[str, ...]) -> int:
    try:
        if root_element_name(head) != root:
            return 0
        text = decoded_head(head)
    except Exception:  # sniff never raises
        return 0
    return 95 if any(child in text for child in children) else 85


class SmsBackupMessagesImporter:
    name: ClassVar[str] = "sms_backup_messages"
    version: ClassVar[str] = "1"
    label: ClassVar[str] = "SMS Backup & Restore messages (Android sms-*.xml)"

    def sniff(self, source: Source, head: bytes) -> int:
        return _sniff_root(
            head, MESSAGES_ROOT, ("<sms ", "<mms ", "<sms\n", "<mms\n", "backup_set")
        )

    def parse(self, source: Source, options: ImportOptions) -> Iterator[ParseItem]:
        ctx = _Context(options.limits, MeMatcher(options.me))
        stream = BackupStream(source.path, MESSAGES_ROOT)
        held = 0
        for item in stream.elements():
            if isinstance(item, ParseWarning):
                yield item
            elif item.element.tag in _MESSAGE_READERS:
                held += 1
                record, warnings = _MESSAGE_READERS[item.element.tag](item, ctx)
                yield record
                yield from warnings
            else:
                yield _skipped(item)
        yield from _count_check(stream, held, "messages", "<sms> and <mms> elements")


class SmsBackupCallsImporter:
    name: ClassVar[str] = "sms_backup_calls"
    version: ClassVar[str] = "1"
    label: ClassVar[str] = "SMS Backup & Restore call log (Android calls-*.xml)"

    def sniff(self, source: Source, head: bytes) -> int:
        return _sniff_root(head, CALLS_ROOT, ("<call ", "<call\n"))

    def parse(self, source: Source, options: ImportOptions) -> Iterator[ParseItem]:
        ctx = _Context(options.limits, MeMatcher(options.me))
        stream = BackupStream(source.path, CALLS_ROOT)
        held = 0
        for item in stream.elements():
            if isinstance(item, ParseWarning):
                yield item
            elif item.element.tag == "call":
                held += 1
                record, warnings = _call_record(item, ctx)
                yield record
                yield from warnings
            else:
                yield _skipped(item)
        yield from _count_check(stream, held, "calls", "<call> elements")
