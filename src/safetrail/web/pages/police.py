"""The police contact log and court orders, with entries logged as possible breaches."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from safetrail.services.casebook import Casebook
from safetrail.services.errors import SafetrailError
from safetrail.services.police import (
    HOW,
    ORDER_TYPES,
    CourtOrder,
    PoliceContact,
    add_order,
    log_contact,
    orders,
    police_contacts,
)
from safetrail.services.subjects import list_subjects
from safetrail.services.when import parse_when
from safetrail.storage.repository import now_utc
from safetrail.web.analysis_cache import ANALYSIS_CACHE
from safetrail.web.pages.common import Errors, OpenBook, error, field, see_other, state_of
from safetrail.web.pages.filters import read_day, readable
from safetrail.web.templating import render

router = APIRouter(prefix="/safety/police")

HOW_LABELS = {
    "999": "Called 999",
    "101": "Called 101",
    "online": "Reported online",
    "in-person": "In person",
    "phone-other": "Phone (another number)",
    "email": "Email",
    "other": "Another way",
}
CONTACT_FIELDS = (
    "when",
    "how",
    "officer_name",
    "officer_number",
    "crime_reference",
    "what_was_said",
    "outcome",
    "follow_up_due",
)
ORDER_FIELDS = ("type", "court", "made_on", "expires_on", "conditions", "subject", "reference")


def _empty(names: tuple[str, ...]) -> dict[str, str]:
    return dict.fromkeys(names, "")


def _context(
    book: Casebook,
    errors: Errors | None = None,
    contact: dict[str, str] | None = None,
    order: dict[str, str] | None = None,
) -> dict[str, Any]:
    subjects = [(str(s.id), s.details.label(s.id)) for s in list_subjects(book)]
    found = ANALYSIS_CACHE.get(book).analysis
    breaches = [
        (s.name, s.escalation.breaches) for s in found.subjects if s.escalation.breaches.count
    ]
    return {
        "title": "Police contacts and court orders",
        "contacts": police_contacts(book)[::-1],
        "orders": orders(book),
        "breaches": breaches,
        "subjects": subjects,
        "names": dict(subjects),
        "how_choices": [(h, HOW_LABELS.get(h, h)) for h in HOW],
        "how_labels": HOW_LABELS,
        "order_choices": [(t, readable(t)) for t in ORDER_TYPES],
        "readable": readable,
        "errors": errors or [],
        "open_contact": bool(errors) and contact is not None,
        "open_order": bool(errors) and order is not None,
        "contact": contact or _empty(CONTACT_FIELDS),
        "order": order or _empty(ORDER_FIELDS),
    }


@router.get("")
def police_page(request: Request, book: OpenBook) -> Response:
    return render(request, "safety/police.html", _context(book))


def _values(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    return {name: field(form, name, 5000) for name in names}


def _optional_day(values: dict[str, str], name: str, errors: Errors) -> date | None:
    if not values[name]:
        return None
    day = read_day(values[name])
    if day is None:
        errors.append(error(name, "Please give a date like 12/03/2026, or leave it empty."))
    return day


def _save_contact(book: Casebook, values: dict[str, str]) -> Errors:
    errors: Errors = []
    at: datetime | None = None
    try:
        at = parse_when(
            values["when"] or "now", book.setting("timezone") or "Europe/London", now_utc()
        ).at
    except SafetrailError as exc:
        errors.append(error("when", str(exc)))
    if values["how"] not in HOW:
        errors.append(error("how", "Please choose how you were in touch with the police."))
    follow_up = _optional_day(values, "follow_up_due", errors)
    if errors or at is None:
        return errors
    contact = PoliceContact(
        id=0,
        at=at,
        how=values["how"],
        officer_name=values["officer_name"][:200],
        officer_number=values["officer_number"][:100],
        crime_reference=values["crime_reference"][:100],
        what_was_said=values["what_was_said"],
        outcome=values["outcome"],
        follow_up_due=follow_up,
    )
    try:
        log_contact(book, contact)
    except SafetrailError as exc:
        return [error("how", str(exc))]
    return []


@router.post("/contact")
async def add_police_contact(request: Request) -> Response:
    book = state_of(request).require_book()
    values = _values(await request.form(), CONTACT_FIELDS)
    errors = await run_in_threadpool(_save_contact, book, values)
    if errors:
        context = await run_in_threadpool(_context, book, errors, values, None)
        return render(request, "safety/police.html", context, status=400)
    return see_other("/safety/police")


def _save_order(book: Casebook, values: dict[str, str]) -> Errors:
    errors: Errors = []
    if values["type"] not in ORDER_TYPES:
        errors.append(error("type", "Please choose the kind of order."))
    made_on = _optional_day(values, "made_on", errors)
    expires_on = _optional_day(values, "expires_on", errors)
    subject_id: int | None = None
    if values["subject"]:
        known = {s.id for s in list_subjects(book)}
        if values["subject"].isdigit() and int(values["subject"]) in known:
            subject_id = int(values["subject"])
        else:
            errors.append(error("subject", "Please choose a person from the list."))
    if errors:
        return errors
    conditions = tuple(
        line.strip()[:1000] for line in values["conditions"].splitlines() if line.strip()
    )[:50]
    order = CourtOrder(
        id=0,
        type=values["type"],
        court=values["court"][:200],
        made_on=made_on,
        expires_on=expires_on,
        conditions=conditions,
        subject_id=subject_id,
        reference=values["reference"][:100],
    )
    try:
        add_order(book, order)
    except SafetrailError as exc:
        return [error("expires_on", str(exc))]
    return []


@router.post("/order")
async def add_court_order(request: Request) -> Response:
    book = state_of(request).require_book()
    values = _values(await request.form(), ORDER_FIELDS)
    errors = await run_in_threadpool(_save_order, book, values)
    if errors:
        context = await run_in_threadpool(_context, book, errors, None, values)
        return render(request, "safety/police.html", context, status=400)
    return see_other("/safety/police")
