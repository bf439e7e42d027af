"""The diary: write, read and edit incidents."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from safetrail.services.incidents import list_incidents
from safetrail.web.pages.common import OpenBook
from safetrail.web.templating import render

router = APIRouter(prefix="/diary")


@router.get("")
def diary(request: Request, book: OpenBook) -> Response:
    return render(
        request, "diary/list.html", {"title": "Diary", "incidents": list_incidents(book)[::-1]}
    )
