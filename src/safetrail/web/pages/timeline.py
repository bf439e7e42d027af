"""The timeline: diary entries, messages, calls and evidence together, filtered and paged.

Records are read one page at a time through the paged query of `record_query`, so the first page
of a casebook of a million records costs about the same as one of a hundred.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from safetrail.analysis.model import Tag
from safetrail.services.casebook import Casebook
from safetrail.services.errors import NotFound, SafetrailError
from safetrail.services.records import get_record
from safetrail.services.subjects import list_subjects
from safetrail.services.tagging import ADDED_BY_YOU, tags_of_record
from safetrail.services.timeline import TimelineFilter, timeline
from safetrail.services.when import zone
from safetrail.web.pages.common import OpenBook, error
from safetrail.web.pages.filters import (
    CHANNEL_CHOICES,
    KIND_CHOICES,
    TAG_CHOICES,
    Filters,
    read_filters,
    readable,
)
from safetrail.web.templating import render

router = APIRouter(prefix="/timeline")

PAGE_SIZE = 50
MAX_PAGE_NUMBER = 100  # deeper pages cost more each; a start date reaches later entries at once
LIST_TEXT = 400  # characters of an entry shown on the list; the detail view shows it all


def timezone_of(book: Casebook) -> str:
    return book.setting("timezone") or "Europe/London"


def subject_choices(book: Casebook) -> list[tuple[int, str]]:
    return [(s.id, s.details.label(s.id)) for s in list_subjects(book)]


def _page_number(raw: str | None) -> int:
    if raw is None or not raw.isdigit():
        return 1
    return max(1, min(int(raw), MAX_PAGE_NUMBER))


def _service_filter(filters: Filters, page: int) -> TimelineFilter:
    return TimelineFilter(
        subject_id=filters.subject_id,
        channel=filters.channel,
        tag=filters.tag,
        start=filters.start,
        end=filters.end,
        text=filters.text,
        kinds=filters.kinds,
        limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
    )


def _query_for(filters: Filters, page: int) -> str:
    pairs = [(k, v) for k, v in filters.values.items() if v]
    pairs += [("kind", k) for k, _ in KIND_CHOICES if k in filters.kinds]
    pairs.append(("page", str(page)))
    return urlencode(pairs)


@router.get("")
def timeline_page(request: Request, book: OpenBook) -> Response:
    zone_name = timezone_of(book)
    subjects = subject_choices(book)
    params = request.query_params
    filters = read_filters(
        dict(params), params.getlist("kind"), zone(zone_name), {i for i, _ in subjects}
    )
    page = _page_number(params.get("page"))
    entries: list[Any] = []
    if not filters.errors:
        try:
            entries = timeline(book, _service_filter(filters, page))
        except SafetrailError as exc:
            filters.errors.append(error("q", str(exc)))
    more = len(entries) > PAGE_SIZE
    at_the_limit = more and page >= MAX_PAGE_NUMBER
    context = {
        "title": "Timeline",
        "filters": filters,
        "values": filters.values,
        "errors": filters.errors,
        "entries": entries[:PAGE_SIZE],
        "names": dict(subjects),
        "subjects": subjects,
        "kind_choices": KIND_CHOICES,
        "channel_choices": [(c, readable(c)) for c in CHANNEL_CHOICES],
        "tag_choices": [(t, readable(t)) for t in TAG_CHOICES],
        "readable": readable,
        "page": page,
        "previous_query": _query_for(filters, page - 1) if page > 1 else None,
        "next_query": _query_for(filters, page + 1) if more and not at_the_limit else None,
        "at_the_limit": at_the_limit,
        "list_text": LIST_TEXT,
        "filtered": any(filters.values.values()) or len(filters.kinds) < len(KIND_CHOICES),
    }
    return render(request, "timeline/list.html", context)


@router.get("/record/{record_id}")
def record_page(request: Request, book: OpenBook, record_id: int) -> Response:
    return show_record(request, book, record_id)


def show_record(
    request: Request, book: Casebook, record_id: int, problem: str | None = None
) -> Response:
    """One record, its behaviours and the form to add one; with a problem, the page says what
    went wrong with the last answer."""
    try:
        record = get_record(book, record_id)
    except NotFound:
        return render(
            request,
            "timeline/missing.html",
            {"title": "Not found"},
            status=404,
        )
    names = dict(subject_choices(book))
    tags = tags_of_record(book, record_id)
    shown = {view.tag for view in tags}
    context = {
        "title": "Message or call",
        "record": record,
        "who": names.get(record.subject_id) if record.subject_id is not None else None,
        "readable": readable,
        "tags": tags,
        "addable": sorted((tag for tag in Tag if tag not in shown), key=readable),
        "added_by_you": ADDED_BY_YOU,
        "errors": [error("added-tag", problem)] if problem else [],
    }
    return render(request, "timeline/record.html", context, status=400 if problem else 200)
