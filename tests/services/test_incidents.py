from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from safetrail.models.subject import SubjectDetails
from safetrail.services.casebook import Casebook, open_casebook
from safetrail.services.errors import InvalidInput, NotFound
from safetrail.services.evidence import add_file
from safetrail.services.incidents import (
    add_incident,
    edit_incident,
    get_incident,
    incident_history,
    link_evidence,
    list_incidents,
    remove_incident,
)
from safetrail.services.subjects import add_subject
from tests.conftest import PASSPHRASE
from tests.services.factories import LONDON, full_incident


def test_every_field_round_trips_through_the_encrypted_store(
    book: Casebook, book_root: Path
) -> None:
    subject = add_subject(book, SubjectDetails(name="Mark"))
    details = full_incident(subject_id=subject.id)
    created = add_incident(book, details)
    book.close()
    with open_casebook(book_root, PASSPHRASE) as again:
        stored = get_incident(again, created.id)
    assert stored.details == details
    assert stored.recorded_at == created.recorded_at
    assert stored.version == 1


def test_edit_keeps_earlier_version_and_recorded_time(book: Casebook) -> None:
    first = add_incident(book, full_incident("He followed me to the bus stop"))
    changed = replace(first.details, impact="I am still frightened", what_happened="He followed me")
    edited = edit_incident(book, first.id, changed)
    assert edited.version == 2
    assert edited.recorded_at == first.recorded_at
    assert edited.written_at >= first.written_at
    history = incident_history(book, first.id)
    assert [v.version for v in history] == [1, 2]
    assert [v.action for v in history] == ["create", "edit"]
    assert history[0].details.what_happened == "He followed me to the bus stop"
    assert history[1].details.impact == "I am still frightened"


def test_remove_hides_but_keeps(book: Casebook) -> None:
    incident = add_incident(book, full_incident())
    remove_incident(book, incident.id, "entered twice by mistake")
    assert list_incidents(book) == []
    kept = list_incidents(book, include_removed=True)
    assert [i.id for i in kept] == [incident.id]
    assert kept[0].removed
    assert [v.action for v in incident_history(book, incident.id)] == ["create", "remove"]


def test_link_evidence_is_a_new_version(book: Casebook, tmp_path: Path) -> None:
    path = tmp_path / "screenshot.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    evidence = add_file(book, path).item
    incident = add_incident(book, full_incident())
    linked = link_evidence(book, incident.id, evidence.id)
    assert linked.details.evidence_ids == (evidence.id,)
    assert incident_history(book, incident.id)[-1].action == "link"


def test_bad_links_and_empty_text_refused(book: Casebook) -> None:
    with pytest.raises(NotFound):
        add_incident(book, full_incident(subject_id=99))
    with pytest.raises(InvalidInput):
        add_incident(book, replace(full_incident(), what_happened="   "))
    assert list_incidents(book, include_removed=True) == []


def test_list_is_in_time_order(book: Casebook) -> None:
    later = replace(
        full_incident("later"),
        occurred_start=datetime(2026, 5, 1, 9, 0, tzinfo=LONDON),
        occurred_end=None,
    )
    add_incident(book, later)
    add_incident(book, full_incident("earlier"))
    assert [i.details.what_happened for i in list_incidents(book)] == ["earlier", "later"]


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        replace(full_incident(), occurred_start=datetime(2026, 1, 1, 12, 0))
