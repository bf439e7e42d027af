"""Risk answers with history, factors from the diary, the plan, contacts, police log, orders."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from safetrail.models.enums import Behaviour
from safetrail.models.incident import PossibleBreach
from safetrail.services.casebook import Casebook
from safetrail.services.errors import InvalidInput
from safetrail.services.events import incident_events
from safetrail.services.incidents import add_incident
from safetrail.services.ingest import IngestOptions, ingest
from safetrail.services.plan import (
    add_contact,
    emergency_card_html,
    emergency_card_text,
    plan,
    update_item,
)
from safetrail.services.police import (
    CourtOrder,
    PoliceContact,
    add_order,
    crime_references,
    log_contact,
    orders,
    police_contacts,
)
from safetrail.services.prepare import prepare_report, sheet_text
from safetrail.services.risk import answer_history, record_answers, risk_overview
from safetrail.services.verify import verify_casebook
from tests.services.factories import full_incident


def test_answers_are_dated_and_history_is_kept(book: Casebook) -> None:
    record_answers(book, {"fear": ("yes", "I cannot sleep"), "threats": ("no", "")})
    record_answers(
        book, {"fear": ("yes", "I cannot sleep"), "threats": ("yes", "He said he would hurt me")}
    )
    history = answer_history(book, "threats")
    assert [a.answer for a in history] == ["no", "yes"]
    assert [a.answer for a in answer_history(book, "fear")] == ["yes"], (
        "unchanged answers keep their date"
    )
    overview = risk_overview(book)
    assert overview.answers["threats"].note == "He said he would hurt me"
    assert any("Was: no. Now: yes." in c for c in overview.changes)
    assert verify_casebook(book).ok


def test_bad_answers_save_nothing(book: Casebook) -> None:
    with pytest.raises(InvalidInput):
        record_answers(book, {"fear": ("yes", ""), "threats": ("maybe", "")})
    with pytest.raises(InvalidInput):
        record_answers(book, {"no-such-question": ("yes", "")})
    assert risk_overview(book).answers == {}


def test_factors_link_to_the_entries_that_show_them(book: Casebook) -> None:
    quiet = replace(full_incident("He phoned"), behaviours=(Behaviour.CONTACTING,))
    add_incident(book, quiet)
    threat = add_incident(
        book, replace(full_incident("He said I'll hurt you"), behaviours=(Behaviour.THREATS,))
    )
    violent = add_incident(
        book, replace(full_incident("He pushed me"), behaviours=(Behaviour.VIOLENCE,))
    )
    factors = {f.id: f for f in risk_overview(book).factors}
    assert factors["threats"].entries == (("incident", threat.id),)
    assert factors["violence"].entries == (("incident", violent.id),)
    assert "proximity" not in factors


def test_first_review_then_new_factor_is_reported(book: Casebook) -> None:
    record_answers(book, {"fear": ("yes", "")})
    add_incident(
        book, replace(full_incident("He was in the car park"), behaviours=(Behaviour.LOITERING,))
    )
    changes = risk_overview(book).changes
    assert any("coming close to you in person" in c for c in changes)


def test_plan_steps_statuses_and_contacts(book: Casebook) -> None:
    steps = plan(book)
    assert {s.item.id for s in steps} >= {"do-not-engage", "tell-people", "passwords-two-step"}
    assert all(s.status == "not-started" for s in steps)
    update_item(book, "tell-people", "in-progress", "Told my sister")
    done = update_item(book, "tell-people", "done", None)
    assert (done.status, done.notes) == ("done", "Told my sister")
    with pytest.raises(InvalidInput):
        update_item(book, "tell-people", "finished", None)
    with pytest.raises(InvalidInput):
        update_item(book, "no-such-step", "done", None)
    cautions = [s.item for s in steps if s.item.caution]
    assert any(i.id in ("passwords-two-step", "location-and-shared-accounts") for i in cautions)
    add_contact(book, "Ann <script>alert(1)</script>", "07700 900777", True, "witness")
    card = emergency_card_text(book)
    assert "999" in card and "55" in card and "Ann" in card
    page = emergency_card_html(book)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "http" not in page


def test_police_log_orders_and_breaches(book: Casebook) -> None:
    order = add_order(
        book,
        CourtOrder(
            0,
            "restraining-order",
            "Leeds",
            date(2026, 1, 10),
            date(2027, 1, 10),
            ("No contact", "Stay 100m away"),
            None,
            "RO-1",
        ),
    )
    with pytest.raises(InvalidInput):
        add_order(book, replace(order, made_on=date(2026, 2, 1), expires_on=date(2026, 1, 1)))
    breach = add_incident(
        book,
        replace(
            full_incident("He came to my road"),
            possible_breach=PossibleBreach(order.id, "Stay 100m away"),
        ),
    )
    events, _ = incident_events(book)
    assert [e.breach_of for e in events if e.id == -breach.id] == [f"order {order.id}"]
    contact = log_contact(
        book,
        PoliceContact(
            0,
            datetime(2026, 3, 13, 9, 0, tzinfo=UTC),
            "101",
            "PC Smith",
            "1234",
            "CRN 99",
            "Reported",
            "Officer to call",
            date(2026, 3, 20),
        ),
    )
    with pytest.raises(InvalidInput):
        log_contact(book, replace(contact, how="pigeon"))
    assert police_contacts(book)[0].follow_up_due == date(2026, 3, 20)
    assert orders(book)[0].conditions == ("No contact", "Stay 100m away")
    assert crime_references(book) == ["CRN 99", "CRN 12/3456/26"]
    sheet = prepare_report(book)
    text = sheet_text(sheet)
    assert "CRN 99" in text and "He came to my road" in text and "restraining order" in text
    assert "Breaking a court order" in text
    assert verify_casebook(book).ok


def test_factors_come_from_imported_messages_too(book: Casebook, tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text(
        "01/03/2026, 21:40 - Sam: I'll make you pay for this\n"
        "13/03/2026, 09:00 - Sam: I saw you at the station today\n",
        encoding="utf-8",
    )
    ingest(book, chat, IngestOptions())
    factors = {f.id: f for f in risk_overview(book).factors}
    assert factors["threats"].entries[0][0] == "record"
    assert factors["whereabouts"].entries[0][0] == "record"
