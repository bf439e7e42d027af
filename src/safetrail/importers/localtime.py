"""Reading wall-clock times that carry no zone (most exports) in the zone the person gives."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from safetrail.importers.base import ImportFormatError


def localise(naive: datetime, zone_name: str) -> tuple[datetime, str | None]:
    """Read a wall-clock time in `zone_name`. In a DST gap or overlap pick fold=0 and say so."""
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ImportFormatError(f"unknown time zone {zone_name!r}") from exc
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first, None
    round_trip = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != naive:
        return first, (
            f"{naive:%H:%M} did not exist on {naive:%Y-%m-%d} in {zone_name} (the clocks went "
            f"forward); read with the earlier offset as {first.isoformat()}"
        )
    return first, (
        f"{naive:%H:%M} happened twice on {naive:%Y-%m-%d} in {zone_name} (the clocks went "
        f"back); read as the first, {first.isoformat()}"
    )
