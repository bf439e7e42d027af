"""The shapes analysis works on. Pure data: no I/O, no database.

Services turn incidents and records into Events; the analysis functions take Events and return
explained results. Every conclusion carries the ids of the entries that show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Tag(StrEnum):
    """Behaviour tags: the s.2A(3) PHA 1997 examples, then the others Safetrail looks for."""

    FOLLOWING = "following"
    CONTACTING = "contacting"
    PUBLISHING = "publishing"
    MONITORING = "monitoring"
    LOITERING = "loitering"
    INTERFERING_WITH_PROPERTY = "interfering_with_property"
    WATCHING_OR_SPYING = "watching_or_spying"
    THREAT_OF_VIOLENCE = "threat_of_violence"
    THREAT_OF_SEXUAL_VIOLENCE = "threat_of_sexual_violence"
    SELF_HARM_PRESSURE = "self_harm_pressure"
    THIRD_PARTY_CONTACT = "third_party_contact"
    GIFTS = "gifts"
    IMPERSONATION = "impersonation"
    BREACH_OF_ORDER = "breach_of_order"
    KNOWLEDGE_OF_WHEREABOUTS = "knowledge_of_whereabouts"
    ACCOUNT_ACCESS = "account_access"


STATUTORY_TAGS = frozenset(
    {
        Tag.FOLLOWING,
        Tag.CONTACTING,
        Tag.PUBLISHING,
        Tag.MONITORING,
        Tag.LOITERING,
        Tag.INTERFERING_WITH_PROPERTY,
        Tag.WATCHING_OR_SPYING,
    }
)

# Conduct in the physical world, as opposed to contact at a distance.
PHYSICAL_TAGS = frozenset(
    {Tag.FOLLOWING, Tag.LOITERING, Tag.WATCHING_OR_SPYING, Tag.INTERFERING_WITH_PROPERTY, Tag.GIFTS}
)
THREAT_TAGS = frozenset({Tag.THREAT_OF_VIOLENCE, Tag.THREAT_OF_SEXUAL_VIOLENCE})


@dataclass(frozen=True, slots=True)
class TagHit:
    """One rule firing on one text: which rule, on which words, where in the text."""

    tag: Tag
    rule: str
    words: str
    start: int
    end: int


class TagStatus(StrEnum):
    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    CHOSEN = "chosen"  # chosen by the person when writing an incident


def event_ref(event_id: int) -> str:
    """How an event id is shown: incidents carry negative ids, so one int names one entry."""
    return f"incident:{-event_id}" if event_id < 0 else f"record:{event_id}"


def incident_event_id(incident_id: int) -> int:
    return -incident_id


@dataclass(slots=True, eq=False)
class Event:
    """One entry on the timeline, from an incident, a record or an evidence item.

    Treat as immutable. Not frozen only because a large casebook builds a million of these and
    frozen dataclasses cost several times more to build; compared by identity, never hashed by
    value.

    `id` is unique across kinds: a record's id, or minus an incident's id (see event_ref).
    `by_subject` is False for things the person themselves sent (they are not conduct).
    `tags` are the tags in force (chosen, confirmed or suggested, never rejected).
    """

    kind: str
    id: int
    at: datetime
    subject_id: int | None
    channel: str
    text: str = ""
    approximate: bool = False
    by_subject: bool = True
    tags: frozenset[Tag] = field(default_factory=frozenset)
    after_no_contact_request: bool = False
    feared_violence: bool | None = None
    impact: str = ""
    changes_made: str = ""
    breach_of: str | None = None
