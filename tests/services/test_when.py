from __future__ import annotations

from datetime import UTC, datetime

import pytest

from safetrail.models.enums import Certainty
from safetrail.services.errors import InvalidInput
from safetrail.services.when import parse_when

NOW = datetime(2026, 3, 30, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected", "certainty"),
    [
        ("2026-03-12 14:30", "2026-03-12T14:30:00+00:00", Certainty.EXACT),
        ("2026-03-12T14:30", "2026-03-12T14:30:00+00:00", Certainty.EXACT),
        ("12/03/2026 2:30pm", "2026-03-12T14:30:00+00:00", Certainty.EXACT),
        ("12.03.26 9.15", "2026-03-12T09:15:00+00:00", Certainty.EXACT),
        ("12/07/2026 18:40", "2026-07-12T18:40:00+01:00", Certainty.EXACT),
        ("12/07/2026", "2026-07-12T00:00:00+01:00", Certainty.DATE_ONLY),
        ("today 9am", "2026-03-30T09:00:00+01:00", Certainty.EXACT),
        ("Yesterday 23:59", "2026-03-29T23:59:00+01:00", Certainty.EXACT),
        ("2026-03-12T14:30:00+05:30", "2026-03-12T14:30:00+05:30", Certainty.EXACT),
    ],
)
def test_forms(text: str, expected: str, certainty: Certainty) -> None:
    when = parse_when(text, "Europe/London", NOW)
    assert when.at.isoformat() == expected
    assert when.certainty is certainty


def test_now_and_approximate() -> None:
    when = parse_when("now", "Europe/London", NOW, Certainty.APPROXIMATE)
    assert when.at == NOW and when.certainty is Certainty.APPROXIMATE


@pytest.mark.parametrize(
    "text", ["31/02/2026", "13:00", "2026-03-12 25:00", "12/03/2026 13pm", "soon"]
)
def test_unreadable(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_when(text, "Europe/London", NOW)


def test_unknown_zone() -> None:
    with pytest.raises(InvalidInput, match="time zone"):
        parse_when("now", "Mars/Olympus", NOW)
