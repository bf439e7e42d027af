"""The diary: write an incident with guidance, drafts saved as you type, edit with every earlier
version visible, and attach evidence."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from safetrail.models.incident import IncidentDetails
from safetrail.services import drafts
from safetrail.services.casebook import Casebook
from safetrail.services.errors import NotFound, SafetrailError
from safetrail.services.evidence import list_evidence
from safetrail.services.incidents import (
    add_incident,
    edit_incident,
    get_incident,
    incident_history,
    link_evidence,
    list_incidents,
)
from safetrail.services.subjects import list_subjects
from safetrail.storage.repository import now_utc
from safetrail.web.pages.common import Errors, OpenBook, error, field, see_other, state_of
from safetrail.web.pages.diary_form import (
    BEHAVIOUR_CHOICES,
    CHANNEL_CHOICES,
    CHANNEL_LABELS,
    GUIDANCE,
    details_from_values,
    empty_values,
    values_from_details,
    values_from_form,
)
from safetrail.web.templating import render

router = APIRouter(prefix="/diary")

NEW_DRAFT = "incident-new"


def draft_key(incident_id: int | None) -> str:
    return NEW_DRAFT if incident_id is None else f"incident-{incident_id}"


def _timezone(book: Casebook) -> str:
    return book.setting("timezone") or "Europe/London"


def _form_context(book: Casebook, values: dict[str, str], errors: Errors) -> dict[str, Any]:
    return {
        "values": values,
        "errors": errors,
        "guide": GUIDANCE,
        "behaviour_choices": BEHAVIOUR_CHOICES,
        "channel_choices": CHANNEL_CHOICES,
        "chosen_behaviours": set(values.get("behaviours", "").split(",")),
        "subjects": [(s.id, s.details.label(s.id)) for s in list_subjects(book)],
    }


def _load_incident(book: Casebook, incident_id: int) -> Any:
    try:
        return get_incident(book, incident_id)
    except NotFound:
        return None


@router.get("")
def diary(request: Request, book: OpenBook) -> Response:
    incidents = list_incidents(book)[::-1]
    return render(
        request,
        "diary/list.html",
        {"title": "Diary", "incidents": incidents, "has_draft": _has_draft(book)},
    )


def _has_draft(book: Casebook) -> bool:
    return drafts.load_draft(book, NEW_DRAFT) is not None


@router.get("/new")
def new_incident_page(request: Request, book: OpenBook) -> Response:
    draft = drafts.load_draft(book, NEW_DRAFT)
    values = {**empty_values(), **draft} if draft else empty_values()
    context = _form_context(book, values, [])
    context.update(
        title="Write down what happened",
        action="/diary/new",
        draft_key=NEW_DRAFT,
        restored=draft is not None,
    )
    return render(request, "diary/form.html", context)


def _save_new(book: Casebook, values: dict[str, str]) -> tuple[int | None, Errors]:
    details, errors = details_from_values(values, _timezone(book), now_utc())
    if details is None:
        return None, errors
    try:
        incident = add_incident(book, details)
    except SafetrailError as exc:
        return None, [error("what_happened", str(exc))]
    drafts.discard_draft(book, NEW_DRAFT)
    return incident.id, []


@router.post("/new")
async def new_incident(request: Request) -> Response:
    book = state_of(request).require_book()
    values = values_from_form(await request.form())
    incident_id, errors = await run_in_threadpool(_save_new, book, values)
    if incident_id is None:
        context = await run_in_threadpool(_form_context, book, values, errors)
        context.update(
            title="Write down what happened",
            action="/diary/new",
            draft_key=NEW_DRAFT,
            restored=False,
        )
        return render(request, "diary/form.html", context, 400)
    return see_other(f"/diary/{incident_id}?saved=1")


@router.post("/draft")
async def save_draft(request: Request) -> Response:
    """Called by drafts.js as the person types. Answers 204: nothing to show."""
    book = state_of(request).require_book()
    form = await request.form()
    key = field(form, "draft_key", 64)
    values = values_from_form(form)
    try:
        await run_in_threadpool(drafts.save_draft, book, key, values)
    except SafetrailError:
        return Response(status_code=400)
    return Response(status_code=204)


@router.post("/draft/discard")
def discard_draft(request: Request, book: OpenBook) -> Response:
    drafts.discard_draft(book, NEW_DRAFT)
    return see_other("/diary/new")


@router.get("/{incident_id}")
def show_incident(request: Request, incident_id: int, book: OpenBook) -> Response:
    incident = _load_incident(book, incident_id)
    if incident is None:
        return render(
            request,
            "base/problem.html",
            {"title": "Not found", "message": "There is no diary entry with that number."},
            404,
        )
    history = incident_history(book, incident_id)
    evidence = {item.id: item for item in list_evidence(book)}
    subjects = {s.id: s.details.label(s.id) for s in list_subjects(book)}
    return render(
        request,
        "diary/show.html",
        {
            "title": "Diary entry",
            "incident": incident,
            "history": history[:-1][::-1],
            "linked": [evidence[i] for i in incident.details.evidence_ids if i in evidence],
            "attachable": [
                e for e in evidence.values() if e.id not in incident.details.evidence_ids
            ],
            "subjects": subjects,
            "channel_labels": CHANNEL_LABELS,
            "behaviour_labels": dict(BEHAVIOUR_CHOICES),
            "saved": request.query_params.get("saved") == "1",
        },
    )


@router.get("/{incident_id}/edit")
def edit_page(request: Request, incident_id: int, book: OpenBook) -> Response:
    incident = _load_incident(book, incident_id)
    if incident is None:
        return see_other("/diary")
    key = draft_key(incident_id)
    draft = drafts.load_draft(book, key)
    values = draft or values_from_details(incident.details, _timezone(book))
    context = _form_context(book, values, [])
    context.update(
        title="Change this diary entry",
        action=f"/diary/{incident_id}/edit",
        draft_key=key,
        restored=draft is not None,
        incident=incident,
    )
    return render(request, "diary/form.html", context)


def _save_edit(
    book: Casebook, incident_id: int, values: dict[str, str]
) -> tuple[bool, Errors, Any]:
    incident = get_incident(book, incident_id)
    details: IncidentDetails | None
    details, errors = details_from_values(values, _timezone(book), now_utc(), incident.details)
    if details is None:
        return False, errors, incident
    if details != incident.details:
        try:
            edit_incident(book, incident_id, details)
        except SafetrailError as exc:
            return False, [error("what_happened", str(exc))], incident
    drafts.discard_draft(book, draft_key(incident_id))
    return True, [], incident


@router.post("/{incident_id}/edit")
async def edit(request: Request, incident_id: int) -> Response:
    book = state_of(request).require_book()
    values = values_from_form(await request.form())
    try:
        saved, errors, incident = await run_in_threadpool(_save_edit, book, incident_id, values)
    except NotFound:
        return see_other("/diary")
    if not saved:
        context = await run_in_threadpool(_form_context, book, values, errors)
        context.update(
            title="Change this diary entry",
            action=f"/diary/{incident_id}/edit",
            draft_key=draft_key(incident_id),
            restored=False,
            incident=incident,
        )
        return render(request, "diary/form.html", context, 400)
    return see_other(f"/diary/{incident_id}?saved=1")


@router.post("/{incident_id}/attach")
async def attach(request: Request, incident_id: int) -> Response:
    book = state_of(request).require_book()
    chosen = field(await request.form(), "evidence_id", 20)
    if chosen.isdigit():
        try:
            await run_in_threadpool(link_evidence, book, incident_id, int(chosen))
        except NotFound:
            return see_other("/diary")
    return see_other(f"/diary/{incident_id}")
