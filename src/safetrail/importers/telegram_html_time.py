"""The time in a Telegram Desktop HTML page's date title, and how sure we can be of it.

tdesktop writes the exporting computer's wall-clock time: `12.03.2024 21:45:01`, and since 2022
with ` UTC+01:00` after it. Two things make that offset less plain than it looks:
- The offset is taken from the zone's *standard* time (Qt `displayName(StandardTime,
  OffsetName)`), so a summer message in London says `UTC+00:00` while its wall-clock time is
  BST. When the given time zone's standard offset is the one on the page and that zone was on
  summer time then, the time is read in the zone and the record says why.
- The very first versions (2018) wrote the year first: `2018.06.15 12:00:00`.
Without an offset the time is read in the given zone and marked as an assumption.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from safetrail.importers.base import ImportFormatError
from safetrail.importers.localtime import localise

_TIME = r"(\d{2}):(\d{2}):(\d{2})(?: UTC([+-])(\d{2}):(\d{2}))?"
_DAY_FIRST = re.compile(rf"\A\s*(\d{{2}})\.(\d{{2}})\.(\d{{4}}) {_TIME}\s*\Z")
_YEAR_FIRST = re.compile(rf"\A\s*(\d{{4}})\.(\d{{2}})\.(\d{{2}}) {_TIME}\s*\Z")
_LATEST_OFFSET = timedelta(hours=14)


@dataclass(frozen=True, slots=True)
class TitleTime:
    occurred_at: datetime
    timezone_assumed: str | None = None
    ambiguity: str | None = None


def read_title(title: str, zone_name: str) -> TitleTime | None:
    """The instant a date title names, or None if it is not a date."""
    parts = _parts(title)
    if parts is None:
        return None
    naive, offset = parts
    if offset is None:
        occurred, dst_note = localise(naive, zone_name)
        note = dst_note or (
            "the page gives the exporting computer's local time without its offset; read in "
            f"{zone_name}"
        )
        return TitleTime(occurred, zone_name, note)
    literal = naive.replace(tzinfo=timezone(offset))
    in_zone = naive.replace(tzinfo=_zone(zone_name))
    summer = in_zone.dst()
    standard = (in_zone.utcoffset() or timedelta()) - (summer or timedelta())
    if not summer or standard != offset:
        return TitleTime(literal)
    occurred, dst_note = localise(naive, zone_name)
    note = (
        f"the page says {title.strip()[-9:]}, but Telegram Desktop writes the standard-time "
        f"offset even in summer time; read as local time in {zone_name} "
        f"({occurred.isoformat()}). If the export was made on a computer without summer time, "
        f"the time is {literal.isoformat()}"
    )
    return TitleTime(occurred, zone_name, f"{note}; {dst_note}" if dst_note else note)


def _parts(title: str) -> tuple[datetime, timedelta | None] | None:
    day_first = _DAY_FIRST.match(title)
    match = day_first or _YEAR_FIRST.match(title)
    if match is None:
        return None
    first, second, third, hour, minute, sec = (int(match.group(n)) for n in range(1, 7))
    day, month, year = (first, second, third) if day_first else (third, second, first)
    try:
        naive = datetime(year, month, day, hour, minute, sec)
    except ValueError:
        return None
    if not match.group(7):
        return naive, None
    offset = timedelta(hours=int(match.group(8)), minutes=int(match.group(9)))
    if offset > _LATEST_OFFSET:
        return None
    return naive, -offset if match.group(7) == "-" else offset


def _zone(zone_name: str) -> ZoneInfo:
    try:
        return ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ImportFormatError(f"unknown time zone {zone_name!r}") from exc
