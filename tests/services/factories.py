"""Small builders for test data."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from safetrail.models.enums import Behaviour, Certainty, Channel
from safetrail.models.incident import IncidentDetails, PoliceContact, Witness

LONDON = ZoneInfo("Europe/London")


def full_incident(
    text: str = "He was outside my work again", subject_id: int | None = None
) -> IncidentDetails:
    """An incident with every field filled in."""
    return IncidentDetails(
        occurred_start=datetime(2026, 3, 12, 18, 40, tzinfo=LONDON),
        occurred_end=datetime(2026, 3, 12, 19, 5, tzinfo=LONDON),
        certainty=Certainty.APPROXIMATE,
        location="Outside 12 High Street, Leeds",
        channel=Channel.IN_PERSON,
        behaviours=(Behaviour.LOITERING, Behaviour.WATCHING_OR_SPYING, Behaviour.THREATS),
        what_happened=text,
        impact="I was shaking and could not sleep. 😢 מפחיד",
        changes_made="I now take a taxi home and changed my shifts",
        feared_violence=True,
        witnesses=(Witness("Ann Other", "07700 900456"), Witness("Security guard")),
        police=PoliceContact(
            reported=True, crime_reference="CRN 12/3456/26", officer="PC 1234 Smith"
        ),
        subject_id=subject_id,
        private_notes="Only for me",
    )
