"""Choosing what goes into an export, and removing third parties' numbers and emails."""

from __future__ import annotations

import pytest

from safetrail.export.selection import EMAIL_REMOVED, NUMBER_REMOVED, Selection, redact

KEEP = frozenset({"+447700900123", "sam@example.com"})


@pytest.mark.parametrize(
    "number",
    [
        "07700 900456",
        "07700-900-456",
        "07700900456",
        "+44 7700 900456",
        "+44 (0)7700 900456",
        "+447700900456",
        "020 7946 0000",
        "0113 496 0000",
        "01632 960000",
        "0300 123 4567",
        "+1 202 555 0143",
        "+33 6 12 34 56 78",
    ],
)
def test_third_party_numbers_are_removed(number: str) -> None:
    assert redact(f"Call me on {number} tonight.", KEEP) == f"Call me on {NUMBER_REMOVED} tonight."


@pytest.mark.parametrize("number", ["07700 900123", "+44 7700 900123", "+447700900123"])
def test_the_subjects_own_number_is_kept_in_any_form(number: str) -> None:
    text = f"He texted from {number} again"
    assert redact(text, KEEP) == text


def test_emails_removed_unless_the_subjects_whatever_the_case() -> None:
    text = "From Sam@Example.com, copied to friend.one@mail.example.org."
    assert redact(text, KEEP) == f"From Sam@Example.com, copied to {EMAIL_REMOVED}."


def test_dates_times_and_short_numbers_are_left_alone() -> None:
    text = "On 12/03/2026 at 18:40, 3 times, ref CRN 12/3456/26, year 2026, £1500, 1234567"
    assert redact(text, KEEP) == text


def test_nothing_kept_when_keep_is_empty() -> None:
    out = redact("07700 900123 and sam@example.com", frozenset())
    assert out == f"{NUMBER_REMOVED} and {EMAIL_REMOVED}"


def test_selection_defaults_are_the_safe_ones() -> None:
    selection = Selection()
    assert selection.redact_third_parties and not selection.include_private_notes
    assert selection.full_text and selection.kinds == {"incident", "record", "evidence"}


def test_unknown_kinds_are_refused() -> None:
    with pytest.raises(ValueError, match="photos"):
        Selection(kinds=frozenset({"incident", "photos"}))
