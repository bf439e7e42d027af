"""People: the subjects of the case (add, edit) and "who is this number?" for unknown senders."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from safetrail.models.enums import Relationship
from safetrail.models.subject import SubjectDetails
from safetrail.models.timeutil import from_iso
from safetrail.services.casebook import Casebook
from safetrail.services.errors import NotFound, SafetrailError
from safetrail.services.evidence import list_evidence
from safetrail.services.records import (
    UnknownSender,
    assign_sender,
    senders_of,
    set_me,
    unknown_senders,
)
from safetrail.services.settings import dismiss_sender, dismissed_senders
from safetrail.services.subjects import (
    add_subject,
    edit_subject,
    get_subject,
    list_subjects,
    remove_subject,
)
from safetrail.services.when import zone
from safetrail.web.book_memo import BOOK_MEMO
from safetrail.web.pages.common import Errors, OpenBook, error, field, see_other, state_of
from safetrail.web.pages.filters import readable
from safetrail.web.templating import render

router = APIRouter(prefix="/subjects")

LIST_FIELDS = ("phones", "emails", "handles", "vehicles", "addresses")
FIELD_LABELS = {
    "name": "Name",
    "phones": "Phone numbers",
    "emails": "Email addresses",
    "handles": "Usernames or handles",
    "vehicles": "Vehicles",
    "addresses": "Addresses",
    "description": "Description",
}
RELATIONSHIP_CHOICES = [(r.value, readable(r.value)) for r in Relationship]
MAX_ITEMS = 50
MAX_ITEM = 300
SHOWN_SENDERS = 100


def _split(text: str) -> tuple[str, ...]:
    lines = [line.strip()[:MAX_ITEM] for line in text.replace(",", "\n").splitlines()]
    return tuple(dict.fromkeys(line for line in lines if line))[:MAX_ITEMS]


def _values_of(details: SubjectDetails) -> dict[str, str]:
    values = {name: "\n".join(getattr(details, name)) for name in LIST_FIELDS}
    values.update(
        name=details.name or "",
        relationship=details.relationship.value,
        description=details.description,
    )
    return values


def _values_from(form: FormData) -> dict[str, str]:
    values = {name: field(form, name, 5000) for name in LIST_FIELDS}
    values.update(
        name=field(form, "name", 200),
        relationship=field(form, "relationship", 40),
        description=field(form, "description", 10_000),
    )
    return values


def _details_from(values: dict[str, str]) -> tuple[SubjectDetails | None, Errors]:
    if values["relationship"] not in {r.value for r in Relationship}:
        return None, [error("relationship", "Please choose how you know them, or 'Unknown'.")]
    details = SubjectDetails(
        name=values["name"] or None,
        relationship=Relationship(values["relationship"]),
        phones=_split(values["phones"]),
        emails=_split(values["emails"]),
        handles=_split(values["handles"]),
        vehicles=_split(values["vehicles"]),
        addresses=tuple(
            line.strip()[:MAX_ITEM] for line in values["addresses"].splitlines() if line.strip()
        )[:MAX_ITEMS],
        description=values["description"],
    )
    return details, []


def _form(
    request: Request, values: dict[str, str], errors: Errors, action: str, title: str
) -> Response:
    context = {
        "title": title,
        "values": values,
        "errors": errors,
        "action": action,
        "relationships": RELATIONSHIP_CHOICES,
    }
    return render(request, "subjects/form.html", context, status=400 if errors else 200)


def _unknown(book: Casebook) -> list[UnknownSender]:
    """Senders linked to no one; counting them reads every record, so it is remembered."""
    return BOOK_MEMO.get(book, "unknown_senders", lambda: unknown_senders(book))


@router.get("")
def subjects_page(request: Request, book: OpenBook) -> Response:
    subjects = list_subjects(book)
    hidden = dismissed_senders(book)
    unknown = sum(1 for s in _unknown(book) if s.key not in hidden)
    context = {
        "title": "People",
        "subjects": subjects,
        "unknown": unknown,
        "readable": readable,
        "labels": FIELD_LABELS,
        "list_fields": LIST_FIELDS,
    }
    return render(request, "subjects/list.html", context)


@router.get("/new")
def new_subject_page(request: Request, book: OpenBook) -> Response:
    values = _values_of(SubjectDetails())
    return _form(request, values, [], "/subjects/new", "Add a person")


def _save(book: Casebook, subject_id: int | None, values: dict[str, str]) -> Errors:
    details, errors = _details_from(values)
    if details is None:
        return errors
    try:
        if subject_id is None:
            add_subject(book, details)
        else:
            edit_subject(book, subject_id, details)
    except SafetrailError as exc:
        return [error("name", str(exc))]
    return []


@router.post("/new")
async def new_subject(request: Request) -> Response:
    book = state_of(request).require_book()
    values = _values_from(await request.form())
    errors = await run_in_threadpool(_save, book, None, values)
    if errors:
        return _form(request, values, errors, "/subjects/new", "Add a person")
    return see_other("/subjects")


def _subject_or_none(book: Casebook, subject_id: int) -> Any:
    try:
        return get_subject(book, subject_id)
    except NotFound:
        return None


def _missing(request: Request) -> Response:
    return render(request, "timeline/missing.html", {"title": "Not found"}, status=404)


@router.get("/{subject_id}/edit")
def edit_subject_page(request: Request, book: OpenBook, subject_id: int) -> Response:
    subject = _subject_or_none(book, subject_id)
    if subject is None or subject.removed:
        return _missing(request)
    title = f"Change the details of {subject.details.label(subject.id)}"
    return _form(request, _values_of(subject.details), [], f"/subjects/{subject_id}/edit", title)


@router.post("/{subject_id}/edit")
async def edit_subject_form(request: Request, subject_id: int) -> Response:
    book = state_of(request).require_book()
    subject = await run_in_threadpool(_subject_or_none, book, subject_id)
    if subject is None or subject.removed:
        return _missing(request)
    values = _values_from(await request.form())
    errors = await run_in_threadpool(_save, book, subject_id, values)
    if errors:
        title = f"Change the details of {subject.details.label(subject.id)}"
        return _form(request, values, errors, f"/subjects/{subject_id}/edit", title)
    return see_other("/subjects")


def _unknown_context(book: Casebook, errors: Errors, chosen: dict[str, str]) -> dict[str, Any]:
    hidden = dismissed_senders(book)
    senders = [s for s in _unknown(book) if s.key not in hidden]
    choices = [(f"subject:{s.id}", f"This is {s.details.label(s.id)}") for s in list_subjects(book)]
    choices += [
        ("new", "A new person I want to add"),
        ("me", "This is me"),
        ("ignore", "Not relevant to my case"),
    ]
    zone_name = book.setting("timezone") or "Europe/London"
    shown = senders[:SHOWN_SENDERS]
    return {
        "title": "Who is this?",
        "senders": [(s, _span(s, zone_name)) for s in shown],
        "more": max(0, len(senders) - SHOWN_SENDERS),
        "choices": choices,
        "errors": errors,
        "chosen": chosen,
    }


def _day(value: str | None, zone_name: str) -> str:
    if not value:
        return ""
    try:
        return from_iso(value).astimezone(zone(zone_name)).strftime("%d %b %Y")
    except ValueError:
        return ""


def _span(sender: UnknownSender, zone_name: str) -> str:
    """'3 messages, from 01 Mar 2026 to 04 Mar 2026' in plain words."""
    words = f"{sender.records} message{'s' if sender.records != 1 else ''}"
    first, last = _day(sender.first, zone_name), _day(sender.last, zone_name)
    if first and last and first != last:
        return f"{words}, from {first} to {last}"
    return f"{words}, on {first}" if first else words


@router.get("/unknown")
def unknown_page(request: Request, book: OpenBook) -> Response:
    return render(request, "subjects/unknown.html", _unknown_context(book, [], {}))


def _mark_as_me(book: Casebook, key: str) -> int:
    """The person is this sender in every import that holds the key."""
    marked = 0
    for item in list_evidence(book):
        if any(k == key for k, _, _ in senders_of(book, item.id)):
            marked += set_me(book, item.id, key)
    return marked


def _apply_choice(book: Casebook, key: str, choice: str) -> str | None:
    """Carry out one choice; the problem in plain words, or None when done."""
    known = {s.key for s in _unknown(book)}
    if key not in known:
        return "We could not find that sender any more. The list below is up to date."
    try:
        if choice.startswith("subject:") and choice.removeprefix("subject:").isdigit():
            assign_sender(book, key, int(choice.removeprefix("subject:")))
        elif choice == "new":
            subject = add_subject(book, SubjectDetails())
            assign_sender(book, key, subject.id)
        elif choice == "me":
            _mark_as_me(book, key)
            dismiss_sender(book, key)
        elif choice == "ignore":
            dismiss_sender(book, key)
        else:
            return "Please choose who this is."
    except SafetrailError as exc:
        return str(exc)
    return None


@router.post("/unknown")
async def unknown_choice(request: Request) -> Response:
    book = state_of(request).require_book()
    form = await request.form()
    key = field(form, "key", 500)
    index = field(form, "index", 10)
    choice = field(form, f"choice-{index}", 100)
    problem = await run_in_threadpool(_apply_choice, book, key, choice)
    if problem is None:
        return see_other("/subjects/unknown")
    field_id = f"choice-{index}" if index.isdigit() else "senders"
    context = await run_in_threadpool(
        _unknown_context, book, [error(field_id, problem)], {key: choice}
    )
    return render(request, "subjects/unknown.html", context, status=400)


@router.get("/{subject_id}/remove")
def remove_subject_page(request: Request, book: OpenBook, subject_id: int) -> Response:
    """Ask first: removing someone is a step the person should mean to take."""
    subject = _subject_or_none(book, subject_id)
    if subject is None or subject.removed:
        return _missing(request)
    return _remove_form(request, subject, "")


def _remove_form(request: Request, subject: Any, reason: str) -> Response:
    context = {
        "title": f"Remove {subject.details.label(subject.id)}",
        "subject": subject,
        "reason": reason,
        "errors": [],
    }
    return render(request, "subjects/remove.html", context)


@router.post("/{subject_id}/remove")
async def remove_subject_form(request: Request, subject_id: int) -> Response:
    book = state_of(request).require_book()
    subject = await run_in_threadpool(_subject_or_none, book, subject_id)
    if subject is None or subject.removed:
        return _missing(request)
    form = await request.form()
    reason = field(form, "reason", 1000)
    if field(form, "confirm", 10) != "yes":
        return see_other("/subjects")
    await run_in_threadpool(remove_subject, book, subject_id, reason or "Removed in the web app")
    return see_other("/subjects")
