"""The law the logged facts touch: for each offence, which elements they are relevant to.

This is information with its sources, not legal advice. It never says an offence was committed
or a legal test is met: it says which logged facts are relevant to which element, with the
entries that show them, and what the log does not show yet. Police, prosecutors and courts
decide; the person is pointed to the National Stalking Helpline and the police for advice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from safetrail.analysis.channels import MESSAGE_CHANNELS, NETWORK_CHANNELS
from safetrail.analysis.escalation import Escalation
from safetrail.analysis.impact import Impact
from safetrail.analysis.model import STATUTORY_TAGS, THREAT_TAGS, Tag
from safetrail.analysis.offences import Element, ElementSpec, Offence, offences_for
from safetrail.analysis.pattern import Pattern, TagSeen
from safetrail.analysis.timeline import ids_json
from safetrail.analysis.words import label_text, plain_date
from safetrail.models.jsonvalue import JsonObject, JsonValue

Status = Literal["facts_logged", "not_yet_shown", "not_for_a_log"]

NOTICE = (
    "This is information, with its sources, about offences that the things you have logged may "
    "be relevant to. It is not legal advice. It does not say that an offence has been committed: "
    "only the police, prosecutors and courts decide that."
)
ADVICE = (
    "For advice about your situation, contact the National Stalking Helpline (see Safetrail's "
    "support directory for its checked number) or the police. If you are in immediate danger, "
    "call 999."
)
CONDUCT_LIST_TAGS = STATUTORY_TAGS | {Tag.GIFTS} | THREAT_TAGS


@dataclass(frozen=True, slots=True)
class Finding:
    """One element of an offence and what the log shows about it."""

    element: Element
    wording: str
    status: Status
    facts: str
    evidence: tuple[int, ...]

    def to_json(self) -> JsonObject:
        return {
            "element": self.element.value,
            "wording": self.wording,
            "status": self.status,
            "facts": self.facts,
            "evidence": ids_json(self.evidence),
        }


@dataclass(frozen=True, slots=True)
class OffenceRelevance:
    """An offence, the logged facts relevant to each of its elements, and what is not shown."""

    offence: Offence
    findings: tuple[Finding, ...]

    @property
    def relevant(self) -> bool:
        return any(finding.status == "facts_logged" for finding in self.findings)

    @property
    def not_yet_shown(self) -> tuple[str, ...]:
        return tuple(f.wording for f in self.findings if f.status == "not_yet_shown")

    def to_json(self) -> JsonObject:
        offence = self.offence
        return {
            "id": offence.id,
            "title": offence.title,
            "law": offence.law,
            "single_incident_can_be_enough": offence.single_incident,
            "sources": list[JsonValue](offence.sources),
            "caution": offence.caution,
            "facts_relevant": self.relevant,
            "elements": [finding.to_json() for finding in self.findings],
            "not_yet_shown": list[JsonValue](self.not_yet_shown),
        }


@dataclass(frozen=True, slots=True)
class LawMapping:
    """Every offence listed for the jurisdiction, with the notice and where to get advice."""

    jurisdiction: str
    offences: tuple[OffenceRelevance, ...]
    notice: str = NOTICE
    advice: str = ADVICE

    def to_json(self) -> JsonObject:
        return {
            "jurisdiction": self.jurisdiction,
            "notice": self.notice,
            "advice": self.advice,
            "offences": [offence.to_json() for offence in self.offences],
        }


@dataclass(frozen=True, slots=True)
class _Facts:
    pattern: Pattern
    escalation: Escalation
    impact: Impact
    tags: Mapping[Tag, TagSeen]
    message_days: Mapping[date, int]
    network_days: Mapping[date, int]
    threat_ids: tuple[int, ...]
    threat_message_ids: tuple[int, ...]


def _gather(pattern: Pattern, escalation: Escalation, impact: Impact) -> _Facts:
    """Facts from the results already computed: no further pass over the entries."""
    return _Facts(
        pattern=pattern,
        escalation=escalation,
        impact=impact,
        tags={seen.tag: seen for seen in pattern.tags},
        message_days=_first_per_day(pattern, MESSAGE_CHANNELS),
        network_days=_first_per_day(pattern, NETWORK_CHANNELS),
        threat_ids=escalation.threat_ids,
        threat_message_ids=escalation.threat_message_ids,
    )


def _first_per_day(pattern: Pattern, channels: frozenset[str]) -> dict[date, int]:
    """One entry per day on any of `channels`: evidence that stays short however busy."""
    firsts: dict[date, int] = {}
    for channel, days in pattern.frequency.first_by_channel.items():
        if channel in channels:
            for day, event_id in days.items():
                firsts.setdefault(day, event_id)
    return dict(sorted(firsts.items()))


Check = Callable[[_Facts], tuple[Status, str, tuple[int, ...]]]


def _course(facts: _Facts) -> tuple[Status, str, tuple[int, ...]]:
    conduct = facts.pattern.conduct
    if conduct.first_contact is None or conduct.last_contact is None:
        return "not_yet_shown", "No conduct by this person is logged yet.", ()
    span = f"from {plain_date(conduct.first_contact)} to {plain_date(conduct.last_contact)}"
    if not conduct.course_of_conduct:
        return (
            "not_yet_shown",
            f"Conduct is logged on 1 occasion ({plain_date(conduct.first_contact)}); a course "
            "of conduct needs at least two.",
            conduct.evidence,
        )
    gap = f"; the longest gap between them is {conduct.longest_gap_days} days"
    return (
        "facts_logged",
        f"Conduct is logged on {conduct.occasions} separate days, {span}{gap}.",
        conduct.evidence,
    )


def _tag_facts(facts: _Facts, wanted: frozenset[Tag]) -> tuple[Status, str, tuple[int, ...]]:
    present = [facts.tags[tag] for tag in sorted(wanted) if tag in facts.tags]
    if not present:
        return "not_yet_shown", "None of these behaviours is tagged in the log yet.", ()
    listed = ", ".join(f"{label_text(seen.tag.value)} ({seen.count})" for seen in present)
    return (
        "facts_logged",
        f"Behaviours logged: {listed}.",
        tuple(seen.first_event for seen in present),
    )


def _stalking_behaviours(facts: _Facts) -> tuple[Status, str, tuple[int, ...]]:
    return _tag_facts(facts, STATUTORY_TAGS)


def _conduct_list(facts: _Facts) -> tuple[Status, str, tuple[int, ...]]:
    return _tag_facts(facts, CONDUCT_LIST_TAGS)


def _alarm_or_distress(facts: _Facts) -> tuple[Status, str, tuple[int, ...]]:
    impact = facts.impact
    ids = tuple(dict.fromkeys((*impact.fear.event_ids, *impact.recorded_impact)))
    if not ids:
        return "not_yet_shown", "No entry records how this affected you yet.", ()
    return (
        "facts_logged",
        f"You recorded how this affected you in {len(ids)} entries.",
        ids,
    )


def _fear_text(facts: _Facts) -> str:
    fear = facts.impact.fear
    days = ", ".join(plain_date(day) for day in fear.days[:5])
    more = f" and {fear.occasions - 5} more" if fear.occasions > 5 else ""
    times = "1 occasion" if fear.occasions == 1 else f"{fear.occasions} separate occasions"
    return f"You recorded fear of violence on {times} ({days}{more})."


def _fear_twice(facts: _Facts) -> tuple[Status, str, tuple[int, ...]]:
    fear = facts.impact.fear
    if fear.occasions == 0:
        return "not_yet_shown", "No entry records fear of violence yet.", ()
    status: Status = "facts_logged" if fear.two_or_more else "not_yet_shown"
    return status, _fear_text(facts), fear.event_ids


def _daily_life_text(facts: _Facts) -> str:
    areas = ", ".join(change.label.lower() for change in facts.impact.changes)
    return f"You recorded changes to daily life in these areas: {areas}."


def _fear_twice_or_daily_life(facts: _Facts) -> tuple[Status, str, tuple[int, ...]]:
    fear = facts.impact.fear
    changes = facts.impact.changes
    parts: list[str] = []
    ids: list[int] = []
    if fear.occasions:
        parts.append(_fear_text(facts))
        ids.extend(fear.event_ids)
    if changes:
        parts.append(_daily_life_text(facts))
        ids.extend(event_id for change in changes for event_id in change.event_ids)
    if not parts:
        return "not_yet_shown", "No entry records fear of violence or changes to daily life.", ()
    status: Status = "facts_logged" if fear.two_or_more or changes else "not_yet_shown"
    return status, " ".join(parts), tuple(dict.fromkeys(ids))


def _fear_or_alarm(facts: _Facts) -> tuple[Status, str, tuple[int, ...]]:
    status, text, ids = _alarm_or_distress(facts)
    if facts.impact.fear.occasions:
        return "facts_logged", f"{_fear_text(facts)} {text}", ids
    return status, text, ids


def _threatening(facts: _Facts) -> tuple[Status, str, tuple[int, ...]]:
    if facts.threat_ids:
        return (
            "facts_logged",
            f"Threats are tagged in {len(facts.threat_ids)} entries.",
            facts.threat_ids,
        )
    fear = facts.impact.fear
    if fear.occasions:
        return "facts_logged", _fear_text(facts), fear.event_ids
    return "not_yet_shown", "No threat or fear of violence is logged yet.", ()


def _days_facts(days: Mapping[date, int], what: str) -> tuple[Status, str, tuple[int, ...]]:
    if not days:
        return "not_yet_shown", f"No {what} from this person is logged yet.", ()
    return (
        "facts_logged",
        f"{what.capitalize()} logged on {len(days)} separate days.",
        tuple(days.values()),
    )


def _message_sent(facts: _Facts) -> tuple[Status, str, tuple[int, ...]]:
    return _days_facts(facts.message_days, "messages, letters or posts")


def _network_message(facts: _Facts) -> tuple[Status, str, tuple[int, ...]]:
    return _days_facts(facts.network_days, "calls or messages over a phone or internet network")


def _persistent(facts: _Facts) -> tuple[Status, str, tuple[int, ...]]:
    status, text, ids = _network_message(facts)
    bursts = facts.pattern.bursts
    if bursts:
        text += f" There were {len(bursts)} bursts of many contacts close together."
    return status, text, ids


def _threat_message(facts: _Facts) -> tuple[Status, str, tuple[int, ...]]:
    ids = facts.threat_message_ids
    if not ids:
        return "not_yet_shown", "No threatening message is tagged yet.", ()
    return "facts_logged", f"Threats are tagged in {len(ids)} messages.", ids


def _order_breached(facts: _Facts) -> tuple[Status, str, tuple[int, ...]]:
    breaches = facts.escalation.breaches
    if not breaches.count or breaches.first is None:
        return "not_yet_shown", "No conduct against an order is logged.", ()
    orders = ", ".join(order for order in breaches.by_order if order)
    named = f" ({orders})" if orders else ""
    return (
        "facts_logged",
        f"Conduct against an order{named} is logged {breaches.count} times on "
        f"{len(breaches.days)} separate days, first on {plain_date(breaches.first)}.",
        breaches.event_ids,
    )


def _state_of_mind(facts: _Facts) -> tuple[Status, str, tuple[int, ...]]:
    base = "What someone knew or intended is for police and courts to judge, not a log."
    after = facts.pattern.after_no_contact
    if after.count:
        return (
            "not_for_a_log",
            f"{base} You logged {_contacts(after.count)} after you asked for no contact; "
            "that is a fact they may look at.",
            after.event_ids,
        )
    return "not_for_a_log", base, ()


def _contacts(count: int) -> str:
    return "1 contact" if count == 1 else f"{count:,} contacts"


def _false_information(facts: _Facts) -> tuple[Status, str, tuple[int, ...]]:
    return (
        "not_for_a_log",
        "Safetrail cannot tell from the log whether something said was false; if it was, say so "
        "in the entry.",
        (),
    )


CHECKS: Mapping[Element, Check] = {
    Element.COURSE_OF_CONDUCT: _course,
    Element.STALKING_BEHAVIOURS: _stalking_behaviours,
    Element.CONDUCT_LIST: _conduct_list,
    Element.ALARM_OR_DISTRESS: _alarm_or_distress,
    Element.FEAR_OF_VIOLENCE_TWICE: _fear_twice,
    Element.FEAR_TWICE_OR_DAILY_LIFE: _fear_twice_or_daily_life,
    Element.FEAR_OR_ALARM: _fear_or_alarm,
    Element.THREATENING_BEHAVIOUR: _threatening,
    Element.MESSAGE_SENT: _message_sent,
    Element.THREAT_MESSAGE: _threat_message,
    Element.NETWORK_MESSAGE: _network_message,
    Element.PERSISTENT_NETWORK_USE: _persistent,
    Element.THREAT_OF_SERIOUS_HARM: _threat_message,
    Element.FALSE_INFORMATION: _false_information,
    Element.ORDER_BREACHED: _order_breached,
    Element.STATE_OF_MIND: _state_of_mind,
}


def _finding(spec: ElementSpec, facts: _Facts) -> Finding:
    status, text, evidence = CHECKS[spec.element](facts)
    return Finding(spec.element, spec.wording, status, text, evidence)


def law_for(
    jurisdiction: str,
    pattern: Pattern,
    escalation: Escalation,
    impact: Impact,
) -> LawMapping:
    """Map one subject's logged facts to the elements of each offence in the jurisdiction."""
    offences = offences_for(jurisdiction)
    facts = _gather(pattern, escalation, impact)
    return LawMapping(
        jurisdiction=jurisdiction,
        offences=tuple(
            OffenceRelevance(offence, tuple(_finding(spec, facts) for spec in offence.elements))
            for offence in offences
        ),
    )
