"""The pattern of conduct: separate occasions, frequency, bursts, time of day, contact after "stop".

A course of conduct needs conduct on at least two occasions (PHA 1997 s.7(3); Scotland s.39(6);
NI 2022 s.1). Safetrail counts an occasion as a separate local calendar day with conduct: two
calls on one afternoon are one occasion. It reports the count; it never says a legal test is met.
Everything here is one pass over the events (bursts add a second, linear, pass).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

from safetrail.analysis.model import Tag, event_ref
from safetrail.analysis.tally import Tally, tally_conduct
from safetrail.analysis.timeline import Timeline, day_list_json, ids_json, iso_or_none, week_start
from safetrail.models.jsonvalue import JsonObject, JsonValue
from safetrail.models.timeutil import to_iso

DEFAULT_BURST_WINDOW = timedelta(hours=1)
DEFAULT_BURST_THRESHOLD = 20
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class Occasion:
    """One local day with conduct: how many entries, and the first of them as evidence."""

    day: date
    count: int
    first_event: int

    def to_json(self) -> JsonObject:
        return {
            "day": self.day.isoformat(),
            "count": self.count,
            "first_event": event_ref(self.first_event),
        }


@dataclass(frozen=True, slots=True)
class CourseOfConduct:
    """Separate occasions of conduct by one subject, with first and last contact and the gaps."""

    subject_id: int | None
    occasions: int
    course_of_conduct: bool
    first_contact: datetime | None
    last_contact: datetime | None
    duration: timedelta | None
    days: tuple[Occasion, ...]
    longest_gap_days: int | None
    approximate_times: int

    @property
    def evidence(self) -> tuple[int, ...]:
        """The first entry of each occasion: enough to show every separate day."""
        return tuple(occasion.first_event for occasion in self.days)

    def to_json(self) -> JsonObject:
        return {
            "subject_id": self.subject_id,
            "occasions": self.occasions,
            "course_of_conduct": self.course_of_conduct,
            "first_contact": iso_or_none(self.first_contact),
            "last_contact": iso_or_none(self.last_contact),
            "duration_days": None if self.duration is None else self.duration.days,
            "longest_gap_days": self.longest_gap_days,
            "approximate_times": self.approximate_times,
            "days": [occasion.to_json() for occasion in self.days],
        }


@dataclass(frozen=True, slots=True)
class Frequency:
    """Counts per local day (only days with conduct) and per week (every week, zeros included).

    `first_by_channel` gives the first entry of each day on each channel, as evidence.

    Weekly series run from the week of the first conduct to the week of `now`, so a quiet
    recent spell shows as zeros rather than disappearing.
    """

    daily: Mapping[date, int]
    daily_by_channel: Mapping[str, Mapping[date, int]]
    daily_by_tag: Mapping[Tag, Mapping[date, int]]
    weeks: tuple[date, ...]
    weekly: tuple[int, ...]
    weekly_by_channel: Mapping[str, tuple[int, ...]]
    weekly_by_tag: Mapping[Tag, tuple[int, ...]]
    first_by_channel: Mapping[str, Mapping[date, int]]

    def to_json(self) -> JsonObject:
        return {
            "daily": _dated(self.daily),
            "daily_by_channel": {
                channel: _dated(counts) for channel, counts in self.daily_by_channel.items()
            },
            "daily_by_tag": {
                tag.value: _dated(counts) for tag, counts in self.daily_by_tag.items()
            },
            "weeks": day_list_json(self.weeks),
            "weekly": list[JsonValue](self.weekly),
            "weekly_by_channel": {
                channel: list[JsonValue](counts)
                for channel, counts in self.weekly_by_channel.items()
            },
            "weekly_by_tag": {
                tag.value: list[JsonValue](counts) for tag, counts in self.weekly_by_tag.items()
            },
        }


@dataclass(frozen=True, slots=True)
class Burst:
    """Many contacts close together: at least `threshold` inside one sliding window.

    Overlapping windows are merged, so a long barrage is one burst; `peak` is the most entries
    found inside any single window of the burst.
    """

    start: datetime
    end: datetime
    count: int
    peak: int
    event_ids: tuple[int, ...]

    def to_json(self) -> JsonObject:
        return {
            "start": to_iso(self.start),
            "end": to_iso(self.end),
            "count": self.count,
            "peak": self.peak,
            "event_ids": ids_json(self.event_ids),
        }


@dataclass(frozen=True, slots=True)
class Heatmap:
    """Counts by local day of week (rows, Monday first) and hour (columns, 0-23)."""

    counts: tuple[tuple[int, ...], ...]

    def to_json(self) -> JsonObject:
        return {
            "rows": list[JsonValue](WEEKDAYS),
            "counts": [list[JsonValue](row) for row in self.counts],
        }


@dataclass(frozen=True, slots=True)
class AfterNoContact:
    """Conduct logged after the person asked for no contact."""

    count: int
    occasions: int
    first: datetime | None
    event_ids: tuple[int, ...]

    def to_json(self) -> JsonObject:
        return {
            "count": self.count,
            "occasions": self.occasions,
            "first": iso_or_none(self.first),
            "event_ids": ids_json(self.event_ids),
        }


@dataclass(frozen=True, slots=True)
class TagSeen:
    """How often a behaviour was tagged, and its first and last appearance."""

    tag: Tag
    count: int
    first_seen: datetime
    last_seen: datetime
    first_event: int
    last_event: int

    def to_json(self) -> JsonObject:
        return {
            "tag": self.tag.value,
            "count": self.count,
            "first_seen": to_iso(self.first_seen),
            "last_seen": to_iso(self.last_seen),
            "first_event": event_ref(self.first_event),
            "last_event": event_ref(self.last_event),
        }


@dataclass(frozen=True, slots=True)
class Pattern:
    """Everything about the shape of one subject's conduct (or all conduct together)."""

    conduct: CourseOfConduct
    frequency: Frequency
    bursts: tuple[Burst, ...]
    heatmap: Heatmap
    after_no_contact: AfterNoContact
    tags: tuple[TagSeen, ...]
    burst_window: timedelta
    burst_threshold: int

    def to_json(self) -> JsonObject:
        return {
            "conduct": self.conduct.to_json(),
            "burst_rule": {
                "window_minutes": self.burst_window.total_seconds() / 60,
                "threshold": self.burst_threshold,
            },
            "frequency": self.frequency.to_json(),
            "bursts": [burst.to_json() for burst in self.bursts],
            "heatmap": self.heatmap.to_json(),
            "after_no_contact_request": self.after_no_contact.to_json(),
            "tags": [seen.to_json() for seen in self.tags],
        }


def pattern_of(
    timeline: Timeline,
    now: datetime,
    subject_id: int | None = None,
    burst_window: timedelta = DEFAULT_BURST_WINDOW,
    burst_threshold: int = DEFAULT_BURST_THRESHOLD,
) -> Pattern:
    """The pattern of the subject's conduct in `timeline`, with weeks running up to `now`."""
    tally = tally_conduct(timeline)
    bursts = find_bursts(tally.instants, tally.ids, tally.local, burst_window, burst_threshold)
    return pattern_from_tally(
        tally, now.astimezone(timeline.zone), subject_id, bursts, burst_window, burst_threshold
    )


def pattern_from_tally(
    tally: Tally,
    now: datetime,
    subject_id: int | None,
    bursts: tuple[Burst, ...],
    burst_window: timedelta = DEFAULT_BURST_WINDOW,
    burst_threshold: int = DEFAULT_BURST_THRESHOLD,
) -> Pattern:
    """Turn counts into results; `now` is local, and weekly series run up to its week."""
    last_day = max(now.date(), _last_day(tally))
    return Pattern(
        conduct=_course_of_conduct(tally, subject_id),
        frequency=_frequency(tally, last_day),
        bursts=bursts,
        heatmap=Heatmap(tuple(tuple(row) for row in tally.heat)),
        after_no_contact=_after_no_contact(tally),
        tags=_tags_seen(tally),
        burst_window=burst_window,
        burst_threshold=burst_threshold,
    )


def _last_day(tally: Tally) -> date:
    return date.min if tally.last is None else tally.last.date()


def _course_of_conduct(tally: Tally, subject_id: int | None) -> CourseOfConduct:
    ordinals = sorted(tally.daily)
    gaps = [later - earlier for earlier, later in pairwise(ordinals)]
    duration = None
    if tally.first is not None and tally.last is not None:
        duration = tally.last - tally.first
    return CourseOfConduct(
        subject_id=subject_id,
        occasions=len(ordinals),
        course_of_conduct=len(ordinals) >= 2,
        first_contact=tally.first,
        last_contact=tally.last,
        duration=duration,
        days=tuple(
            Occasion(date.fromordinal(day), tally.daily[day], tally.first_of_day[day][1])
            for day in ordinals
        ),
        longest_gap_days=max(gaps) if gaps else None,
        approximate_times=tally.approximate,
    )


def _frequency(tally: Tally, last_day: date) -> Frequency:
    if not tally.daily:
        return Frequency({}, {}, {}, (), (), {}, {}, {})
    first_week = week_start(date.fromordinal(min(tally.daily))).toordinal()
    weeks_count = (week_start(last_day).toordinal() - first_week) // 7 + 1

    def weekly(counts: Mapping[int, int]) -> tuple[int, ...]:
        series = [0] * weeks_count
        for day, count in counts.items():
            series[(day - first_week) // 7] += count
        return tuple(series)

    return Frequency(
        daily=_as_dates(tally.daily),
        daily_by_channel={name: _as_dates(c) for name, c in sorted(tally.by_channel.items())},
        daily_by_tag={tag: _as_dates(c) for tag, c in sorted(tally.by_tag.items())},
        weeks=tuple(date.fromordinal(first_week + 7 * i) for i in range(weeks_count)),
        weekly=weekly(tally.daily),
        weekly_by_channel={name: weekly(c) for name, c in sorted(tally.by_channel.items())},
        weekly_by_tag={tag: weekly(c) for tag, c in sorted(tally.by_tag.items())},
        first_by_channel={
            name: {date.fromordinal(day): firsts[day][1] for day in sorted(firsts)}
            for name, firsts in sorted(tally.channel_first.items())
        },
    )


def _as_dates(counts: Mapping[int, int]) -> dict[date, int]:
    return {date.fromordinal(day): counts[day] for day in sorted(counts)}


def _dated(counts: Mapping[date, int]) -> JsonObject:
    return {day.isoformat(): count for day, count in counts.items()}


def find_bursts(
    instants: Sequence[float],
    ids: Sequence[int],
    local: Sequence[datetime],
    window: timedelta = DEFAULT_BURST_WINDOW,
    threshold: int = DEFAULT_BURST_THRESHOLD,
) -> tuple[Burst, ...]:
    """Sliding window over sorted instants (seconds): two pointers, so linear in the events.

    A window holds the entries within `window` of its first entry (inclusive). Runs of windows
    that reach `threshold` and overlap are merged into one burst. `ids` and `local` (the local
    times) run parallel to `instants`.
    """
    if threshold < 1:
        raise ValueError("the burst threshold must be at least 1")
    span = window.total_seconds()
    runs: list[tuple[int, int, int]] = []  # first index, last index, peak
    left = 0
    for right, instant in enumerate(instants):
        while instant - instants[left] > span:
            left += 1
        size = right - left + 1
        if size < threshold:
            continue
        if runs and left <= runs[-1][1]:
            first, _, peak = runs[-1]
            runs[-1] = (first, right, max(peak, size))
        else:
            runs.append((left, right, size))
    return tuple(
        Burst(
            start=local[first],
            end=local[last],
            count=last - first + 1,
            peak=peak,
            event_ids=tuple(ids[first : last + 1]),
        )
        for first, last, peak in runs
    )


def _after_no_contact(tally: Tally) -> AfterNoContact:
    days = {when.toordinal() for _, when in tally.no_contact}
    return AfterNoContact(
        count=len(tally.no_contact),
        occasions=len(days),
        first=tally.no_contact[0][1] if tally.no_contact else None,
        event_ids=tuple(event.id for event, _ in tally.no_contact),
    )


def _tags_seen(tally: Tally) -> tuple[TagSeen, ...]:
    seen = [
        TagSeen(
            tag=tag,
            count=sum(tally.by_tag[tag].values()),
            first_seen=first_when,
            last_seen=tally.tag_last[tag][1],
            first_event=first_event.id,
            last_event=tally.tag_last[tag][0].id,
        )
        for tag, (first_event, first_when) in tally.tag_first.items()
    ]
    return tuple(sorted(seen, key=lambda item: (item.first_seen, item.tag.value)))
