"""Signs that things are getting worse, each with the entries that show it and when it began.

These are the changes police and advocates ask about: contact becoming more frequent, new kinds
of behaviour, moving from messages to turning up in person, threats and threats that name a
place, a time or a weapon, contact through other people, and breaches of an order. Each signal is
a fact with its evidence, never a score or a level of risk.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from safetrail.analysis.channels import (
    MESSAGE_CHANNELS,
    THIRD_PARTY_CHANNELS,
    is_physical,
)
from safetrail.analysis.model import PHYSICAL_TAGS, THREAT_TAGS, Event, Tag
from safetrail.analysis.pattern import Pattern
from safetrail.analysis.tally import Tally, tally_conduct
from safetrail.analysis.threat_cues import THREAT_CUES, threat_cues
from safetrail.analysis.timeline import Timeline, day_list_json, ids_json, iso_or_none
from safetrail.analysis.trend import RECENT_WEEKS, TrendResult, weekly_trend
from safetrail.analysis.words import label, label_text, plain_date
from safetrail.models.jsonvalue import JsonObject, JsonValue
from safetrail.models.timeutil import to_iso

WEEK_SECONDS = 7 * 24 * 3600
# Tags with their own, more specific signal below.
_OWN_SIGNAL_TAGS = THREAT_TAGS | {Tag.THIRD_PARTY_CONTACT, Tag.BREACH_OF_ORDER}


@dataclass(frozen=True, slots=True)
class Signal:
    """One sign of escalation: what, since when, which entries show it, in plain words."""

    signal: str
    since: datetime
    evidence: tuple[int, ...]
    description: str
    cues: tuple[str, ...] = ()

    def to_json(self) -> JsonObject:
        return {
            "signal": self.signal,
            "since": to_iso(self.since),
            "evidence": ids_json(self.evidence),
            "description": self.description,
            "cues": list[JsonValue](self.cues),
        }


@dataclass(frozen=True, slots=True)
class Breaches:
    """Conduct logged as breaching an order, grouped by the order the person named."""

    count: int
    days: tuple[date, ...]
    by_order: Mapping[str, tuple[int, ...]]
    event_ids: tuple[int, ...]
    first: datetime | None

    def to_json(self) -> JsonObject:
        return {
            "count": self.count,
            "occasions": len(self.days),
            "days": day_list_json(self.days),
            "by_order": {order: ids_json(ids) for order, ids in self.by_order.items()},
            "event_ids": ids_json(self.event_ids),
            "first": iso_or_none(self.first),
        }


@dataclass(frozen=True, slots=True)
class Escalation:
    """Every signal found (oldest first), the weekly trend test, breaches and threat entries."""

    signals: tuple[Signal, ...]
    trend: TrendResult
    breaches: Breaches
    threat_ids: tuple[int, ...]
    threat_message_ids: tuple[int, ...]

    def to_json(self) -> JsonObject:
        return {
            "signals": [signal.to_json() for signal in self.signals],
            "trend": self.trend.to_json(),
            "breaches": self.breaches.to_json(),
            "threats": {
                "event_ids": ids_json(self.threat_ids),
                "in_messages": ids_json(self.threat_message_ids),
            },
        }


class _Scan:
    """One pass over the conduct, remembering the first time each kind of thing happened."""

    def __init__(self) -> None:
        self.periods: dict[int, int] = {}
        self.recent_ids: list[int] = []
        self.first_remote: tuple[Event, datetime] | None = None
        self.first_physical: tuple[Event, datetime] | None = None
        self.first_threat: tuple[Event, datetime] | None = None
        self.threat_ids: list[int] = []
        self.threat_message_ids: list[int] = []
        self.threat_cues: dict[str, tuple[Event, datetime, str]] = {}
        self.first_third_party: tuple[Event, datetime] | None = None
        self.breaches: list[tuple[Event, datetime]] = []

    def add(self, event: Event, when: datetime) -> None:
        """Look at one notable entry: it may be the first of its kind."""
        if self.first_physical is None and is_physical(event):
            self.first_physical = (event, when)
        if not event.tags.isdisjoint(THREAT_TAGS):
            self._threat(event, when)
        if self.first_third_party is None and (
            Tag.THIRD_PARTY_CONTACT in event.tags or event.channel in THIRD_PARTY_CHANNELS
        ):
            self.first_third_party = (event, when)
        if event.breach_of:
            self.breaches.append((event, when))

    def _threat(self, event: Event, when: datetime) -> None:
        self.threat_ids.append(event.id)
        if event.channel in MESSAGE_CHANNELS:
            self.threat_message_ids.append(event.id)
        if self.first_threat is None:
            self.first_threat = (event, when)
        if not event.text or len(self.threat_cues) == len(THREAT_CUES):
            return
        for kind, words in threat_cues(event.text).items():
            self.threat_cues.setdefault(kind, (event, when, words))

    def weekly(self) -> tuple[int, ...]:
        """Seven-day periods counted back from `now`, oldest first, zeros included."""
        if not self.periods:
            return ()
        oldest = max(self.periods)
        return tuple(self.periods.get(period, 0) for period in range(oldest, -1, -1))


def _scan(tally: Tally, timeline: Timeline, now: datetime) -> _Scan:
    """Counts from the sorted instants by binary search; firsts from the notable entries only."""
    scan = _Scan()
    instants, now_ts = tally.instants, now.timestamp()
    if instants and instants[0] <= now_ts:
        oldest = int((now_ts - instants[0]) // WEEK_SECONDS)
        ends = [bisect_right(instants, now_ts - k * WEEK_SECONDS) for k in range(oldest + 2)]
        scan.periods = {k: ends[k] - ends[k + 1] for k in range(oldest + 1)}
        recent_start = bisect_right(instants, now_ts - RECENT_WEEKS * WEEK_SECONDS)
        scan.recent_ids = list(tally.ids[recent_start : ends[0]])
    scan.first_remote = _first_remote(timeline)
    for event, when in tally.notable:
        scan.add(event, when)
    return scan


def _first_remote(timeline: Timeline) -> tuple[Event, datetime] | None:
    """The first conduct at a distance (usually the very first entry, so this stops at once)."""
    for event, when in zip(timeline.events, timeline.local, strict=True):
        if event.by_subject and not is_physical(event):
            return event, when
    return None


def escalation_of(timeline: Timeline, pattern: Pattern, now: datetime) -> Escalation:
    """Find every escalation signal in one subject's conduct, with a trend test up to `now`."""
    return escalation_from_tally(tally_conduct(timeline), timeline, pattern, now)


def escalation_from_tally(
    tally: Tally, timeline: Timeline, pattern: Pattern, now: datetime
) -> Escalation:
    """As `escalation_of`, reusing the counting pass the pattern was built from."""
    scan = _scan(tally, timeline, now)
    trend = weekly_trend(scan.weekly())
    signals = [
        *_rising(trend, scan, now.astimezone(timeline.zone)),
        *_new_behaviours(pattern),
        *_online_to_physical(scan),
        *_threats(scan),
        *_third_party(scan),
        *_breach_signal(scan),
    ]
    signals.sort(key=lambda signal: (signal.since, signal.signal))
    return Escalation(
        tuple(signals),
        trend,
        _breaches(scan),
        tuple(scan.threat_ids),
        tuple(scan.threat_message_ids),
    )


def _rising(trend: TrendResult, scan: _Scan, now: datetime) -> list[Signal]:
    if not trend.rising or trend.rates is None or trend.mann_kendall is None:
        return []
    rates, test = trend.rates, trend.mann_kendall
    return [
        Signal(
            signal="contact_rising",
            since=datetime.fromtimestamp(now.timestamp() - RECENT_WEEKS * WEEK_SECONDS, now.tzinfo),
            evidence=tuple(scan.recent_ids),
            description=(
                f"In the last {RECENT_WEEKS} weeks {rates.recent_count} contacts were logged, "
                f"about {rates.recent_rate:.1f} a week, against about {rates.earlier_rate:.1f} "
                f"a week in the {rates.earlier_weeks} weeks before "
                f"(Mann-Kendall S = {test.s}, p = {test.p_increasing:.3g})."
            ),
        )
    ]


def _new_behaviours(pattern: Pattern) -> list[Signal]:
    """A behaviour first seen on a later day than the first conduct is a new behaviour."""
    first_contact = pattern.conduct.first_contact
    if first_contact is None:
        return []
    return [
        Signal(
            signal="new_behaviour",
            since=seen.first_seen,
            evidence=(seen.first_event,),
            description=f"{label(seen.tag)} first logged on {plain_date(seen.first_seen)}.",
            cues=(seen.tag.value,),
        )
        for seen in pattern.tags
        if seen.tag not in _OWN_SIGNAL_TAGS and seen.first_seen.date() > first_contact.date()
    ]


def _online_to_physical(scan: _Scan) -> list[Signal]:
    if scan.first_remote is None or scan.first_physical is None:
        return []
    remote, remote_when = scan.first_remote
    physical, physical_when = scan.first_physical
    if physical_when.date() <= remote_when.date():
        return []
    shown = sorted(tag.value for tag in physical.tags & PHYSICAL_TAGS) or [physical.channel]
    return [
        Signal(
            signal="online_to_physical",
            since=physical_when,
            evidence=(remote.id, physical.id),
            description=(
                f"Contact was only at a distance from {plain_date(remote_when)}; on "
                f"{plain_date(physical_when)} conduct in person was logged "
                f"({', '.join(label_text(name) for name in shown)})."
            ),
            cues=tuple(shown),
        )
    ]


def _threats(scan: _Scan) -> list[Signal]:
    if scan.first_threat is None:
        return []
    threat, when = scan.first_threat
    signals = [
        Signal(
            signal="first_threat",
            since=when,
            evidence=(threat.id,),
            description=f"The first threat logged was on {plain_date(when)}.",
        )
    ]
    for kind, (event, cue_when, words) in scan.threat_cues.items():
        later = " (later than the first threat)" if cue_when > when else ""
        signals.append(
            Signal(
                signal=f"threat_names_{kind}",
                since=cue_when,
                evidence=(event.id,),
                description=f"A threat on {plain_date(cue_when)} names a {kind}{later}.",
                cues=(f"{kind}: {words}",),
            )
        )
    return signals


def _third_party(scan: _Scan) -> list[Signal]:
    if scan.first_third_party is None:
        return []
    event, when = scan.first_third_party
    return [
        Signal(
            signal="third_party_contact",
            since=when,
            evidence=(event.id,),
            description=f"Contact through other people was first logged on {plain_date(when)}.",
        )
    ]


def _breaches(scan: _Scan) -> Breaches:
    by_order: dict[str, list[int]] = {}
    for event, _ in scan.breaches:
        by_order.setdefault(event.breach_of or "", []).append(event.id)
    return Breaches(
        count=len(scan.breaches),
        days=tuple(sorted({when.date() for _, when in scan.breaches})),
        by_order={order: tuple(ids) for order, ids in by_order.items()},
        event_ids=tuple(event.id for event, _ in scan.breaches),
        first=scan.breaches[0][1] if scan.breaches else None,
    )


def _breach_signal(scan: _Scan) -> list[Signal]:
    if not scan.breaches:
        return []
    breaches = _breaches(scan)
    first = scan.breaches[0][1]
    if breaches.count == 1:
        words = f"Conduct against an order was logged once, on {plain_date(first)}."
    else:
        days = "1 day" if len(breaches.days) == 1 else f"{len(breaches.days)} separate days"
        words = (
            f"Conduct against an order was logged {breaches.count} times, on {days}, first on "
            f"{plain_date(first)}."
        )
    return [
        Signal(
            signal="order_breached",
            since=first,
            evidence=breaches.event_ids,
            description=words,
            cues=tuple(breaches.by_order),
        )
    ]
