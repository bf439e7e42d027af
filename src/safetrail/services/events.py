"""Turning the casebook into analysis Events: incidents now; records join through the timeline."""

from __future__ import annotations

from safetrail.analysis.model import Event, Tag, incident_event_id
from safetrail.models.enums import Behaviour, Certainty
from safetrail.models.incident import Incident
from safetrail.services.casebook import Casebook
from safetrail.services.incidents import list_incidents

BEHAVIOUR_TAGS: dict[Behaviour, Tag] = {
    Behaviour.FOLLOWING: Tag.FOLLOWING,
    Behaviour.CONTACTING: Tag.CONTACTING,
    Behaviour.PUBLISHING: Tag.PUBLISHING,
    Behaviour.MONITORING: Tag.MONITORING,
    Behaviour.LOITERING: Tag.LOITERING,
    Behaviour.INTERFERING_WITH_PROPERTY: Tag.INTERFERING_WITH_PROPERTY,
    Behaviour.WATCHING_OR_SPYING: Tag.WATCHING_OR_SPYING,
    Behaviour.THREATS: Tag.THREAT_OF_VIOLENCE,
    Behaviour.SEXUAL_BEHAVIOUR: Tag.THREAT_OF_SEXUAL_VIOLENCE,
    Behaviour.THIRD_PARTY_CONTACT: Tag.THIRD_PARTY_CONTACT,
    Behaviour.GIFTS: Tag.GIFTS,
    Behaviour.BREACH_OF_ORDER: Tag.BREACH_OF_ORDER,
}


def incident_event(incident: Incident) -> Event:
    details = incident.details
    breach = None
    if details.possible_breach is not None:
        breach = f"order {details.possible_breach.order_id}"
    elif Behaviour.BREACH_OF_ORDER in details.behaviours:
        breach = "an order"
    return Event(
        kind="incident",
        id=incident_event_id(incident.id),
        at=details.occurred_start,
        subject_id=details.subject_id,
        channel=details.channel.value,
        text=details.what_happened,
        approximate=details.certainty is not Certainty.EXACT,
        tags=frozenset(BEHAVIOUR_TAGS[b] for b in details.behaviours if b in BEHAVIOUR_TAGS),
        feared_violence=details.feared_violence,
        impact=details.impact,
        changes_made=details.changes_made,
        breach_of=breach,
    )


def incident_events(book: Casebook) -> tuple[list[Event], frozenset[int]]:
    """Events for every incident shown, and the ids of incidents the person marked as violent."""
    incidents = list_incidents(book)
    violent = frozenset(i.id for i in incidents if Behaviour.VIOLENCE in i.details.behaviours)
    return [incident_event(i) for i in incidents], violent
