"""The incident form: its guidance, and turning form values into IncidentDetails and back.

Values are kept as plain strings (behaviours comma-separated) so the same dict fills the form,
is saved as a draft and is read back after a mistake without losing a word.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData

from safetrail.cli.incident_prompts import GUIDE
from safetrail.models.enums import BEHAVIOUR_LABELS, Behaviour, Certainty, Channel
from safetrail.models.incident import IncidentDetails, PoliceContact, Witness
from safetrail.services.errors import InvalidInput
from safetrail.services.when import parse_when
from safetrail.web.pages.common import Errors, error, field

TEXT_FIELDS = (
    "when",
    "location",
    "channel",
    "what_happened",
    "impact",
    "feared_violence",
    "changes_made",
    "witnesses",
    "police_reported",
    "crime_reference",
    "officer",
    "subject_id",
    "private_notes",
)
CHECKBOX_FIELDS = ("approximate",)

CHANNEL_LABELS: dict[Channel, str] = {
    Channel.IN_PERSON: "In person",
    Channel.PHONE_CALL: "A phone call",
    Channel.TEXT_MESSAGE: "A text message",
    Channel.MESSAGING_APP: "A messaging app (WhatsApp, Signal, Telegram...)",
    Channel.EMAIL: "An email",
    Channel.SOCIAL_MEDIA: "Social media",
    Channel.POST_OR_LETTER: "Post or a letter",
    Channel.GIFT_OR_ITEM: "A gift or an item left for you",
    Channel.THIRD_PARTY: "Through someone else",
    Channel.ONLINE_OTHER: "Somewhere else online",
    Channel.OTHER: "Something else",
}


@dataclass(frozen=True, slots=True)
class Guide:
    intro: str
    when: str
    location: str
    channel: str
    what_happened: str
    behaviours: str
    impact: str
    feared_violence: str
    changes_made: str
    witnesses: str
    police: str
    private_notes: str


GUIDANCE = Guide(
    intro=" ".join(GUIDE.split()),
    when="For example 'today 14:30', 'yesterday 9pm' or '12/03/2026 18:00'. "
    "A date alone is fine if you don't know the time.",
    location="The place, as exactly as you can: an address, a street, a website. "
    "Places that repeat help show a pattern.",
    channel="How it happened. Why it helps: it shows the different ways they reach you.",
    what_happened="Describe it in your own words. Put their exact words in quotes if you can: "
    "exact words carry more weight than a summary.",
    behaviours="Tick any that fit. They are the kinds of behaviour the law names; "
    "it is fine to leave them all blank.",
    impact="How you felt, then and since. This matters: the law looks at the effect on you.",
    feared_violence="Only if you want to say. It is one of the things the police ask about.",
    changes_made="For example your route, your work, your phone number, seeing friends, "
    "where you sleep. Changes like these show how much it affects your life.",
    witnesses="Someone who saw or heard it can back up your account. One person on each "
    "line; add how to reach them after a dash if you know it, for example: "
    "Sam Patel - 07700 900123",
    police="If you reported it, the reference number helps the police find it again.",
    private_notes="Only for you. They are not put in any report unless you choose to.",
)


def empty_values(now_text: str = "now") -> dict[str, str]:
    values = dict.fromkeys(TEXT_FIELDS, "")
    values.update(when=now_text, channel=Channel.IN_PERSON.value, behaviours="", approximate="")
    return values


def values_from_form(form: FormData) -> dict[str, str]:
    values = {name: field(form, name) for name in TEXT_FIELDS}
    values["behaviours"] = ",".join(
        str(b) for b in form.getlist("behaviours") if str(b) in Behaviour.__members__.values()
    )
    for name in CHECKBOX_FIELDS:
        values[name] = "yes" if field(form, name) else ""
    return values


def values_from_details(details: IncidentDetails, timezone: str) -> dict[str, str]:
    local = details.occurred_start.astimezone(ZoneInfo(timezone))
    when = (
        f"{local:%d/%m/%Y}"
        if details.certainty is Certainty.DATE_ONLY
        else f"{local:%d/%m/%Y %H:%M}"
    )
    feared = {True: "yes", False: "no", None: ""}[details.feared_violence]
    return {
        "when": when,
        "approximate": "yes" if details.certainty is Certainty.APPROXIMATE else "",
        "location": details.location,
        "channel": details.channel.value,
        "what_happened": details.what_happened,
        "behaviours": ",".join(b.value for b in details.behaviours),
        "impact": details.impact,
        "feared_violence": feared,
        "changes_made": details.changes_made,
        "witnesses": "\n".join(
            f"{w.name} - {w.contact}" if w.contact else w.name for w in details.witnesses
        ),
        "police_reported": "yes" if details.police.reported else "no",
        "crime_reference": details.police.crime_reference,
        "officer": details.police.officer,
        "subject_id": "" if details.subject_id is None else str(details.subject_id),
        "private_notes": details.private_notes,
    }


def _witnesses(text: str) -> tuple[Witness, ...]:
    found: list[Witness] = []
    for line in text.splitlines():
        name, _, contact = line.partition(" - ")
        if name.strip():
            found.append(Witness(name=name.strip()[:200], contact=contact.strip()[:200]))
    return tuple(found[:50])


def _channel(value: str) -> Channel:
    try:
        return Channel(value)
    except ValueError:
        return Channel.OTHER


def _subject(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def details_from_values(
    values: dict[str, str],
    timezone: str,
    now: datetime,
    keep: IncidentDetails | None = None,
) -> tuple[IncidentDetails | None, Errors]:
    """IncidentDetails, or the errors to show. `keep` carries linked evidence over an edit."""
    errors: Errors = []
    start = None
    certainty = Certainty.EXACT
    try:
        when = parse_when(values["when"] or "now", timezone, now)
        start, certainty = when.at, when.certainty
    except InvalidInput as exc:
        errors.append(error("when", str(exc)))
    if start is not None and start > now:
        errors.append(error("when", "That time is in the future. Please check the date."))
    if not values["what_happened"]:
        errors.append(error("what_happened", "Please write what happened, even a few words."))
    if errors or start is None:
        return None, errors
    if certainty is Certainty.EXACT and values.get("approximate"):
        certainty = Certainty.APPROXIMATE
    reported = values.get("police_reported") == "yes"
    details = IncidentDetails(
        occurred_start=start,
        certainty=certainty,
        location=values["location"],
        channel=_channel(values["channel"]),
        what_happened=values["what_happened"],
        behaviours=tuple(Behaviour(b) for b in values["behaviours"].split(",") if b),
        impact=values["impact"],
        feared_violence={"yes": True, "no": False}.get(values["feared_violence"]),
        changes_made=values["changes_made"],
        witnesses=_witnesses(values["witnesses"]),
        police=PoliceContact(
            reported=reported,
            crime_reference=values["crime_reference"] if reported else "",
            officer=values["officer"] if reported else "",
        ),
        evidence_ids=keep.evidence_ids if keep else (),
        subject_id=_subject(values["subject_id"]),
        private_notes=values["private_notes"],
        possible_breach=keep.possible_breach if keep else None,
    )
    return details, []


BEHAVIOUR_CHOICES: tuple[tuple[str, str], ...] = tuple(
    (behaviour.value, BEHAVIOUR_LABELS[behaviour]) for behaviour in Behaviour
)
CHANNEL_CHOICES: tuple[tuple[str, str], ...] = tuple(
    (channel.value, CHANNEL_LABELS[channel]) for channel in Channel
)
