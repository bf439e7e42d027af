"""Evidence: add files and exports, the exhibits list, and a safe viewer for each item."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from safetrail.services.evidence import list_evidence
from safetrail.web.pages.common import OpenBook
from safetrail.web.templating import render

router = APIRouter(prefix="/evidence")


@router.get("")
def exhibits(request: Request, book: OpenBook) -> Response:
    return render(
        request, "evidence/list.html", {"title": "Evidence", "items": list_evidence(book)}
    )
