"""Contacts with the police, and court orders with their conditions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from safetrail.models.jsonvalue import JsonObject, str_list
from safetrail.services import simple_entities as store
from safetrail.services.casebook import Casebook
from safetrail.services.entities import Kind
from safetrail.services.errors import InvalidInput

POLICE_KIND: Kind = "police_contact"
ORDER_KIND: Kind = "order"
HOW = ("999", "101", "online", "in-person", "phone-other", "email", "other")
ORDER_TYPES = (
    "restraining-order",
    "stalking-protection-order",
    "non-molestation-order",
    "non-harassment-order",
    "other",
)


@dataclass(frozen=True, slots=True)
class PoliceContact:
    id: int
    at: datetime
    how: str
    officer_name: str = ""
    officer_number: str = ""
    crime_reference: str = ""
    what_was_said: str = ""
    outcome: str = ""
    follow_up_due: date | None = None

    def to_json(self) -> JsonObject:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "how": self.how,
            "officer_name": self.officer_name,
            "officer_number": self.officer_number,
            "crime_reference": self.crime_reference,
            "what_was_said": self.what_was_said,
            "outcome": self.outcome,
            "follow_up_due": self.follow_up_due.isoformat() if self.follow_up_due else None,
        }


@dataclass(frozen=True, slots=True)
class CourtOrder:
    id: int
    type: str
    court: str
    made_on: date | None
    expires_on: date | None
    conditions: tuple[str, ...]
    subject_id: int | None
    reference: str

    def to_json(self) -> JsonObject:
        return {
            "id": self.id,
            "type": self.type,
            "court": self.court,
            "made_on": self.made_on.isoformat() if self.made_on else None,
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
            "conditions": list(self.conditions),
            "subject_id": self.subject_id,
            "reference": self.reference,
        }


def _date(value: object) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def log_contact(book: Casebook, contact: PoliceContact) -> PoliceContact:
    if contact.how not in HOW:
        raise InvalidInput(f"How must be one of: {', '.join(HOW)}.")
    fields = contact.to_json()
    del fields["id"]
    return _police(store.create(book, POLICE_KIND, fields))


def _police(stored: store.Stored) -> PoliceContact:
    d = stored.data
    return PoliceContact(
        id=stored.id,
        at=datetime.fromisoformat(str(d["at"])),
        how=str(d["how"]),
        officer_name=str(d.get("officer_name") or ""),
        officer_number=str(d.get("officer_number") or ""),
        crime_reference=str(d.get("crime_reference") or ""),
        what_was_said=str(d.get("what_was_said") or ""),
        outcome=str(d.get("outcome") or ""),
        follow_up_due=_date(d.get("follow_up_due")),
    )


def police_contacts(book: Casebook) -> list[PoliceContact]:
    return sorted(
        (_police(s) for s in store.current(book, POLICE_KIND)), key=lambda c: (c.at, c.id)
    )


def add_order(book: Casebook, order: CourtOrder) -> CourtOrder:
    if order.type not in ORDER_TYPES:
        raise InvalidInput(f"Order type must be one of: {', '.join(ORDER_TYPES)}.")
    if order.made_on and order.expires_on and order.expires_on < order.made_on:
        raise InvalidInput("An order cannot end before it was made.")
    fields = order.to_json()
    del fields["id"]
    return _order(store.create(book, ORDER_KIND, fields))


def _order(stored: store.Stored) -> CourtOrder:
    d = stored.data
    subject = d.get("subject_id")
    return CourtOrder(
        id=stored.id,
        type=str(d["type"]),
        court=str(d.get("court") or ""),
        made_on=_date(d.get("made_on")),
        expires_on=_date(d.get("expires_on")),
        conditions=str_list(d.get("conditions")),
        subject_id=int(str(subject)) if subject is not None else None,
        reference=str(d.get("reference") or ""),
    )


def orders(book: Casebook) -> list[CourtOrder]:
    return [_order(s) for s in store.current(book, ORDER_KIND)]


def get_order(book: Casebook, order_id: int) -> CourtOrder:
    return _order(store.get(book, ORDER_KIND, order_id))


def crime_references(book: Casebook) -> list[str]:
    """Every crime reference number recorded, from police contacts and incidents, once each."""
    from safetrail.services.incidents import list_incidents

    found = [c.crime_reference for c in police_contacts(book)]
    found += [i.details.police.crime_reference for i in list_incidents(book)]
    return list(dict.fromkeys(r.strip() for r in found if r.strip()))
