"""The pattern: the analysis in plain words, its charts, the tags to confirm or reject, and the
law the logged facts may touch (information, never advice).

Every page reads one shared, cached analysis, so only the first visit after a change waits.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from safetrail.analysis.charts import (
    behaviours_chart,
    escalation_chart,
    heatmap_chart,
    plain_trend_title,
    weekly_by_channel_chart,
)
from safetrail.analysis.escalation import Escalation, Signal
from safetrail.analysis.model import TagStatus
from safetrail.analysis.pattern import Pattern
from safetrail.analysis.results import Analysis, SubjectAnalysis
from safetrail.services.errors import SafetrailError
from safetrail.services.tagging import ADDED_BY_YOU, decide
from safetrail.web.analysis_cache import ANALYSIS_CACHE
from safetrail.web.book_memo import BOOK_MEMO
from safetrail.web.pages.common import OpenBook, error, field, see_other, state_of
from safetrail.web.pages.filters import readable
from safetrail.web.pages.timeline import show_record
from safetrail.web.templating import render

router = APIRouter(prefix="/pattern")

TAGS_PAGE = 50
MAX_TAG_PAGE = 100_000
CHARTS: tuple[tuple[str, str], ...] = (
    ("weekly", "Contacts each week, by how they made contact"),
    ("behaviours", "Behaviours logged each week"),
    ("heatmap", "Days and times of contact"),
    ("escalation", "Weekly totals and signs of escalation"),
)
CHARTED_PEOPLE = 3
"""How many people get their charts drawn on the pattern page; the rest have a page each."""
DECISIONS = {"confirm": TagStatus.CONFIRMED, "reject": TagStatus.REJECTED}


def _who_key(subject: SubjectAnalysis) -> str:
    return "unlinked" if subject.subject_id is None else str(subject.subject_id)


def _subject_for(result: Analysis, who: str) -> SubjectAnalysis | None:
    return next((s for s in result.subjects if _who_key(s) == who), None)


def _most_conduct(result: Analysis) -> set[str]:
    """The keys of the few people with the most occasions logged, whose charts the page draws."""
    ranked = sorted(result.subjects, key=lambda s: -s.pattern.conduct.occasions)
    return {_who_key(s) for s in ranked[:CHARTED_PEOPLE]}


def _plain_signal(signal: Signal, escalation: Escalation) -> str:
    """A sign of escalation in everyday words: the rising-contact sign without its statistic."""
    rates = escalation.trend.rates
    if signal.signal != "contact_rising" or rates is None:
        return signal.description
    return (
        f"In the last {rates.recent_weeks} weeks {rates.recent_count} contacts were logged, "
        f"about {rates.recent_rate:.1f} a week, against about {rates.earlier_rate:.1f} a week "
        f"in the {rates.earlier_weeks} weeks before."
    )


def _person(subject: SubjectAnalysis, result: Analysis, charted: bool) -> dict[str, Any]:
    return {
        "subject": subject,
        "signals": [_plain_signal(s, subject.escalation) for s in subject.escalation.signals],
        "key": _who_key(subject),
        "charted": charted,
        "trend": plain_trend_title(subject.escalation),
        "repeats_summary": len(result.subjects) == 1 or subject.summary in result.summary,
    }


@router.get("")
def pattern_page(request: Request, book: OpenBook) -> Response:
    case = ANALYSIS_CACHE.get(book)
    result = case.analysis
    charted = _most_conduct(result)
    context = {
        "title": "The pattern",
        "result": result,
        "notes": case.notes,
        "people": [_person(s, result, _who_key(s) in charted) for s in result.subjects],
        "charts": CHARTS,
        "suggested": case.suggested_count(),
        "several": len(result.subjects) > 1,
    }
    return render(request, "pattern/summary.html", context)


@router.get("/person/{who}")
def person_page(request: Request, book: OpenBook, who: str) -> Response:
    """One person's pattern with all their charts, for those the summary page does not chart."""
    result = ANALYSIS_CACHE.get(book).analysis
    subject = _subject_for(result, who)
    if subject is None:
        return Response("No such person.", status_code=404, media_type="text/plain")
    context = {
        "title": "The pattern for one person",
        "person": {**_person(subject, result, True), "repeats_summary": False},
        "charts": CHARTS,
    }
    return render(request, "pattern/person.html", context)


def _chart_maker(result: Analysis, who: str, name: str) -> Callable[[], bytes] | None:
    if who == "all":
        pattern: Pattern = result.overall
        subject = None
    else:
        subject = _subject_for(result, who)
        if subject is None:
            return None
        pattern = subject.pattern
    makers: dict[str, Callable[[], bytes]] = {
        "weekly": partial(weekly_by_channel_chart, pattern),
        "behaviours": partial(behaviours_chart, pattern),
        "heatmap": partial(heatmap_chart, pattern),
    }
    if subject is not None:
        makers["escalation"] = partial(
            escalation_chart, subject.pattern, subject.escalation, result.now.date(), plain=True
        )
    return makers.get(name)


@router.get("/chart/{who}/{name}.svg")
def chart(request: Request, book: OpenBook, who: str, name: str) -> Response:
    """A chart drawn on the server as SVG, shown with <img> so nothing in it can run."""
    case = ANALYSIS_CACHE.get(book)
    maker = _chart_maker(case.analysis, who, name)
    if maker is None:
        return Response("No such chart.", status_code=404, media_type="text/plain")
    key = f"chart:{case.analysis.jurisdiction}:{who}:{name}"
    return Response(BOOK_MEMO.get(book, key, maker), media_type="image/svg+xml")


def _tag_page(raw: str | None) -> int:
    return max(1, min(int(raw), MAX_TAG_PAGE)) if raw and raw.isdigit() else 1


def _tags_context(book: Any, page: int) -> dict[str, Any]:
    case = ANALYSIS_CACHE.get(book)
    views = case.found_tags
    waiting = [v for v in views if v.status is TagStatus.SUGGESTED]
    start = (page - 1) * TAGS_PAGE
    shown = waiting[start : start + TAGS_PAGE]
    decided = [v for v in views if v.status in (TagStatus.CONFIRMED, TagStatus.REJECTED)]
    return {
        "title": "Behaviours found",
        "shown": shown,
        "waiting": len(waiting),
        "decided": decided[-TAGS_PAGE:][::-1],
        "page": page,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if start + TAGS_PAGE < len(waiting) else None,
        "readable": readable,
        "context_tags": len(case.after_request),
        "added_by_you": ADDED_BY_YOU,
    }


@router.get("/tags")
def tags_page(request: Request, book: OpenBook) -> Response:
    context = _tags_context(book, _tag_page(request.query_params.get("page")))
    context["errors"] = []
    return render(request, "pattern/tags.html", context)


def _decide(book: Any, kind: str, target: str, tag: str, choice: str) -> str | None:
    if choice not in DECISIONS or not target.isdigit():
        return "Please choose whether this behaviour is right."
    if not tag:
        return "Please choose a behaviour to add."
    try:
        decide(book, kind, int(target), tag, DECISIONS[choice])
    except SafetrailError as exc:
        return str(exc)
    return None


def _record_asked_from(form: FormData) -> int | None:
    """The record whose page the decision was made on, if it was made there."""
    target = field(form, "target", 20)
    from_record = field(form, "back", 10) == "record" and field(form, "kind", 20) == "record"
    return int(target) if from_record and target.isdigit() else None


def _after_decision(form: FormData, page: int) -> str:
    """Back to the record the decision was made on, or to the same page of the tag list."""
    record_id = _record_asked_from(form)
    if record_id is not None:
        return f"/timeline/record/{record_id}"
    return "/pattern/tags?" + urlencode({"page": page})


@router.post("/tags")
async def decide_tag(request: Request) -> Response:
    book = state_of(request).require_book()
    form = await request.form()
    page = _tag_page(field(form, "page", 10))
    problem = await run_in_threadpool(
        _decide,
        book,
        field(form, "kind", 20),
        field(form, "target", 20),
        field(form, "tag", 60),
        field(form, "decision", 20),
    )
    if problem is None:
        return see_other(_after_decision(form, page))
    record_id = _record_asked_from(form)
    if record_id is not None:
        return await run_in_threadpool(show_record, request, book, record_id, problem)
    context = await run_in_threadpool(_tags_context, book, page)
    context["errors"] = [error("tags", problem)]
    return render(request, "pattern/tags.html", context, status=400)


@router.get("/law")
def law_page(request: Request, book: OpenBook) -> Response:
    result = ANALYSIS_CACHE.get(book).analysis
    context = {
        "title": "The law it may touch",
        "subjects": result.subjects,
        "jurisdiction": result.jurisdiction,
        "several": len(result.subjects) > 1,
        "readable": readable,
    }
    return render(request, "pattern/law.html", context)
