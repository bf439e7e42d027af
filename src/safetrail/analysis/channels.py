"""Which channels and tags mean what: in person, by message, over a network, through others.

The channel names are the values of `safetrail.models.enums.Channel`.
"""

from __future__ import annotations

from safetrail.analysis.model import PHYSICAL_TAGS, THREAT_TAGS, Event, Tag

PHYSICAL_CHANNELS = frozenset({"in_person", "gift_or_item"})
THIRD_PARTY_CHANNELS = frozenset({"third_party"})
# Letters and electronic messages (Malicious Communications Act 1988 s.1 "sending").
MESSAGE_CHANNELS = frozenset(
    {"text_message", "messaging_app", "email", "social_media", "post_or_letter", "online_other"}
)
# A public electronic communications network (Communications Act 2003 s.127).
NETWORK_CHANNELS = frozenset(
    {"phone_call", "text_message", "messaging_app", "email", "social_media", "online_other"}
)
# Entries escalation looks at one by one; everything else it only counts.
NOTABLE_TAGS = PHYSICAL_TAGS | THREAT_TAGS | {Tag.THIRD_PARTY_CONTACT}
NOTABLE_CHANNELS = PHYSICAL_CHANNELS | THIRD_PARTY_CHANNELS


def is_physical(event: Event) -> bool:
    """Conduct in the physical world: a physical tag, or an in-person or left-item channel."""
    return not event.tags.isdisjoint(PHYSICAL_TAGS) or event.channel in PHYSICAL_CHANNELS


def is_notable(event: Event) -> bool:
    """Physical conduct, a threat, contact through others or a breach: a possible first."""
    return (
        bool(event.breach_of)
        or event.channel in NOTABLE_CHANNELS
        or not event.tags.isdisjoint(NOTABLE_TAGS)
    )
