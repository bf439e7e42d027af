"""One pass over the conduct that counts everything the pattern needs.

A million entries must be analysed in seconds, so the loop is written for CPython's speed: local
names, plain dicts keyed by day ordinals, and no per-event function calls beyond what is needed.
Per-subject tallies can be merged into an overall one without a second pass over the events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from safetrail.analysis.channels import NOTABLE_CHANNELS, NOTABLE_TAGS
from safetrail.analysis.model import Event, Tag
from safetrail.analysis.timeline import Timeline

DayCounts = dict[int, int]


@dataclass(slots=True)
class Tally:
    """Counts keyed by local day ordinal, the parallel lists bursts are found in, and the
    notable entries (see `channels.is_notable`) escalation looks at one by one."""

    daily: DayCounts = field(default_factory=dict)
    first_of_day: dict[int, tuple[float, int]] = field(default_factory=dict)
    by_channel: dict[str, DayCounts] = field(default_factory=dict)
    channel_first: dict[str, dict[int, tuple[float, int]]] = field(default_factory=dict)
    by_tag: dict[Tag, DayCounts] = field(default_factory=dict)
    heat: list[list[int]] = field(default_factory=lambda: [[0] * 24 for _ in range(7)])
    no_contact: list[tuple[Event, datetime]] = field(default_factory=list)
    tag_first: dict[Tag, tuple[Event, datetime]] = field(default_factory=dict)
    tag_last: dict[Tag, tuple[Event, datetime]] = field(default_factory=dict)
    approximate: int = 0
    first: datetime | None = None
    last: datetime | None = None
    instants: list[float] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    local: list[datetime] = field(default_factory=list)
    notable: list[tuple[Event, datetime]] = field(default_factory=list)


def tally_conduct(timeline: Timeline) -> Tally:
    """Count the subject's conduct (entries with by_subject True) in one pass."""
    tally = Tally()
    daily, first_of_day, by_channel = tally.daily, tally.first_of_day, tally.by_channel
    channel_first, no_contact, notable = tally.channel_first, tally.no_contact, tally.notable
    approximate = 0
    heat, instants, ids, local = tally.heat, tally.instants, tally.ids, tally.local
    # Counted per set of tags (few distinct sets), then spread to single tags after the loop.
    set_days: dict[frozenset[Tag], DayCounts] = {}
    set_first: dict[frozenset[Tag], Event] = {}
    set_last: dict[frozenset[Tag], Event] = {}
    for event, when, instant in zip(
        timeline.events, timeline.local, timeline.instants, strict=True
    ):
        if not event.by_subject:
            continue
        day = when.toordinal()
        daily[day] = daily.get(day, 0) + 1
        first_of_day.setdefault(day, (instant, event.id))
        channel = event.channel
        channel_days = by_channel.get(channel)
        if channel_days is None:
            channel_days = by_channel[channel] = {}
            channel_first[channel] = {}
        count = channel_days.get(day)
        if count is None:
            channel_days[day] = 1
            channel_first[channel][day] = (instant, event.id)
        else:
            channel_days[day] = count + 1
        heat[(day - 1) % 7][when.hour] += 1  # ordinal 1 (1 Jan 0001) was a Monday
        instants.append(instant)
        ids.append(event.id)
        local.append(when)
        tags = event.tags
        if tags:
            tag_set_days = set_days.get(tags)
            if tag_set_days is None:
                tag_set_days = set_days[tags] = {}
                set_first[tags] = event
            tag_set_days[day] = tag_set_days.get(day, 0) + 1
            set_last[tags] = event
        approximate += event.approximate  # a bool counts as 0 or 1: no branch needed
        if event.after_no_contact_request:
            no_contact.append((event, when))
        if event.breach_of or channel in NOTABLE_CHANNELS or not tags.isdisjoint(NOTABLE_TAGS):
            notable.append((event, when))
    tally.approximate = approximate
    if local:
        tally.first, tally.last = local[0], local[-1]
    _spread_tags(tally, set_days, set_first, set_last, timeline.zone)
    return tally


def _spread_tags(
    tally: Tally,
    set_days: dict[frozenset[Tag], DayCounts],
    set_first: dict[frozenset[Tag], Event],
    set_last: dict[frozenset[Tag], Event],
    zone: tzinfo,
) -> None:
    """Counts per set of tags become counts per tag (there are few distinct sets)."""
    for tags, counts in set_days.items():
        for tag in tags:
            _add_counts(tally.by_tag.setdefault(tag, {}), counts)
    for tags, event in set_first.items():
        pair = (event, event.at.astimezone(zone))
        _keep(tally.tag_first, dict.fromkeys(tags, pair), earliest=True)
    for tags, event in set_last.items():
        pair = (event, event.at.astimezone(zone))
        _keep(tally.tag_last, dict.fromkeys(tags, pair), earliest=False)


def merge_tallies(tallies: list[Tally]) -> Tally:
    """Combine per-subject tallies. Burst lists stay empty: bursts are found per subject."""
    merged = Tally()
    for part in tallies:
        _add_counts(merged.daily, part.daily)
        for day, first in part.first_of_day.items():
            merged.first_of_day[day] = min(merged.first_of_day.get(day, first), first)
        for channel, days in part.by_channel.items():
            _add_counts(merged.by_channel.setdefault(channel, {}), days)
        for channel, firsts in part.channel_first.items():
            into = merged.channel_first.setdefault(channel, {})
            for day, first in firsts.items():
                into[day] = min(into.get(day, first), first)
        for tag, days in part.by_tag.items():
            _add_counts(merged.by_tag.setdefault(tag, {}), days)
        for row, part_row in zip(merged.heat, part.heat, strict=True):
            row[:] = [a + b for a, b in zip(row, part_row, strict=True)]
        merged.no_contact.extend(part.no_contact)
        _keep(merged.tag_first, part.tag_first, earliest=True)
        _keep(merged.tag_last, part.tag_last, earliest=False)
        merged.approximate += part.approximate
        merged.first = _pick(merged.first, part.first, earliest=True)
        merged.last = _pick(merged.last, part.last, earliest=False)
    merged.no_contact.sort(key=lambda pair: pair[1])
    return merged


def _add_counts(into: DayCounts, counts: DayCounts) -> None:
    for day, count in counts.items():
        into[day] = into.get(day, 0) + count


def _keep(
    into: dict[Tag, tuple[Event, datetime]],
    other: dict[Tag, tuple[Event, datetime]],
    *,
    earliest: bool,
) -> None:
    for tag, pair in other.items():
        current = into.get(tag)
        if current is None or (pair[1] < current[1] if earliest else pair[1] > current[1]):
            into[tag] = pair


def _pick(current: datetime | None, other: datetime | None, *, earliest: bool) -> datetime | None:
    if current is None:
        return other
    if other is None:
        return current
    return min(current, other) if earliest else max(current, other)
