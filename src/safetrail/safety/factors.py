"""Risk factors found in the evidence: facts, each linked to the entries that show it.

This never adds anything up, rates or ranks. It lists what is present so that the person and
the professionals they talk to can see it; judging danger is for a trained person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from safetrail.analysis.model import PHYSICAL_TAGS, Event, Tag
from safetrail.models.jsonvalue import JsonObject


@dataclass(frozen=True, slots=True)
class RiskFactor:
    id: str
    title: str
    explanation: str
    entries: tuple[tuple[str, int], ...]
    first_seen: datetime
    last_seen: datetime

    def to_json(self) -> JsonObject:
        return {
            "id": self.id,
            "title": self.title,
            "explanation": self.explanation,
            "entries": [{"kind": k, "id": i} for k, i in self.entries],
            "first_seen": self.first_seen.isoformat(),
            "last_seen": self.last_seen.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class FactorRule:
    id: str
    title: str
    explanation: str
    tags: frozenset[Tag]


FACTOR_RULES: tuple[FactorRule, ...] = (
    FactorRule(
        "threats",
        "Threats of violence",
        "They have threatened to hurt you or someone close to you.",
        frozenset({Tag.THREAT_OF_VIOLENCE}),
    ),
    FactorRule(
        "sexual-threats",
        "Sexual threats",
        "They have made threats of a sexual kind.",
        frozenset({Tag.THREAT_OF_SEXUAL_VIOLENCE}),
    ),
    FactorRule(
        "proximity",
        "Coming close to you in person",
        "They have followed you, waited near you, watched you, or come to places you go.",
        frozenset(PHYSICAL_TAGS - {Tag.INTERFERING_WITH_PROPERTY}),
    ),
    FactorRule(
        "property",
        "Interfering with your property",
        "They have damaged, moved or left things on your property.",
        frozenset({Tag.INTERFERING_WITH_PROPERTY}),
    ),
    FactorRule(
        "whereabouts",
        "Knowing where you are",
        "They seem to know where you are, where you live or what you are doing.",
        frozenset({Tag.KNOWLEDGE_OF_WHEREABOUTS}),
    ),
    FactorRule(
        "monitoring",
        "Watching your phone or accounts",
        "They may be able to see your messages, location or accounts. Talk to a helpline "
        "before removing apps or changing shared passwords: it could alert them.",
        frozenset({Tag.MONITORING, Tag.ACCOUNT_ACCESS}),
    ),
    FactorRule(
        "third-party",
        "Contact through other people",
        "They have reached you, or tried to, through friends, family or others.",
        frozenset({Tag.THIRD_PARTY_CONTACT}),
    ),
    FactorRule(
        "self-harm-pressure",
        "Threats to harm themselves",
        "They have said they will harm themselves to pressure you. That is not your fault.",
        frozenset({Tag.SELF_HARM_PRESSURE}),
    ),
    FactorRule(
        "breaches",
        "Breaking a court order",
        "Something they did may break a court order.",
        frozenset({Tag.BREACH_OF_ORDER}),
    ),
)

VIOLENCE = FactorRule(
    "violence", "Violence", "They have used violence against you or others.", frozenset()
)
ESCALATION = FactorRule(
    "escalation",
    "Getting worse",
    "What they do is becoming more frequent or more serious.",
    frozenset(),
)


def _entry(event: Event) -> tuple[str, int]:
    return ("incident", -event.id) if event.kind == "incident" else ("record", event.id)


def _factor(rule: FactorRule, hits: list[Event]) -> RiskFactor:
    ordered = sorted(hits, key=lambda e: (e.at, e.kind, e.id))
    return RiskFactor(
        rule.id,
        rule.title,
        rule.explanation,
        tuple(_entry(e) for e in ordered),
        ordered[0].at,
        ordered[-1].at,
    )


def factors_in(
    events: Iterable[Event],
    violence_incident_ids: frozenset[int] = frozenset(),
    escalation_evidence: Iterable[Event] = (),
) -> list[RiskFactor]:
    """The factors present in these events, in a fixed order; absent ones are simply not listed."""
    by_rule: dict[str, list[Event]] = {rule.id: [] for rule in FACTOR_RULES}
    violent: list[Event] = []
    for event in events:
        if not event.by_subject:
            continue
        for rule in FACTOR_RULES:
            if event.tags & rule.tags or (rule.id == "breaches" and event.breach_of):
                by_rule[rule.id].append(event)
        if event.kind == "incident" and -event.id in violence_incident_ids:
            violent.append(event)
    found = [_factor(rule, by_rule[rule.id]) for rule in FACTOR_RULES if by_rule[rule.id]]
    if violent:
        found.insert(0, _factor(VIOLENCE, violent))
    escalation = list({(e.kind, e.id): e for e in escalation_evidence}.values())
    if escalation:
        found.append(_factor(ESCALATION, escalation))
    return found
