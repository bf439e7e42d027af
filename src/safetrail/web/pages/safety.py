"""Safety: the risk questions with the factors found in the evidence and next steps, the safety
plan, trusted contacts, the support directory and the guidance pages."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request
from markdown_it import MarkdownIt
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from safetrail.safety.directory import load_directory
from safetrail.safety.guide import TOPICS, GuideError, load_page
from safetrail.safety.plan_content import load_safety_plan
from safetrail.safety.risk_content import load_risk_questions
from safetrail.services import plan as safety_plan
from safetrail.services.casebook import Casebook
from safetrail.services.errors import SafetrailError
from safetrail.services.risk import current_answers, record_answers, reviews, risk_overview
from safetrail.web.analysis_cache import ANALYSIS_CACHE
from safetrail.web.book_memo import BOOK_MEMO
from safetrail.web.pages.common import Errors, OpenBook, error, field, see_other, state_of
from safetrail.web.pages.filters import readable
from safetrail.web.templating import render

router = APIRouter(prefix="/safety")

PLAN_STATUSES: tuple[tuple[str, str], ...] = (
    ("not-started", "Not started"),
    ("in-progress", "Started"),
    ("done", "Done"),
    ("not-for-me", "Not for me"),
)
MAX_NOTE = 5000


@router.get("")
def safety_page(request: Request, book: OpenBook) -> Response:
    # Finding the factors analyses the whole case: remembered until the case changes.
    overview = BOOK_MEMO.get(
        book, "risk_overview", lambda: risk_overview(book, ANALYSIS_CACHE.get(book))
    )
    context = {
        "title": "Your safety",
        "overview": overview,
        "answered": len(overview.answers),
        "questions": len(overview.questions),
    }
    return render(request, "safety/index.html", context)


def _risk_context(book: Casebook, errors: Errors, typed: dict[str, str] | None) -> dict[str, Any]:
    content = load_risk_questions()
    values: dict[str, str] = {}
    for question_id, (_, answer) in current_answers(book).items():
        values[f"answer-{question_id}"] = answer.answer
        values[f"note-{question_id}"] = answer.note
    saved = reviews(book)
    if typed is not None:
        values = typed
    return {
        "title": "Questions about your safety",
        "content": content,
        "options": [(o.id, o.label) for o in content.answer_options],
        "values": values,
        "errors": errors,
        "last_review": saved[-1].at if saved else None,
    }


@router.get("/risk")
def risk_page(request: Request, book: OpenBook) -> Response:
    return render(request, "safety/risk.html", _risk_context(book, [], None))


def _answers_from(form: FormData) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    typed: dict[str, str] = {}
    answers: dict[str, tuple[str, str]] = {}
    for question in load_risk_questions().questions:
        answer = field(form, f"answer-{question.id}", 40)
        note = field(form, f"note-{question.id}", MAX_NOTE)
        typed[f"answer-{question.id}"] = answer
        typed[f"note-{question.id}"] = note
        if answer:
            answers[question.id] = (answer, note)
    return answers, typed


def _save_answers(book: Casebook, answers: dict[str, tuple[str, str]]) -> Errors:
    if not answers:
        first = load_risk_questions().questions[0].id
        problem = "Please answer at least one question, or come back later."
        return [error(f"answer-{first}", problem)]
    try:
        record_answers(book, answers, ANALYSIS_CACHE.get(book))
    except SafetrailError as exc:
        return [error(f"answer-{next(iter(answers))}", str(exc))]
    return []


@router.post("/risk")
async def save_risk(request: Request) -> Response:
    book = state_of(request).require_book()
    answers, typed = _answers_from(await request.form())
    errors = await run_in_threadpool(_save_answers, book, answers)
    if errors:
        context = await run_in_threadpool(_risk_context, book, errors, typed)
        return render(request, "safety/risk.html", context, status=400)
    return see_other("/safety")


@router.get("/plan")
def plan_page(request: Request, book: OpenBook) -> Response:
    context = {
        "title": "Your safety plan",
        "intro": load_safety_plan().intro,
        "entries": safety_plan.plan(book),
        "statuses": PLAN_STATUSES,
        "labels": dict(PLAN_STATUSES),
        "errors": [],
    }
    return render(request, "safety/plan.html", context)


@router.post("/plan/{item_id}")
async def save_plan_step(request: Request, item_id: str) -> Response:
    book = state_of(request).require_book()
    form = await request.form()
    status = field(form, f"status-{item_id}", 40)
    notes = field(form, f"notes-{item_id}", MAX_NOTE)
    try:
        await run_in_threadpool(safety_plan.update_item, book, item_id[:100], status or None, notes)
    except SafetrailError as exc:
        context = {
            "title": "Your safety plan",
            "intro": load_safety_plan().intro,
            "entries": await run_in_threadpool(safety_plan.plan, book),
            "statuses": PLAN_STATUSES,
            "labels": dict(PLAN_STATUSES),
            "errors": [error("plan", str(exc))],
        }
        return render(request, "safety/plan.html", context, status=400)
    return see_other(f"/safety/plan#step-{item_id[:100]}")


def _contacts_context(book: Casebook, errors: Errors, values: dict[str, str]) -> dict[str, Any]:
    return {
        "title": "People you trust",
        "contacts": safety_plan.contacts(book),
        "errors": errors,
        "values": values,
    }


@router.get("/contacts")
def contacts_page(request: Request, book: OpenBook) -> Response:
    empty = {"name": "", "how_to_reach": "", "can_help_with": "", "knows": ""}
    return render(request, "safety/contacts.html", _contacts_context(book, [], empty))


@router.post("/contacts")
async def add_contact(request: Request) -> Response:
    book = state_of(request).require_book()
    form = await request.form()
    values = {
        "name": field(form, "name", 200),
        "how_to_reach": field(form, "how_to_reach", 500),
        "can_help_with": field(form, "can_help_with", 2000),
        "knows": field(form, "knows", 10),
    }
    try:
        await run_in_threadpool(
            safety_plan.add_contact,
            book,
            values["name"],
            values["how_to_reach"],
            values["knows"] == "yes",
            values["can_help_with"],
        )
    except SafetrailError as exc:
        context = await run_in_threadpool(
            _contacts_context, book, [error("name", str(exc))], values
        )
        return render(request, "safety/contacts.html", context, status=400)
    return see_other("/safety/contacts")


@router.post("/contacts/{contact_id}/remove")
async def remove_contact(request: Request, contact_id: int) -> Response:
    book = state_of(request).require_book()
    try:
        await run_in_threadpool(
            safety_plan.remove_contact, book, contact_id, "removed in the web app"
        )
    except SafetrailError as exc:
        empty = {"name": "", "how_to_reach": "", "can_help_with": "", "knows": ""}
        context = await run_in_threadpool(
            _contacts_context, book, [error("contacts", str(exc))], empty
        )
        return render(request, "safety/contacts.html", context, status=400)
    return see_other("/safety/contacts")


@router.get("/directory")
def directory_page(request: Request, book: OpenBook) -> Response:
    jurisdiction = book.setting("jurisdiction") or "england-wales"
    directory = load_directory()
    services = [s for s in directory.services if jurisdiction in s.jurisdictions]
    others = [s for s in directory.services if jurisdiction not in s.jurisdictions]
    context = {
        "title": "Where to get support",
        "emergency": directory.emergency,
        "services": services,
        "others": others,
        "readable": readable,
    }
    return render(request, "safety/directory.html", context)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # "js-default": raw HTML in the text is shown as text, and unsafe link targets are refused.
    return MarkdownIt("js-default")


def guide_html(body: str) -> Markup:
    """Our own guidance Markdown as HTML; any HTML inside it is escaped, never passed through."""
    return Markup(_markdown().render(body))


@router.get("/guide")
def guide_index(request: Request, book: OpenBook) -> Response:
    jurisdiction = book.setting("jurisdiction") or "england-wales"
    pages = [load_page(topic, jurisdiction) for topic in TOPICS]
    return render(request, "safety/guide_index.html", {"title": "Guidance", "pages": pages})


@router.get("/guide/{topic}")
def guide_page(request: Request, book: OpenBook, topic: str) -> Response:
    jurisdiction = book.setting("jurisdiction") or "england-wales"
    try:
        page = load_page(topic, jurisdiction)
    except GuideError:
        return render(request, "timeline/missing.html", {"title": "Not found"}, status=404)
    context = {"title": page.title, "page": page, "body": guide_html(page.body)}
    return render(request, "safety/guide.html", context)
