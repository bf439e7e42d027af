"""`analyse`: every analysis for every subject and overall, as one typed, JSON-ready result.

The caller builds Events and calls `analyse`; nothing here reads or writes anything. Conduct is
analysed per subject, because a course of conduct is one person's conduct; the overall pattern
(all entries together) feeds the tag list and the overall charts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from safetrail.analysis.escalation import Escalation, escalation_from_tally
from safetrail.analysis.impact import Impact, impact_of, merge_impacts
from safetrail.analysis.law import LawMapping, law_for
from safetrail.analysis.model import Event
from safetrail.analysis.offences import EW, offences_for
from safetrail.analysis.pattern import (
    DEFAULT_BURST_THRESHOLD,
    DEFAULT_BURST_WINDOW,
    Pattern,
    TagSeen,
    find_bursts,
    pattern_from_tally,
)
from safetrail.analysis.summary import closing, summarise
from safetrail.analysis.tally import Tally, merge_tallies, tally_conduct
from safetrail.analysis.timeline import Timeline, build_timeline, iso_or_none
from safetrail.models.jsonvalue import JsonObject
from safetrail.models.timeutil import to_iso


@dataclass(frozen=True, slots=True)
class SubjectAnalysis:
    """Everything about one subject's conduct; subject_id None gathers unlinked entries."""

    subject_id: int | None
    name: str
    pattern: Pattern
    escalation: Escalation
    impact: Impact
    law: LawMapping
    summary: str

    def to_json(self) -> JsonObject:
        conduct = self.pattern.conduct
        return {
            "subject_id": self.subject_id,
            "name": self.name,
            "occasions": conduct.occasions,
            "course_of_conduct": conduct.course_of_conduct,
            "first_contact": iso_or_none(conduct.first_contact),
            "last_contact": iso_or_none(conduct.last_contact),
            "escalation": [signal.to_json() for signal in self.escalation.signals],
            "trend": self.escalation.trend.to_json(),
            "breaches": self.escalation.breaches.to_json(),
            "pattern": self.pattern.to_json(),
            "impact": self.impact.to_json(),
            "law": self.law.to_json(),
            "summary": self.summary,
        }


@dataclass(frozen=True, slots=True)
class Analysis:
    """The whole analysis: per subject, overall, the tags, and a short plain summary."""

    timezone: str
    jurisdiction: str
    now: datetime
    subjects: tuple[SubjectAnalysis, ...]
    overall: Pattern
    overall_impact: Impact
    summary: str

    @property
    def tags(self) -> tuple[TagSeen, ...]:
        return self.overall.tags

    def to_json(self) -> JsonObject:
        return {
            "timezone": self.timezone,
            "jurisdiction": self.jurisdiction,
            "now": to_iso(self.now),
            "subjects": [subject.to_json() for subject in self.subjects],
            "tags": [seen.to_json() for seen in self.tags],
            "overall": {"pattern": self.overall.to_json(), "impact": self.overall_impact.to_json()},
            "summary": self.summary,
        }


def _who(subject_id: int | None, names: Mapping[int, str], several: bool) -> str | None:
    """How the summary names a subject; None for entries not yet linked to anyone."""
    if subject_id is None:
        return None
    if subject_id in names:
        return names[subject_id]
    return f"person {subject_id}" if several else "this person"


def analyse(
    events: Iterable[Event],
    timezone: str | tzinfo,
    jurisdiction: str = EW,
    now: datetime | None = None,
    *,
    names: Mapping[int, str] | None = None,
    burst_window: timedelta = DEFAULT_BURST_WINDOW,
    burst_threshold: int = DEFAULT_BURST_THRESHOLD,
) -> Analysis:
    """Analyse every subject's conduct, counting days in `timezone`, with weeks up to `now`.

    `now` defaults to the latest entry, so the same events always give the same answer.
    """
    offences_for(jurisdiction)  # fail early on an unknown jurisdiction
    timeline = build_timeline(events, timezone)
    when = now or (timeline.events[-1].at if timeline.events else None)
    if when is None or when.tzinfo is None:
        raise ValueError("`now` must be given, with a time zone, when there are no events")
    local_now = when.astimezone(timeline.zone)
    rules = _Rules(local_now, jurisdiction, burst_window, burst_threshold)
    parts = timeline.by_subject()
    counted = [
        _count(subject_id, part, _who(subject_id, names or {}, len(parts) > 1), rules)
        for subject_id, part in parts.items()
    ]
    subjects = tuple(subject for subject, _ in counted)
    overall, overall_impact = _overall(counted, rules)
    return Analysis(
        timezone=str(timezone),
        jurisdiction=jurisdiction,
        now=when,
        subjects=subjects,
        overall=overall,
        overall_impact=overall_impact,
        summary=_overall_summary(subjects),
    )


@dataclass(frozen=True, slots=True)
class _Rules:
    now: datetime
    jurisdiction: str
    burst_window: timedelta
    burst_threshold: int


def _count(
    subject_id: int | None, part: Timeline, who: str | None, rules: _Rules
) -> tuple[SubjectAnalysis, Tally]:
    """One subject: one counting pass, then the results built from the counts."""
    tally = tally_conduct(part)
    window, threshold = rules.burst_window, rules.burst_threshold
    bursts = find_bursts(tally.instants, tally.ids, tally.local, window, threshold)
    pattern = pattern_from_tally(tally, rules.now, subject_id, bursts, window, threshold)
    escalation = escalation_from_tally(tally, part, pattern, rules.now)
    return _subject(subject_id, who, part, pattern, escalation, rules.jurisdiction), tally


def _overall(counted: list[tuple[SubjectAnalysis, Tally]], rules: _Rules) -> tuple[Pattern, Impact]:
    """Everything together, merged from the subjects' counts rather than counted again."""
    if len(counted) == 1:
        only = counted[0][0]
        return only.pattern, only.impact
    subjects = [subject for subject, _ in counted]
    bursts = sorted(
        (burst for subject in subjects for burst in subject.pattern.bursts),
        key=lambda burst: burst.start,
    )
    pattern = pattern_from_tally(
        merge_tallies([tally for _, tally in counted]),
        rules.now,
        None,
        tuple(bursts),
        rules.burst_window,
        rules.burst_threshold,
    )
    return pattern, merge_impacts([subject.impact for subject in subjects])


def _subject(
    subject_id: int | None,
    who: str | None,
    part: Timeline,
    pattern: Pattern,
    escalation: Escalation,
    jurisdiction: str,
) -> SubjectAnalysis:
    impact = impact_of(part)
    return SubjectAnalysis(
        subject_id=subject_id,
        name=who or "",
        pattern=pattern,
        escalation=escalation,
        impact=impact,
        law=law_for(jurisdiction, pattern, escalation, impact),
        summary=summarise(pattern, escalation, impact, who),
    )


def _overall_summary(subjects: tuple[SubjectAnalysis, ...]) -> str:
    if not subjects:
        return f"Nothing is logged yet. {closing()}"
    return " ".join([*(subject.summary for subject in subjects), closing()])
