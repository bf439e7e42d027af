"""A case that tests the report's edges: hostile markup, RTL, emoji, long words, a private note,
third parties' numbers, exhibits, police contacts and an order."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from safetrail.models.enums import Behaviour, Certainty, Channel
from safetrail.models.incident import IncidentDetails, PoliceContact, PossibleBreach, Witness
from safetrail.models.subject import SubjectDetails
from safetrail.services import police
from safetrail.services.casebook import Casebook
from safetrail.services.evidence import add_file
from safetrail.services.incidents import add_incident
from safetrail.services.ingest import IngestOptions, ingest
from safetrail.services.subjects import add_subject

LONDON = ZoneInfo("Europe/London")
SAMPLE = Path(__file__).parents[2] / "samples" / "whatsapp" / "android_24h_dmy.txt"
SECRET = "SECRET-NOTE staying at my sister's flat"
THIRD_NUMBER = "07700 900456"
THIRD_EMAIL = "pal@example.org"
SUBJECT_NUMBER = "07700 900123"
THREAT = "He said I know where you live and you will regret leaving me"
SCRIPT = "<script>alert('x')</script><img src=http://evil.example/t.png>"
TYPST = '#set page(fill: red) #eval("1+1") $x^2$ *bold* @ref <lbl> ]'
ARABIC = "أنا أراقبك كل يوم"
HEBREW = "אני יודע איפה את גרה"
EMOJI = "You look lovely today 😀🔪❤️"
LONG_WORD = "https://example.invalid/" + "x" * 260
CRIME_REFERENCE = "CRN 12/3456/26"
INCIDENT_WORDS = (THREAT, SCRIPT, TYPST, ARABIC, HEBREW, EMOJI, LONG_WORD)


def fill_report_case(book: Casebook, folder: Path, extra_incidents: int = 0) -> None:
    add_subject(book, SubjectDetails(name="Sam Jones", phones=(SUBJECT_NUMBER,)))
    photo = folder / "photo of car.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 4)
    add_file(book, photo)
    order = police.add_order(
        book,
        police.CourtOrder(
            0,
            "restraining-order",
            "Leeds Magistrates",
            date(2026, 1, 5),
            None,
            ("No contact with the applicant",),
            1,
            "RO-77",
        ),
    )
    start = datetime(2026, 2, 1, 18, 40, tzinfo=LONDON)
    add_incident(
        book,
        IncidentDetails(
            occurred_start=start,
            what_happened=(
                f"{THREAT}. He texted from {SUBJECT_NUMBER}; his friend rang from "
                f"{THIRD_NUMBER} and wrote to {THIRD_EMAIL}."
            ),
            location="Outside my work",
            channel=Channel.IN_PERSON,
            behaviours=(Behaviour.THREATS, Behaviour.LOITERING, Behaviour.BREACH_OF_ORDER),
            impact="I could not sleep and changed my route home",
            witnesses=(Witness("Jo", "07700 900999"),),
            police=PoliceContact(reported=True, crime_reference=CRIME_REFERENCE),
            evidence_ids=(1,),
            subject_id=1,
            private_notes=SECRET,
            possible_breach=PossibleBreach(order.id, "No contact with the applicant"),
            feared_violence=True,
        ),
    )
    hostile = (SCRIPT, TYPST, ARABIC, HEBREW, EMOJI, LONG_WORD)
    for day, words in enumerate(hostile, start=1):
        add_incident(
            book,
            IncidentDetails(
                occurred_start=start + timedelta(days=day),
                certainty=Certainty.APPROXIMATE if day % 2 else Certainty.EXACT,
                what_happened=words,
                channel=Channel.TEXT_MESSAGE,
                behaviours=(Behaviour.CONTACTING,),
                subject_id=1,
            ),
        )
    for number in range(extra_incidents):
        add_incident(
            book,
            IncidentDetails(
                occurred_start=start + timedelta(days=10 + number // 3, hours=number % 3),
                what_happened=f"Entry {number}: he drove past the house slowly, twice.",
                channel=Channel.IN_PERSON,
                behaviours=(Behaviour.WATCHING_OR_SPYING,),
                subject_id=1,
            ),
        )
    ingest(book, SAMPLE, IngestOptions(me=("Alex",)))
    police.log_contact(
        book,
        police.PoliceContact(
            0,
            datetime(2026, 2, 2, 9, 30, tzinfo=UTC),
            "101",
            officer_name="PC Smith",
            officer_number="4471",
            crime_reference=CRIME_REFERENCE,
            what_was_said=f"Gave his friend's number {THIRD_NUMBER}",
            outcome="Crime recorded",
        ),
    )
