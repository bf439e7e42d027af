"""WhatsApp message headers: their many shapes, the day/month order, and local times.

A header is the timestamp (and on iOS its brackets) that opens every message line. Its shape
depends on the phone, the locale and the 12/24-hour setting. One export uses one shape, so the
shape is learnt from the first lines of the file and then matched with one compiled regex; a
continuation line that merely looks like some other date is not mistaken for a header.

Format-level marks stripped here: U+200E/U+200F before the header. U+202F, U+2009 and U+00A0 are
accepted as spaces inside the header only. `timestamp_text` keeps the header's characters exactly.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from safetrail.importers.base import AmbiguousDateOrder, DateOrder, ImportFormatError
from safetrail.models.record import Locator

_HSPACE = "[ \u202f\u2009\u00a0]"
_AMPM = f"{_HSPACE}?(?:[AaPp]\\.?{_HSPACE}?[Mm]\\.?|[πμ]\\.?{_HSPACE}?μ\\.?|[صم](?![\\w.]))"
"""An am/pm marker after the time: English and Spanish forms, Greek, Arabic."""
_AMPM_FIRST = f"(?:上午|下午|午前|午後|오전|오후){_HSPACE}?"
"""An am/pm marker before the time, as Chinese, Japanese and Korean exports write it."""
_MORNING = ("a", "π", "ص", "上午", "午前", "오전")
_AFTERNOON = ("p", "μ", "م", "下午", "午後", "오후")

GENERAL_HEADER = re.compile(
    r"[\u200e\u200f]*(?P<open>\[)?"
    r"(?P<date>\d{1,4}(?P<ds>[./-])(?P<dsp> ?)\d{1,2}(?P=ds)(?P=dsp)\d{1,4}(?P<dend>\.?))"
    r"(?P<dt>, | klo | à |\u060c | |,)"
    rf"(?P<time>(?P<first>{_AMPM_FIRST})?\d{{1,2}}(?P<ts>[:.])\d{{2}}(?P<sec>(?P=ts)\d{{2}})?"
    rf"(?P<ampm>{_AMPM})?)"
    r"(?(open)\] ?|(?P<close> [-–](?: |$)|: | ))"
)
"""Any header shape WhatsApp is known to write; used to learn a file's own shape."""

HEAD_LINES = 50
_FIRST_YEAR = 1970
_LAST_YEAR = 2099
_DIGITS = re.compile(r"\d+")
_ORDERS: tuple[str, ...] = ("DMY", "MDY", "YMD", "YDM")
_FIELD_POSITIONS = {"DMY": (2, 1, 0), "MDY": (2, 0, 1), "YMD": (0, 1, 2), "YDM": (0, 2, 1)}


class HeaderShape(NamedTuple):
    """The literal structure of one header shape (everything but the digits)."""

    bracketed: bool
    date_sep: str
    date_space: str
    date_end: str
    date_time_sep: str
    time_sep: str
    seconds: bool
    twelve_hour: bool
    close: str
    marker_first: bool = False

    def compile(self) -> re.Pattern[str]:
        sep = re.escape(self.date_sep + self.date_space)
        time = r"\d{1,2}" + re.escape(self.time_sep) + r"\d{2}"
        if self.seconds:
            time += re.escape(self.time_sep) + r"\d{2}"
        if self.marker_first:
            time = _AMPM_FIRST + time
        elif self.twelve_hour:
            time += _AMPM
        if self.bracketed:
            close = r"\] ?"
        elif self.close.strip() in ("-", "–"):
            close = " [-–](?: |$)"
        else:
            close = re.escape(self.close)
        return re.compile(
            r"[\u200e\u200f]*"
            + (r"\[" if self.bracketed else "")
            + rf"(?P<date>\d{{1,4}}{sep}\d{{1,2}}{sep}\d{{1,4}}{re.escape(self.date_end)})"
            + re.escape(self.date_time_sep)
            + f"(?P<time>{time})"
            + close
        )


def shape_of(match: re.Match[str]) -> HeaderShape:
    close = match.group("close") or ""
    return HeaderShape(
        bracketed=match.group("open") is not None,
        date_sep=match.group("ds"),
        date_space=match.group("dsp"),
        date_end=match.group("dend"),
        date_time_sep=match.group("dt"),
        time_sep=match.group("ts"),
        seconds=match.group("sec") is not None,
        twelve_hour=match.group("ampm") is not None or match.group("first") is not None,
        close=" - " if close.strip() in ("-", "–") else close,
        marker_first=match.group("first") is not None,
    )


def detect_shape(head_lines: Iterable[str]) -> HeaderShape | None:
    """The most common header shape among the first non-empty lines, or None."""
    shapes: Counter[HeaderShape] = Counter()
    seen = 0
    for line in head_lines:
        if not line.strip():
            continue
        seen += 1
        match = GENERAL_HEADER.match(line)
        if match is not None:
            shapes[shape_of(match)] += 1
        if seen >= HEAD_LINES:
            break
    if not shapes:
        return None
    return shapes.most_common(1)[0][0]


def _year(field: str) -> int | None:
    if len(field) == 4:
        return int(field)
    if len(field) == 2:
        return 2000 + int(field)
    return None


def date_in_order(date_text: str, order: str) -> date | None:
    """The calendar date the text names when read in `order`, or None if it names none."""
    fields = _DIGITS.findall(date_text)
    if len(fields) != 3:
        return None
    year_at, month_at, day_at = _FIELD_POSITIONS[order]
    year = _year(fields[year_at])
    month_field, day_field = fields[month_at], fields[day_at]
    if year is None or not _FIRST_YEAR <= year <= _LAST_YEAR:
        return None
    if len(month_field) > 2 or len(day_field) > 2:
        return None
    month, day = int(month_field), int(day_field)
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def readable_orders(date_text: str) -> frozenset[str]:
    return frozenset(o for o in _ORDERS if date_in_order(date_text, o) is not None)


@dataclass(frozen=True, slots=True)
class OrderDecision:
    order: str
    ambiguity: str | None


def _automatic(valid: frozenset[str]) -> str | None:
    """The order the file itself shows; None when day-first and month-first both fit."""
    if {"DMY", "MDY"} <= valid:
        return None
    return next(o for o in _ORDERS if o in valid)


def _consistent_orders(first_lines: Mapping[str, int], member: str | None) -> frozenset[str]:
    """The orders every real date in the file can be read in (empty if it has no real date)."""
    valid = frozenset(_ORDERS)
    seen = False
    for text, line in sorted(first_lines.items(), key=lambda item: item[1]):
        readable = readable_orders(text)
        if not readable:
            continue
        narrowed = valid & readable
        if not narrowed:
            raise ImportFormatError(
                f"the dates in this chat do not follow one day/month order: {text!r} cannot be "
                "read in the same order as the dates before it",
                Locator(line_start=line, member=member),
            )
        valid = narrowed
        seen = True
    return valid if seen else frozenset()


def decide_date_order(
    first_lines: Mapping[str, int], chosen: DateOrder | None, member: str | None
) -> OrderDecision:
    """Pick the date order from every header date in the file (date text -> first line)."""
    valid = _consistent_orders(first_lines, member)
    if not valid:
        raise ImportFormatError(
            "no message header in this chat has a real date", Locator(member=member)
        )
    automatic = _automatic(valid)
    if chosen is None:
        if automatic is None:
            raise AmbiguousDateOrder(
                "Every date in this chat could be read day-first or month-first, so the file "
                "alone does not show which it is. Please choose: --date-order DMY (day first, "
                "as in the UK) or --date-order MDY (month first, as in the US).",
                Locator(member=member),
            )
        return OrderDecision(automatic, None)
    if chosen not in valid:
        text, line = _first_unreadable(first_lines, chosen)
        raise ImportFormatError(
            f"the date order you chose ({chosen}) does not fit this chat: {text!r} cannot be read "
            "that way",
            Locator(line_start=line, member=member),
        )
    if automatic == chosen:
        return OrderDecision(chosen, None)
    return OrderDecision(
        chosen, f"day/month order chosen by you ({chosen}); the file alone does not show it"
    )


def _first_unreadable(first_lines: Mapping[str, int], order: str) -> tuple[str, int]:
    return min(
        (
            (text, line)
            for text, line in first_lines.items()
            if readable_orders(text) and order not in readable_orders(text)
        ),
        key=lambda item: item[1],
    )


def _afternoon(time_text: str) -> bool | None:
    """True for a pm marker, False for an am one, None for a 24-hour time."""
    folded = time_text.casefold()
    for morning, afternoon in zip(_MORNING, _AFTERNOON, strict=True):
        if morning in folded:
            return False
        if afternoon in folded:
            return True
    return None


def clock_time(time_text: str) -> tuple[int, int, int] | None:
    """(hour, minute, second) for a header time such as '9:05 p. m.' or '21.25.15'."""
    fields = _DIGITS.findall(time_text)
    hour, minute = int(fields[0]), int(fields[1])
    second = int(fields[2]) if len(fields) > 2 else 0
    afternoon = _afternoon(time_text)
    if afternoon is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if afternoon else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second


class LocalClock:
    """Turns header dates and times into aware datetimes in one zone, with caches."""

    def __init__(self, zone_name: str, order: str) -> None:
        try:
            self.zone = ZoneInfo(zone_name)
        except (ValueError, KeyError) as exc:
            raise ImportFormatError(f"unknown time zone {zone_name!r}") from exc
        self.order = order
        self._dates: dict[str, tuple[int, int, int, bool] | None] = {}
        self._times: dict[str, tuple[int, int, int] | None] = {}

    def read(self, date_text: str, time_text: str) -> tuple[datetime, str | None] | None:
        """The aware datetime of a header, plus a note when the wall-clock time was skipped or
        repeated by a clock change; None when the header names no real date or time."""
        day = self._dates.get(date_text)
        if day is None and date_text not in self._dates:
            day = self._learn_day(date_text)
        moment = self._times.get(time_text)
        if moment is None and time_text not in self._times:
            moment = self._times[time_text] = clock_time(time_text)
        if day is None or moment is None:
            return None
        year, month, dom, near_change = day
        local = datetime(year, month, dom, *moment, tzinfo=self.zone)
        if not near_change:
            return local, None
        return local, self._change_note(local)

    def _learn_day(self, date_text: str) -> tuple[int, int, int, bool] | None:
        found = date_in_order(date_text, self.order)
        value = None
        if found is not None:
            value = (found.year, found.month, found.day, self._offset_changes_near(found))
        self._dates[date_text] = value
        return value

    def _offset_changes_near(self, day: date) -> bool:
        offsets = {
            datetime(d.year, d.month, d.day, tzinfo=self.zone).utcoffset()
            for d in (day - timedelta(days=1), day, day + timedelta(days=1), day + timedelta(2))
        }
        return len(offsets) > 1

    def _change_note(self, local: datetime) -> str | None:
        if local.utcoffset() == local.replace(fold=1).utcoffset():
            return None
        back = local.astimezone(UTC).astimezone(self.zone)
        if back.replace(tzinfo=None) != local.replace(tzinfo=None):
            return (
                "this local time did not exist (the clocks went forward); read with the offset "
                "in force before the change"
            )
        return "this local time happened twice (the clocks went back); the first was used"
