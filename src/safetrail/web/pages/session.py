"""Unlock, lock and quick exit."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from safetrail.services.errors import SafetrailError
from safetrail.vault.keys import KeyfileError, WrongPassphrase
from safetrail.vault.lock import CasebookBusy
from safetrail.web.pages.common import error, secret_field, see_other, state_of
from safetrail.web.templating import render

router = APIRouter()

MAX_PASSPHRASE = 1024


@router.get("/unlock")
def unlock_page(request: Request) -> Response:
    state = state_of(request)
    if not state.casebook_exists:
        return see_other("/welcome")
    if state.book is not None:
        return see_other("/")
    locked = request.query_params.get("locked") == "1"
    return render(request, "unlock/unlock.html", {"title": "Unlock", "just_locked": locked})


@router.post("/unlock")
async def unlock(request: Request) -> Response:
    form = await request.form()
    passphrase = secret_field(form, "passphrase", MAX_PASSPHRASE)
    state = state_of(request)
    message = ""
    if not passphrase:
        message = "Please type your passphrase."
    else:
        try:
            await run_in_threadpool(state.unlock, passphrase)
        except WrongPassphrase:
            message = "That passphrase does not open this casebook. Check Caps Lock and try again."
        except (CasebookBusy, KeyfileError, SafetrailError) as exc:
            message = str(exc)
    if message:
        return render(
            request,
            "unlock/unlock.html",
            {"title": "Unlock", "errors": [error("passphrase", message)], "just_locked": False},
            400,
        )
    return see_other("/")


@router.post("/lock")
def lock(request: Request) -> Response:
    state_of(request).lock()
    return see_other("/unlock?locked=1")


@router.post("/exit")
def quick_exit(request: Request) -> Response:
    """Lock first, then leave for the neutral page (via /exited, see there)."""
    state_of(request).lock()
    return see_other("/exited")


@router.get("/exited")
def exited(request: Request) -> Response:
    """A blank page that moves on to the neutral site at once.

    A form's redirect to another site is blocked by the CSP's form-action, so without JavaScript
    the last step is a meta refresh, which CSP allows.
    """
    url = state_of(request).preferences().exit_url
    response: Response = render(request, "unlock/exited.html", {"exit_url": url})
    return response


@router.get("/lock")
def lock_get() -> RedirectResponse:
    return see_other("/unlock")
