"""Helpers every page module uses: the open casebook, form values and error lists."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse

from safetrail.services.casebook import Casebook
from safetrail.web.state import AppState
from safetrail.web.templating import app_state

Errors = list[dict[str, str]]
MAX_FIELD = 100_000  # characters kept from any one form field


def state_of(request: Request) -> AppState:
    return app_state(request)


def open_book(request: Request) -> Casebook:
    """The open casebook. If it is locked, the app shows the unlock page instead (via Locked).

    Use it through `OpenBook`: `def page(request: Request, book: OpenBook) -> Response`.
    """
    return app_state(request).require_book()


OpenBook = Annotated[Casebook, Depends(open_book)]


def field(form: FormData, name: str, limit: int = MAX_FIELD) -> str:
    """A text field, trimmed and bounded; missing or a file upload reads as ''."""
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def secret_field(form: FormData, name: str, limit: int = 1024) -> str:
    """A passphrase exactly as typed: never trimmed, since spaces may be part of it."""
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def error(field_id: str, text: str) -> dict[str, str]:
    return {"field": field_id, "text": text}


def see_other(url: str) -> RedirectResponse:
    """After a successful POST: go to a page by GET, so reloading never repeats the change."""
    return RedirectResponse(url, status_code=303)
