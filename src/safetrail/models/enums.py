"""Closed sets of values used across the domain."""

from __future__ import annotations

from enum import StrEnum


class Behaviour(StrEnum):
    """Behaviours: the s.2A(3) PHA 1997 examples (a-g) and the others the person may record."""

    FOLLOWING = "following"
    CONTACTING = "contacting"
    PUBLISHING = "publishing"
    MONITORING = "monitoring"
    LOITERING = "loitering"
    INTERFERING_WITH_PROPERTY = "interfering_with_property"
    WATCHING_OR_SPYING = "watching_or_spying"
    THREATS = "threats"
    VIOLENCE = "violence"
    SEXUAL_BEHAVIOUR = "sexual_behaviour"
    THIRD_PARTY_CONTACT = "third_party_contact"
    GIFTS = "gifts"
    BREACH_OF_ORDER = "breach_of_order"
    OTHER = "other"


BEHAVIOUR_LABELS: dict[Behaviour, str] = {
    Behaviour.FOLLOWING: "Following you",
    Behaviour.CONTACTING: "Contacting you, or trying to",
    Behaviour.PUBLISHING: "Publishing things about you, or pretending to be you",
    Behaviour.MONITORING: "Monitoring your phone, internet or email use",
    Behaviour.LOITERING: "Hanging around near you (home, work, school or elsewhere)",
    Behaviour.INTERFERING_WITH_PROPERTY: "Interfering with your property",
    Behaviour.WATCHING_OR_SPYING: "Watching or spying on you",
    Behaviour.THREATS: "Threats",
    Behaviour.VIOLENCE: "Violence",
    Behaviour.SEXUAL_BEHAVIOUR: "Sexual behaviour or sexual threats",
    Behaviour.THIRD_PARTY_CONTACT: "Contact through other people",
    Behaviour.GIFTS: "Gifts, letters or items left for you",
    Behaviour.BREACH_OF_ORDER: "Breaking a court order",
    Behaviour.OTHER: "Something else",
}


class Certainty(StrEnum):
    """How sure the person is of when something happened."""

    EXACT = "exact"
    APPROXIMATE = "approximate"
    DATE_ONLY = "date_only"


class Channel(StrEnum):
    """How the contact or conduct happened."""

    IN_PERSON = "in_person"
    PHONE_CALL = "phone_call"
    TEXT_MESSAGE = "text_message"
    MESSAGING_APP = "messaging_app"
    EMAIL = "email"
    SOCIAL_MEDIA = "social_media"
    POST_OR_LETTER = "post_or_letter"
    GIFT_OR_ITEM = "gift_or_item"
    THIRD_PARTY = "third_party"
    ONLINE_OTHER = "online_other"
    OTHER = "other"


class Relationship(StrEnum):
    """The person's relationship with the subject. Ex-partner stalking carries more risk."""

    EX_PARTNER = "ex_partner"
    PARTNER = "partner"
    FAMILY = "family"
    FRIEND = "friend"
    ACQUAINTANCE = "acquaintance"
    COLLEAGUE = "colleague"
    NEIGHBOUR = "neighbour"
    ONLINE_ONLY = "online_only"
    STRANGER = "stranger"
    UNKNOWN = "unknown"
    OTHER = "other"


class EvidenceKind(StrEnum):
    """An evidence item is a file, or the record of a physical item (with or without a photo)."""

    FILE = "file"
    PHYSICAL = "physical"
