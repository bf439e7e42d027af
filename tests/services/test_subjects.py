from __future__ import annotations

import pytest

from safetrail.models.enums import Relationship
from safetrail.models.subject import SubjectDetails
from safetrail.services.casebook import Casebook
from safetrail.services.errors import InvalidInput
from safetrail.services.subjects import (
    add_subject,
    edit_subject,
    get_subject,
    list_subjects,
    remove_subject,
)


def test_identifiers_are_normalised(book: Casebook) -> None:
    subject = add_subject(
        book,
        SubjectDetails(
            name="  ",
            relationship=Relationship.EX_PARTNER,
            phones=("07700 900123", "+44 7700 900123", "(020) 7946 0018"),
            emails=("Mark.Example@EXAMPLE.com",),
            handles=("@mark_x on Instagram",),
            vehicles=("Blue Ford Fiesta AB12 CDE",),
            addresses=("1 Example Road, Leeds",),
            description="Tall, beard",
        ),
    )
    details = get_subject(book, subject.id).details
    assert details.name is None
    assert details.label(subject.id) == f"Unknown person {subject.id}"
    assert details.phones == ("+447700900123", "+442079460018")
    assert details.emails == ("Mark.Example@example.com",)
    assert details.relationship is Relationship.EX_PARTNER
    assert details.vehicles == ("Blue Ford Fiesta AB12 CDE",)


def test_bad_phone_is_a_clear_error(book: Casebook) -> None:
    with pytest.raises(InvalidInput, match="phone number"):
        add_subject(book, SubjectDetails(phones=("not a number",)))
    with pytest.raises(InvalidInput, match="email"):
        add_subject(book, SubjectDetails(emails=("no-at-sign",)))
    assert list_subjects(book) == []


def test_edit_and_remove(book: Casebook) -> None:
    subject = add_subject(book, SubjectDetails())
    edited = edit_subject(book, subject.id, SubjectDetails(name="Mark Example"))
    assert edited.version == 2 and edited.details.name == "Mark Example"
    remove_subject(book, subject.id, "duplicate")
    assert list_subjects(book) == []
    assert list_subjects(book, include_removed=True)[0].removed
