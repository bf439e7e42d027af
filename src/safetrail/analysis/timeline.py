"""Events sorted once and given local times once, so every analysis shares one pass of work.

Days and weeks are counted in the casebook's time zone, not in UTC: a call at 23:30 UTC on a
summer evening is the next morning in London, and it is the person's day that matters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from safetrail.analysis.model import Event, event_ref
from safetrail.models.jsonvalue import JsonValue
from safetrail.models.timeutil import to_iso


@dataclass(frozen=True, slots=True)
class Timeline:
    """Events in time order: `events[i]` happened at `local[i]`, `instants[i]` seconds (UTC)."""

    events: tuple[Event, ...]
    local: tuple[datetime, ...]
    instants: tuple[float, ...]
    zone: tzinfo

    def by_subject(self) -> dict[int | None, Timeline]:
        """One timeline per subject, order kept; unlinked entries (None) come last."""
        groups: dict[int | None, list[int]] = {}
        for index, event in enumerate(self.events):
            groups.setdefault(event.subject_id, []).append(index)
        order: list[int | None] = [subject for subject in groups if subject is not None]
        if None in groups:
            order.append(None)
        return {subject: self._take(groups[subject]) for subject in order}

    def _take(self, indices: list[int]) -> Timeline:
        if len(indices) == len(self.events):
            return self
        events, local, instants = self.events, self.local, self.instants
        return Timeline(
            events=tuple([events[i] for i in indices]),
            local=tuple([local[i] for i in indices]),
            instants=tuple([instants[i] for i in indices]),
            zone=self.zone,
        )


def zone_for(timezone: str | tzinfo) -> tzinfo:
    """Accept an IANA name ("Europe/London") or a tzinfo."""
    return ZoneInfo(timezone) if isinstance(timezone, str) else timezone


def build_timeline(events: Iterable[Event], timezone: str | tzinfo) -> Timeline:
    """Sort by instant (stable, so equal times keep their given order) and localise once."""
    zone = zone_for(timezone)
    given = list(events)
    if any(event.at.tzinfo is None for event in given):
        naive = next(event for event in given if event.at.tzinfo is None)
        raise ValueError(f"event {naive.kind} {naive.id} has a time without a time zone")
    stamps = [event.at.timestamp() for event in given]
    order = sorted(range(len(given)), key=stamps.__getitem__)
    ordered = [given[i] for i in order]
    return Timeline(
        events=tuple(ordered),
        local=tuple([event.at.astimezone(zone) for event in ordered]),
        instants=tuple([stamps[i] for i in order]),
        zone=zone,
    )


def week_start(day: date) -> date:
    """Weeks run Monday to Sunday, as in ISO 8601."""
    return day - timedelta(days=day.weekday())


def iso_or_none(value: datetime | None) -> str | None:
    return None if value is None else to_iso(value)


def ids_json(ids: Sequence[int]) -> list[JsonValue]:
    """Event ids as people and tools read them: "incident:3", "record:1042"."""
    return [event_ref(i) for i in ids]


def day_list_json(days: Iterable[date]) -> list[JsonValue]:
    return [day.isoformat() for day in days]
