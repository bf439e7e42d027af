"""A made-up case for the demo. Every person, place, number and message here is fictional.

Phone numbers are from Ofcom's range kept for drama (07700 900000 to 900999); the places are
invented. The chat is a WhatsApp-style export in this folder (fictional-chat.txt), brought in
through the real importer so the demo shows what an import looks like.
"""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from safetrail.models.enums import Behaviour, Certainty, Channel, Relationship
from safetrail.models.incident import IncidentDetails, PoliceContact
from safetrail.models.subject import SubjectDetails
from safetrail.services.casebook import Casebook
from safetrail.services.incidents import add_incident
from safetrail.services.ingest import IngestOptions, ingest
from safetrail.services.subjects import add_subject

LONDON = ZoneInfo("Europe/London")
CHAT_FILE = "fictional-chat.txt"
MARK = "[Demo, fictional] "

SUBJECT = SubjectDetails(
    name="Jordan Example (fictional)",
    relationship=Relationship.EX_PARTNER,
    phones=("07700 900461",),
    description="A made-up person for the demo.",
)


def _at(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=LONDON)


def _incidents(subject_id: int) -> list[IncidentDetails]:
    return [
        IncidentDetails(
            occurred_start=_at("2026-08-14", "08:10"),
            location="Outside 12 Imaginary Road, Exampleton",
            channel=Channel.IN_PERSON,
            what_happened=MARK + "Jordan was waiting by the gate when I left for work. "
            'He said "I just want to talk" and walked beside me to the bus stop.',
            behaviours=(Behaviour.LOITERING, Behaviour.FOLLOWING),
            impact="I felt shaky all morning and could not concentrate.",
            feared_violence=False,
            subject_id=subject_id,
        ),
        IncidentDetails(
            occurred_start=_at("2026-08-29", "21:30"),
            certainty=Certainty.APPROXIMATE,
            location="My car, Exampleton Leisure Centre car park",
            channel=Channel.GIFT_OR_ITEM,
            what_happened=MARK + "A card was left under my windscreen wiper: \"You can't "
            'hide from me. J". I kept it and took a photo.',
            behaviours=(Behaviour.GIFTS, Behaviour.INTERFERING_WITH_PROPERTY),
            impact="I stopped going to my swimming class.",
            changes_made="I stopped going to my Friday swimming class.",
            feared_violence=True,
            subject_id=subject_id,
        ),
        IncidentDetails(
            occurred_start=_at("2026-09-12", "23:05"),
            location="Phone",
            channel=Channel.MESSAGING_APP,
            what_happened=MARK + "Twelve messages in an hour, the last one saying he knew "
            "which gym I had moved to.",
            behaviours=(Behaviour.CONTACTING, Behaviour.MONITORING),
            impact="I could not sleep. I changed my route home.",
            changes_made="Changed my route home and told my manager.",
            feared_violence=True,
            police=PoliceContact(
                reported=True, crime_reference="DEMO/0000/26", officer="PC Sample 0000"
            ),
            subject_id=subject_id,
        ),
    ]


def fill(book: Casebook) -> None:
    """Add the fictional subject, incidents and chat export to a fresh demo casebook."""
    subject = add_subject(book, SUBJECT)
    for details in _incidents(subject.id):
        add_incident(book, details)
    chat = resources.files("safetrail.web.demo") / CHAT_FILE
    with resources.as_file(chat) as path:
        ingest(book, Path(path), IngestOptions(subject_id=subject.id, me=("Me",)))
