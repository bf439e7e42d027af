"""A generic CSV log of calls or messages, read through a column map the person gives.

`options.column_map` maps Safetrail's fields to the file's headers: "timestamp" (required), and
"text" and/or "duration"; optionally "sender", "recipient", "direction", "kind" (message|call),
"call_type", "thread", "id" (the source's own id) and "timestamp_format" (a strptime format, or
"unix" / "unix_ms"; the value is a format, not a header). Without a format, timestamps are read as
ISO 8601, then as day/month/year with a time. Slashed dates are never read month-first by guess:
the file itself must show the order (a day above 12), or `options.date_order` must say it.

The file is UTF-8 (a BOM is allowed). Records are found on the raw bytes, so each one points at
its exact lines and bytes even when a quoted field holds line breaks. Cells that look like
spreadsheet formulas (=, +, -, @) are kept exactly as text and never evaluated: anything that
exports them to a spreadsheet must escape them. Columns not in the map are kept in `extra` under
their header. Calls get the channel "call", messages "csv" (the log does not say which service
carried them). A row holding NUL bytes is skipped with a warning.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import BinaryIO, ClassVar

from safetrail.importers.base import (
    AmbiguousDateOrder,
    DateOrder,
    ImportFormatError,
    ImportOptions,
    Limits,
    ParseItem,
    Source,
)
from safetrail.importers.localtime import localise
from safetrail.models.identifiers import try_normalise_phone
from safetrail.models.record import (
    CallType,
    Direction,
    Locator,
    ParseWarning,
    Record,
    RecordKind,
)

BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
DELIMITERS = ",;\t|"
QUOTE = ord('"')
HEAD_BYTES = 64 * 1024
SNIFF_BYTES = 8 * 1024
FIELDS = frozenset(
    {
        "timestamp",
        "text",
        "duration",
        "sender",
        "recipient",
        "direction",
        "kind",
        "call_type",
        "thread",
        "id",
    }
)
SETTINGS = frozenset({"timestamp_format"})

ISO_START = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK = (
    r"(?:,?\s+|T)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?"
    r"(?:[\s\u202f]?(?P<ampm>[AaPp])\.?\s?[Mm]\.?)?"
)
"""The time after a date: 24-hour, or 12-hour with AM/PM as spreadsheets in US English write."""
SLASHED = re.compile(
    r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})" + _CLOCK
)
YEAR_FIRST = re.compile(r"(?P<y>\d{4})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<a>\d{1,2})" + _CLOCK)
CLOCK_DURATION = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})")
UNITS_DURATION = re.compile(r"(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s(?:ec)?)?", re.I)
PHONE_LIKE = re.compile(r"\+?[\d\s().-]{5,}")

SENT_WORDS = frozenset({"out", "outgoing", "sent", "outbound", "dialled", "dialed", "o"})
RECEIVED_WORDS = frozenset(
    {"in", "incoming", "received", "inbound", "missed", "i", "rejected", "declined", "voicemail"}
)
CALL_TYPES: Mapping[str, CallType] = {
    "incoming": CallType.INCOMING,
    "in": CallType.INCOMING,
    "received": CallType.INCOMING,
    "answered": CallType.INCOMING,
    "outgoing": CallType.OUTGOING,
    "out": CallType.OUTGOING,
    "dialled": CallType.OUTGOING,
    "dialed": CallType.OUTGOING,
    "missed": CallType.MISSED,
    "voicemail": CallType.VOICEMAIL,
    "rejected": CallType.REJECTED,
    "declined": CallType.REJECTED,
    "blocked": CallType.BLOCKED,
    "answered elsewhere": CallType.ANSWERED_ELSEWHERE,
}
KIND_WORDS: Mapping[str, RecordKind] = {
    "call": RecordKind.CALL,
    "voice": RecordKind.CALL,
    "phone": RecordKind.CALL,
    "message": RecordKind.MESSAGE,
    "sms": RecordKind.MESSAGE,
    "mms": RecordKind.MESSAGE,
    "text": RecordKind.MESSAGE,
}


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One CSV record as bytes, with where it lies in the file (end excludes the line break)."""

    data: bytes
    line_start: int
    line_end: int
    byte_start: int
    byte_end: int

    def locator(self, row: int | None = None) -> Locator:
        return Locator(
            line_start=self.line_start,
            line_end=self.line_end,
            byte_start=self.byte_start,
            byte_end=self.byte_end,
            row=None if row is None else str(row),
        )


def still_quoted(line: bytes, inside: bool, delimiter: int) -> bool:
    """Whether a quoted field is still open at the end of `line` (RFC 4180 quoting).

    A quote opens a quoted field only at the start of a field, as the csv module reads it; inside
    one, a doubled quote is an escaped quote.
    """
    if not inside and QUOTE not in line:
        return False
    i, n = 0, len(line)
    field_start = not inside
    while i < n:
        if inside:
            j = line.find(b'"', i)
            if j < 0:
                return True
            if j + 1 < n and line[j + 1] == QUOTE:
                i = j + 2
                continue
            inside, field_start, i = False, False, j + 1
        elif field_start and line[i] == QUOTE:
            inside, i = True, i + 1
        else:
            j = line.find(delimiter, i)
            if j < 0:
                return False
            field_start, i = True, j + 1
    return inside


def _line_break_length(line: bytes) -> int:
    if line.endswith(b"\r\n"):
        return 2
    return 1 if line.endswith(b"\n") else 0


def raw_records(stream: BinaryIO, delimiter: str, limits: Limits) -> Iterator[RawRecord]:
    """Split the byte stream into records, following quoted fields across line breaks."""
    delim = ord(delimiter)
    offset = 0
    line_no = 0
    if stream.read(3) == BOM:
        offset = 3
    else:
        stream.seek(0)
    parts: list[bytes] = []
    size = start_offset = start_line = 0
    inside = False
    while True:
        line = stream.readline(limits.max_line_bytes + 1)
        if not line:
            break
        line_no += 1
        if not parts:
            start_offset, start_line, size = offset, line_no, 0
        parts.append(line)
        size += len(line)
        offset += len(line)
        if size > limits.max_line_bytes:
            raise ImportFormatError(
                f"a record is longer than {limits.max_line_bytes} bytes; the file may be damaged "
                "or not a CSV log",
                Locator(line_start=start_line, line_end=line_no, byte_start=start_offset),
            )
        inside = still_quoted(line, inside, delim)
        if not inside:
            data = b"".join(parts)
            end = offset - _line_break_length(line)
            parts = []
            yield RawRecord(data[: end - start_offset], start_line, line_no, start_offset, end)
    if parts:
        data = b"".join(parts)
        yield RawRecord(data, start_line, line_no, start_offset, offset)


def decode_record(raw: RawRecord) -> str:
    try:
        return raw.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw.byte_start + exc.start
        raise ImportFormatError(
            f"the file is not UTF-8: byte {bad} (0x{raw.data[exc.start]:02x}) is not valid "
            "UTF-8. Save the log as 'CSV UTF-8' and import it again",
            Locator(line_start=raw.line_start, line_end=raw.line_end, byte_start=bad),
        ) from exc


def _field_count(header: str, delimiter: str) -> int:
    """Fields in the header line with this delimiter; 0 if it cannot be read (a stray CR)."""
    try:
        return len(next(csv.reader([header], delimiter=delimiter), []))
    except csv.Error:
        return 0


def detect_delimiter(head: bytes) -> str:
    """csv.Sniffer on the first lines, checked against the header line; ',' when unsure."""
    text = head[:SNIFF_BYTES].removeprefix(BOM).decode("utf-8", errors="replace")
    cut = text.rfind("\n")
    sample = text[: cut + 1] if cut > 0 else text
    header = sample.split("\n", 1)[0]
    counts = {d: _field_count(header, d) for d in DELIMITERS}
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed in counts and counts[sniffed] > 1:
        return sniffed
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 1 else ","


@dataclass(frozen=True, slots=True)
class Columns:
    """Header positions of each mapped field."""

    header: tuple[str, ...]
    positions: Mapping[str, int]

    def value(self, fields: list[str], name: str) -> str | None:
        at = self.positions.get(name)
        if at is None or at >= len(fields):
            return None
        return fields[at]


def resolve_columns(header: list[str], column_map: Mapping[str, str], where: Locator) -> Columns:
    unknown = sorted(set(column_map) - FIELDS - SETTINGS)
    if unknown:
        raise ImportFormatError(
            "unknown fields in the column map: "
            + ", ".join(unknown)
            + ". Known fields: "
            + ", ".join(sorted(FIELDS | SETTINGS)),
            where,
        )
    positions: dict[str, int] = {}
    for field_name, column in column_map.items():
        if field_name in SETTINGS:
            continue
        matches = [i for i, name in enumerate(header) if name == column]
        if not matches:
            raise ImportFormatError(
                f"the column {column!r} (for {field_name}) is not in this file. Headers found: "
                + ", ".join(repr(h) for h in header),
                where,
            )
        if len(matches) > 1:
            raise ImportFormatError(f"the header {column!r} appears more than once", where)
        positions[field_name] = matches[0]
    return Columns(tuple(header), positions)


def check_column_map(column_map: Mapping[str, str], header_hint: str) -> None:
    if "timestamp" not in column_map or not ({"text", "duration"} & set(column_map)):
        raise ImportFormatError(
            "a CSV log needs a column map saying which column holds what. Headers found: "
            + header_hint
            + ". Give at least timestamp=<header> and text=<header> or duration=<header>, "
            "for example: --map timestamp=Date --map text=Message --map sender=From"
        )


class TimestampReader:
    """Reads timestamps in one of: a strptime format, unix seconds/ms, ISO 8601, d/m/y.

    When the date order is not given, the first slashed date calls `find_order` once (a pass
    over the file for a date that reads only one way); it raises AmbiguousDateOrder if none does.
    """

    def __init__(
        self,
        fmt: str | None,
        order: DateOrder | None,
        zone: str,
        find_order: Callable[[], tuple[DateOrder, int]] | None = None,
    ) -> None:
        self.fmt = fmt
        self.order = order
        self.zone = zone
        self.order_note: str | None = None
        self._find_order = find_order

    def read(self, text: str) -> tuple[datetime, str | None, str | None]:
        """(time, zone assumed or None, ambiguity); ValueError when it cannot be read."""
        value = text.strip()
        if self.fmt in {"unix", "unix_ms"}:
            number = float(value)
            seconds = number / 1000 if self.fmt == "unix_ms" else number
            return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds), None, None
        if self.fmt:
            parsed = datetime.strptime(value, self.fmt)
        elif ISO_START.match(value) and not YEAR_FIRST.fullmatch(value):
            parsed = datetime.fromisoformat(value)
        else:
            parsed = self._slashed(value)
        if parsed.utcoffset() is not None:
            return parsed, None, None
        aware, ambiguity = localise(parsed, self.zone)
        return aware, self.zone, ambiguity

    def _slashed(self, value: str) -> datetime:
        match = YEAR_FIRST.fullmatch(value)
        order: str | None = "YMD"
        if match is None:
            match = SLASHED.fullmatch(value)
            order = self.order
        if match is None:
            raise ValueError("not a date and time this importer knows")
        if order is None and self._find_order is not None:
            found, self._find_order = self._find_order(), None
            self.order, order = found[0], found[0]
            self.order_note = f"{found[0]}, shown by the date on line {found[1]}"
        if order is None:
            raise ValueError("the date order (day or month first) is not known")
        first, second = int(match["a"]), int(match["b"])
        day, month = (second, first) if order == "MDY" else (first, second)
        year = int(match["y"])
        year += 2000 if year < 100 else 0
        return datetime(year, month, day, _hour(match), int(match["M"]), int(match["S"] or 0))


def _hour(match: re.Match[str]) -> int:
    hour = int(match["H"])
    ampm = match["ampm"]
    if ampm is None:
        return hour
    if not 1 <= hour <= 12:
        raise ValueError(f"hour {hour} cannot go with AM or PM")
    return hour % 12 + (12 if ampm in "Pp" else 0)


def date_order_evidence(value: str) -> DateOrder | None:
    """DMY or MDY when this slashed date can only be read one way; None when it reads both."""
    match = SLASHED.fullmatch(value.strip())
    if match is None:
        return None
    first, second = int(match["a"]), int(match["b"])
    if first > 12 >= second:
        return "DMY"
    if second > 12 >= first:
        return "MDY"
    return None


def parse_duration(text: str) -> int | None:
    value = text.strip()
    if value.isdigit():
        return int(value)
    clock = CLOCK_DURATION.fullmatch(value)
    if clock:
        return int(clock[1] or 0) * 3600 + int(clock[2]) * 60 + int(clock[3])
    units = UNITS_DURATION.fullmatch(value)
    if units and any(units.groups()):
        hours, minutes, seconds = (int(g or 0) for g in units.groups())
        return hours * 3600 + minutes * 60 + seconds
    return None


@lru_cache(maxsize=8192)
def phone_of(value: str) -> str | None:
    """E.164 form of a phone-looking value (cached: logs repeat the same few numbers)."""
    text = value.strip()
    return try_normalise_phone(text) if PHONE_LIKE.fullmatch(text) else None


def address_of(value: str) -> str | None:
    text = value.strip()
    if "@" in text and " " not in text:
        return text.lower()
    return phone_of(text)


def is_me(value: str, me: tuple[str, ...]) -> bool:
    folded = value.strip().casefold()
    phone = phone_of(value)
    for mine in me:
        if mine.strip().casefold() == folded:
            return True
        if phone is not None and phone_of(mine) == phone:
            return True
    return False


@dataclass(frozen=True, slots=True)
class RowContext:
    columns: Columns
    reader: TimestampReader
    options: ImportOptions


class CsvLogImporter:
    name: ClassVar[str] = "csv_log"
    version: ClassVar[str] = "2"
    label: ClassVar[str] = "CSV call or message log (with a column map)"

    def sniff(self, source: Source, head: bytes) -> int:
        if source.display_name.lower().endswith(".csv") and b"\x00" not in head[:4096]:
            return 10
        return 0

    def parse(self, source: Source, options: ImportOptions) -> Iterator[ParseItem]:
        if csv.field_size_limit() < options.limits.max_line_bytes:
            csv.field_size_limit(options.limits.max_line_bytes)
        with source.path.open("rb") as stream:
            head = stream.read(HEAD_BYTES)
            if head.startswith(UTF16_BOMS):
                raise ImportFormatError(
                    "this file is UTF-16; save it as 'CSV UTF-8' and import it again",
                    Locator(byte_start=0),
                )
            delimiter = detect_delimiter(head)
            stream.seek(0)
            records = raw_records(stream, delimiter, options.limits)
            header_raw = next(records, None)
            if header_raw is None:
                raise ImportFormatError("the file is empty")
            header = self._fields(header_raw, delimiter)
            header_locator = header_raw.locator()
            check_column_map(options.column_map, ", ".join(repr(h) for h in header))
            columns = resolve_columns(header, options.column_map, header_locator)
            context = self._context(source, options, columns, delimiter)
            yield from self._rows(records, delimiter, context)

    @staticmethod
    def _fields(raw: RawRecord, delimiter: str) -> list[str]:
        text = decode_record(raw)
        try:
            return next(csv.reader([text], delimiter=delimiter, strict=False), [])
        except csv.Error as exc:
            raise ImportFormatError(
                f"the header line cannot be read as CSV ({exc})", raw.locator()
            ) from exc

    def _context(
        self, source: Source, options: ImportOptions, columns: Columns, delimiter: str
    ) -> RowContext:
        fmt = options.column_map.get("timestamp_format") or None

        def find_order() -> tuple[DateOrder, int]:
            return self._find_date_order(source, delimiter, columns, options.limits)

        reader = TimestampReader(fmt, options.date_order, options.timezone, find_order)
        return RowContext(columns, reader, options)

    def _find_date_order(
        self, source: Source, delimiter: str, columns: Columns, limits: Limits
    ) -> tuple[DateOrder, int]:
        """A pass over the timestamp column for a date that can be read only one way."""
        with source.path.open("rb") as stream:
            records = raw_records(stream, delimiter, limits)
            next(records, None)
            for raw in records:
                if b"\x00" in raw.data:
                    continue
                value = columns.value(self._fields(raw, delimiter), "timestamp")
                evidence = date_order_evidence(value) if value else None
                if evidence is not None:
                    return evidence, raw.line_start
        raise AmbiguousDateOrder(
            "every date in this file reads both day-first and month-first (no day is above "
            "12). Say which it is: date order DMY (day first, UK) or MDY (month first, US)"
        )

    def _rows(
        self, records: Iterator[RawRecord], delimiter: str, context: RowContext
    ) -> Iterator[ParseItem]:
        bad_run = 0
        width = len(context.columns.header)
        limit = context.options.limits.max_consecutive_bad_lines
        for row_number, raw in enumerate(records, start=1):
            items = self._row(raw, row_number, delimiter, width, context)
            if not items:
                continue
            bad_run = 0 if any(isinstance(i, Record) for i in items) else bad_run + 1
            yield from items
            if bad_run > limit:
                raise ImportFormatError(
                    f"more than {limit} rows in a row could not be read; this does not look "
                    "like the log the column map describes",
                    raw.locator(row_number),
                )

    def _row(
        self, raw: RawRecord, row_number: int, delimiter: str, width: int, context: RowContext
    ) -> list[ParseItem] | None:
        locator = raw.locator(row_number)
        if b"\x00" in raw.data:
            return [ParseWarning("skipped: the row holds NUL bytes, so it is not text", locator)]
        text = decode_record(raw)
        if not text.strip():
            return None
        try:
            fields = next(csv.reader([text], delimiter=delimiter, strict=False), [])
        except csv.Error as exc:
            return [ParseWarning(f"skipped: the row cannot be read as CSV ({exc})", locator)]
        items: list[ParseItem] = []
        if len(fields) != width:
            items.append(
                ParseWarning(f"the row has {len(fields)} fields; the header has {width}", locator)
            )
        items.append(self._record(fields, locator, context))
        return items

    def _record(self, fields: list[str], locator: Locator, context: RowContext) -> ParseItem:
        columns, options = context.columns, context.options
        stamp = columns.value(fields, "timestamp")
        if stamp is None or not stamp.strip():
            return ParseWarning("skipped: the row has no timestamp", locator)
        try:
            occurred_at, zone, ambiguity = context.reader.read(stamp)
        except (ValueError, OverflowError) as exc:
            return ParseWarning(f"skipped: the timestamp {stamp!r} cannot be read ({exc})", locator)
        text = columns.value(fields, "text") or ""
        duration_text = columns.value(fields, "duration")
        kind = self._kind(columns.value(fields, "kind"), text, duration_text, columns)
        sender = columns.value(fields, "sender") or None
        call_type_text = columns.value(fields, "call_type")
        direction = self._direction(
            columns.value(fields, "direction") or call_type_text, sender, options.me
        )
        duration = parse_duration(duration_text) if duration_text else None
        extra = self._extra(fields, columns, context.reader.order_note, duration_text, duration)
        recipient = columns.value(fields, "recipient")
        return Record(
            kind=kind,
            channel="call" if kind is RecordKind.CALL else "csv",
            locator=locator,
            timestamp_text=stamp,
            occurred_at=occurred_at,
            timezone_assumed=zone,
            ambiguity=ambiguity,
            sender=sender,
            sender_address=address_of(sender) if sender else None,
            recipients=(recipient,) if recipient else (),
            direction=direction,
            thread=columns.value(fields, "thread") or None,
            text=text,
            call_type=self._call_type(kind, call_type_text, direction),
            duration_seconds=duration,
            external_id=columns.value(fields, "id") or None,
            extra=extra,
        )

    @staticmethod
    def _kind(raw: str | None, text: str, duration: str | None, columns: Columns) -> RecordKind:
        if raw and raw.strip().casefold() in KIND_WORDS:
            return KIND_WORDS[raw.strip().casefold()]
        if "text" not in columns.positions:
            return RecordKind.CALL
        if "duration" not in columns.positions:
            return RecordKind.MESSAGE
        return RecordKind.CALL if not text and duration else RecordKind.MESSAGE

    @staticmethod
    def _direction(raw: str | None, sender: str | None, me: tuple[str, ...]) -> Direction:
        word = (raw or "").strip().casefold()
        if word in SENT_WORDS:
            return Direction.SENT
        if word in RECEIVED_WORDS:
            return Direction.RECEIVED
        if sender and me:
            return Direction.SENT if is_me(sender, me) else Direction.RECEIVED
        return Direction.UNKNOWN

    @staticmethod
    def _call_type(kind: RecordKind, raw: str | None, direction: Direction) -> CallType | None:
        if kind is not RecordKind.CALL:
            return None
        if raw and raw.strip():
            return CALL_TYPES.get(raw.strip().casefold(), CallType.UNKNOWN)
        if direction is Direction.SENT:
            return CallType.OUTGOING
        if direction is Direction.RECEIVED:
            return CallType.INCOMING
        return CallType.UNKNOWN

    @staticmethod
    def _extra(
        fields: list[str],
        columns: Columns,
        order_note: str | None,
        duration_text: str | None,
        duration: int | None,
    ) -> tuple[tuple[str, str], ...]:
        mapped = set(columns.positions.values())
        extra: list[tuple[str, str]] = []
        for at, value in enumerate(fields):
            if at in mapped:
                continue
            name = columns.header[at] if at < len(columns.header) else f"column {at + 1}"
            extra.append((name, value))
        if order_note and SLASHED.fullmatch((columns.value(fields, "timestamp") or "").strip()):
            extra.append(("date_order", order_note))
        if duration_text and duration is None:
            extra.append(("duration_unread", duration_text))
        return tuple(extra)
