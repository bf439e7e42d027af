"""Home: help now, where the case stands in two sentences, and what to do next."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from starlette.responses import Response

from safetrail.services.casebook import Casebook
from safetrail.services.evidence import list_evidence
from safetrail.services.incidents import list_incidents
from safetrail.services.records import count_records
from safetrail.services.subjects import list_subjects
from safetrail.web.pages.common import open_book, see_other, state_of
from safetrail.web.templating import render

router = APIRouter()


@dataclass(frozen=True, slots=True)
class NextStep:
    text: str
    href: str


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def case_summary(book: Casebook, timezone: str) -> tuple[str, str]:
    """Two plain sentences: what the diary holds, and what evidence backs it."""
    from zoneinfo import ZoneInfo

    incidents = list_incidents(book)
    evidence = list_evidence(book)
    records = count_records(book)
    people = list_subjects(book)
    if incidents:
        tz = ZoneInfo(timezone)
        first = incidents[0].details.occurred_start.astimezone(tz)
        last = incidents[-1].details.occurred_start.astimezone(tz)
        diary = (
            f"Your diary has {_plural(len(incidents), 'entry', 'entries')}, "
            f"from {first:%d %B %Y} to {last:%d %B %Y}."
        )
    else:
        diary = "Your diary is empty so far."
    kept = [item for item in evidence if item.parent_id is None]
    came_with = len(evidence) - len(kept)
    extra = (
        f" (and {_plural(came_with, 'file', 'files')} that came with your exports)"
        if came_with
        else ""
    )
    backing = (
        f"You have kept {_plural(len(kept), 'evidence item', 'evidence items')}{extra}, holding "
        f"{_plural(records, 'message or call', 'messages and calls')}, and recorded "
        f"{_plural(len(people), 'person', 'people')} causing concern."
    )
    return diary, backing


def next_steps(book: Casebook) -> list[NextStep]:
    steps: list[NextStep] = []
    if not list_incidents(book):
        steps.append(NextStep("Write down the most recent thing that happened", "/diary/new"))
    else:
        steps.append(NextStep("Write down anything new that has happened", "/diary/new"))
    if not list_evidence(book):
        steps.append(
            NextStep("Keep your evidence: screenshots, photos, message exports", "/evidence/add")
        )
    else:
        steps.append(NextStep("Add more evidence, or look through what you have", "/evidence"))
    return steps


@router.get("/")
def home(request: Request) -> Response:
    state = state_of(request)
    if state.book is None:
        return see_other("/unlock" if state.casebook_exists else "/welcome")
    book: Casebook = open_book(request)
    timezone = book.setting("timezone") or "Europe/London"
    return render(
        request,
        "home/home.html",
        {
            "title": "Home",
            "summary": case_summary(book, timezone),
            "steps": next_steps(book),
            "welcome": request.query_params.get("welcome") == "1",
            "rollback": book.rollback_suspected,
        },
    )
