"""The incident form's values, to IncidentDetails and back."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.datastructures import FormData

from safetrail.models.enums import Behaviour, Certainty, Channel
from safetrail.web.pages.diary_form import (
    details_from_values,
    empty_values,
    values_from_details,
    values_from_form,
)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ZONE = "Europe/London"


def _values(**changes: str) -> dict[str, str]:
    return {**empty_values(), "what_happened": "He followed me", **changes}


def test_values_round_trip_through_details() -> None:
    values = _values(
        when="12/03/2026 18:40",
        approximate="yes",
        location="High Street",
        channel="in_person",
        behaviours="following,loitering",
        impact="Scared",
        feared_violence="yes",
        witnesses="Sam Patel - 07700 900123\nJo",
        police_reported="yes",
        crime_reference="AB/123",
        officer="PC 1",
    )
    details, errors = details_from_values(values, ZONE, NOW)
    assert errors == []
    assert details is not None
    assert details.certainty is Certainty.APPROXIMATE
    assert details.behaviours == (Behaviour.FOLLOWING, Behaviour.LOITERING)
    assert [(w.name, w.contact) for w in details.witnesses] == [
        ("Sam Patel", "07700 900123"),
        ("Jo", ""),
    ]
    assert details.police.crime_reference == "AB/123"
    back = values_from_details(details, ZONE)
    assert {k: back[k] for k in values if k in back} == {k: values[k] for k in back}


def test_a_date_alone_is_the_day_only() -> None:
    details, _ = details_from_values(_values(when="12/03/2026"), ZONE, NOW)
    assert details is not None
    assert details.certainty is Certainty.DATE_ONLY
    assert values_from_details(details, ZONE)["when"] == "12/03/2026"


def test_the_future_and_an_empty_account_are_refused() -> None:
    details, errors = details_from_values(
        _values(when="01/01/2030 10:00", what_happened=""), ZONE, NOW
    )
    assert details is None
    assert {e["field"] for e in errors} == {"when", "what_happened"}


def test_police_details_are_dropped_when_not_reported() -> None:
    details, _ = details_from_values(_values(police_reported="no", crime_reference="X1"), ZONE, NOW)
    assert details is not None
    assert details.police.crime_reference == ""


def test_unknown_choices_from_a_form_are_ignored() -> None:
    form = FormData(
        [("behaviours", "following"), ("behaviours", "<script>"), ("channel", "carrier pigeon")]
    )
    values = values_from_form(form)
    assert values["behaviours"] == "following"
    details, _ = details_from_values({**values, "what_happened": "x", "when": "now"}, ZONE, NOW)
    assert details is not None
    assert details.channel is Channel.OTHER
