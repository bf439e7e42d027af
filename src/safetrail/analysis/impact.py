"""Fear and impact: what the person recorded about how the conduct affected them.

PHA 1997 s.4A (and s.4) turn on fear of violence on at least two occasions, or serious alarm or
distress with a substantial adverse effect on usual day-to-day activities. The Home Office and
CPS examples of that effect are changed routes or work, moving home, extra security, ill-health
and changes to social life; these are the areas below. The cues are plain keywords, shown with
each match so the person can see why an entry was grouped where it was.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from safetrail.analysis.timeline import Timeline, day_list_json, ids_json
from safetrail.models.jsonvalue import JsonObject, JsonValue

AREA_LABELS: Mapping[str, str] = {
    "routes": "Routes and routines",
    "work": "Work or study",
    "moving_home": "Moving home",
    "security": "Security at home",
    "health": "Health",
    "social_life": "Social life",
    "children": "Children and family arrangements",
}

_CUES: Mapping[str, tuple[str, ...]] = {
    "routes": (
        r"route",
        r"different way",
        r"another way",
        r"long way",
        r"avoid\w*",
        r"(?:stopped|stop) (?:walking|running|driving|cycling)",
        r"taxi\w*",
        r"lift home",
        r"get (?:a )?lifts?",
        r"timetable",
        r"routine",
    ),
    "work": (
        r"work",
        r"job",
        r"shifts?",
        r"office",
        r"employ\w*",
        r"colleagues?",
        r"manager",
        r"boss",
        r"resign\w*",
        r"quit",
        r"sick (?:leave|note)",
        r"(?:university|college|lectures?|classes)",
    ),
    "moving_home": (
        r"mov(?:e|ed|ing) (?:out|house|home|away|in with)",
        r"new (?:flat|house|address|home)",
        r"relocat\w*",
        r"refuge",
        r"stay(?:ing|ed)? (?:with|at) (?:my |a )?(?:friend|mum|dad|parents|sister|brother)\w*",
        r"sofa",
    ),
    "security": (
        r"locks?",
        r"cameras?",
        r"cctv",
        r"doorbell",
        r"alarm",
        r"bolts?",
        r"chain on",
        r"curtains",
        r"blinds",
        r"security",
        r"changed? (?:my )?(?:number|phone|passwords?|email)",
        r"blocked",
        r"private (?:account|profile)",
    ),
    "health": (
        r"sleep\w*",
        r"nightmares?",
        r"panic",
        r"anxi\w*",
        r"depress\w*",
        r"doctor",
        r"\bgp\b",
        r"counsell\w*",
        r"therap\w*",
        r"medication",
        r"eat(?:ing)?",
        r"ill",
        r"stress\w*",
        r"shak\w*",
        r"cry\w*",
    ),
    "social_life": (
        r"friends?",
        r"going out",
        r"stopped going",
        r"social\w*",
        r"gym",
        r"club",
        r"church|mosque|temple|synagogue",
        r"isolat\w*",
        r"stay(?:ing|ed)? in",
        r"(?:deleted|closed|came off|left) (?:my )?(?:facebook|instagram|social media|accounts?)",
    ),
    "children": (
        r"children",
        r"kids?",
        r"(?:son|daughter)'?s? school",
        r"school run",
        r"pick(?:s|ed|ing)? (?:up )?(?:the )?(?:kids|children)",
        r"childcare|nursery",
    ),
}

CUES: Mapping[str, re.Pattern[str]] = {
    area: re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)
    for area, words in _CUES.items()
}


@dataclass(frozen=True, slots=True)
class Fear:
    """The occasions (local days) on which the person recorded fearing violence."""

    count: int
    days: tuple[date, ...]
    event_ids: tuple[int, ...]

    @property
    def occasions(self) -> int:
        return len(self.days)

    @property
    def two_or_more(self) -> bool:
        return self.occasions >= 2

    def to_json(self) -> JsonObject:
        return {
            "entries": self.count,
            "occasions": self.occasions,
            "two_or_more_occasions": self.two_or_more,
            "days": day_list_json(self.days),
            "event_ids": ids_json(self.event_ids),
        }


@dataclass(frozen=True, slots=True)
class LifeChange:
    """One area of daily life the person recorded changes in, with the words that placed it."""

    area: str
    label: str
    first: datetime
    days: tuple[date, ...]
    event_ids: tuple[int, ...]
    cues: tuple[str, ...]

    def to_json(self) -> JsonObject:
        return {
            "area": self.area,
            "label": self.label,
            "first": self.first.isoformat(),
            "days": day_list_json(self.days),
            "event_ids": ids_json(self.event_ids),
            "cues": list[JsonValue](self.cues),
        }


@dataclass(frozen=True, slots=True)
class Impact:
    """Fear of violence and changes to daily life, with every entry that records them."""

    fear: Fear
    changes: tuple[LifeChange, ...]
    recorded_impact: tuple[int, ...]

    def to_json(self) -> JsonObject:
        return {
            "fear_of_violence": self.fear.to_json(),
            "changes_to_daily_life": [change.to_json() for change in self.changes],
            "entries_with_impact_recorded": ids_json(self.recorded_impact),
        }


def area_cues(text: str) -> dict[str, list[str]]:
    """The areas of life a text mentions, with the distinct words that matched for each."""
    found: dict[str, list[str]] = {}
    for area, pattern in CUES.items():
        words = sorted({match.group(0).lower() for match in pattern.finditer(text)})
        if words:
            found[area] = words
    return found


class _Changes:
    def __init__(self) -> None:
        self.first: dict[str, datetime] = {}
        self.days: dict[str, set[date]] = {}
        self.ids: dict[str, list[int]] = {}
        self.cues: dict[str, set[str]] = {}

    def add(self, area: str, event_id: int, when: datetime, words: list[str]) -> None:
        self.first.setdefault(area, when)
        self.days.setdefault(area, set()).add(when.date())
        self.ids.setdefault(area, []).append(event_id)
        self.cues.setdefault(area, set()).update(words)

    def results(self) -> tuple[LifeChange, ...]:
        return tuple(
            LifeChange(
                area=area,
                label=AREA_LABELS[area],
                first=self.first[area],
                days=tuple(sorted(self.days[area])),
                event_ids=tuple(self.ids[area]),
                cues=tuple(sorted(self.cues[area])),
            )
            for area in AREA_LABELS
            if area in self.first
        )


def impact_of(timeline: Timeline) -> Impact:
    """Fear and changes from every entry in `timeline` (the person records them on incidents)."""
    fear_days: set[date] = set()
    fear_ids: list[int] = []
    recorded: list[int] = []
    changes = _Changes()
    for event, when in zip(timeline.events, timeline.local, strict=True):
        if event.feared_violence:
            fear_days.add(when.date())
            fear_ids.append(event.id)
        if not (event.changes_made or event.impact):
            continue
        recorded.append(event.id)
        for area, words in area_cues(f"{event.changes_made}\n{event.impact}").items():
            changes.add(area, event.id, when, words)
    return Impact(
        fear=Fear(len(fear_ids), tuple(sorted(fear_days)), tuple(fear_ids)),
        changes=changes.results(),
        recorded_impact=tuple(recorded),
    )


def merge_impacts(impacts: list[Impact]) -> Impact:
    """The person's fear and changes across every subject, without another pass."""
    fear_days = sorted({day for impact in impacts for day in impact.fear.days})
    by_area: dict[str, list[LifeChange]] = {}
    for impact in impacts:
        for change in impact.changes:
            by_area.setdefault(change.area, []).append(change)
    changes = tuple(
        LifeChange(
            area=area,
            label=AREA_LABELS[area],
            first=min(change.first for change in by_area[area]),
            days=tuple(sorted({day for change in by_area[area] for day in change.days})),
            event_ids=tuple(i for change in by_area[area] for i in change.event_ids),
            cues=tuple(sorted({cue for change in by_area[area] for cue in change.cues})),
        )
        for area in AREA_LABELS
        if area in by_area
    )
    return Impact(
        fear=Fear(
            count=sum(impact.fear.count for impact in impacts),
            days=tuple(fear_days),
            event_ids=tuple(i for impact in impacts for i in impact.fear.event_ids),
        ),
        changes=changes,
        recorded_impact=tuple(i for impact in impacts for i in impact.recorded_impact),
    )
