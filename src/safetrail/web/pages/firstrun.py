"""First run: make a casebook, or explore a made-up demo case first."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from safetrail.services.casebook import DEFAULT_TIMEZONE
from safetrail.services.errors import SafetrailError
from safetrail.services.when import zone
from safetrail.vault.keys import MIN_PASSPHRASE_LENGTH
from safetrail.web.pages.common import Errors, error, field, secret_field, see_other, state_of
from safetrail.web.templating import render

router = APIRouter()

COMMON_ZONES = ("Europe/London", "Europe/Dublin", "Europe/Paris", "UTC")


@router.get("/welcome")
def welcome(request: Request) -> Response:
    state = state_of(request)
    return render(
        request,
        "firstrun/welcome.html",
        {"title": "Welcome", "casebook_exists": state.casebook_exists},
    )


def _create_form(request: Request, values: dict[str, str], errors: Errors, status: int) -> Response:
    return render(
        request,
        "firstrun/create.html",
        {
            "title": "Make your casebook",
            "values": values,
            "errors": errors,
            "zones": COMMON_ZONES,
            "min_length": MIN_PASSPHRASE_LENGTH,
        },
        status,
    )


@router.get("/welcome/create")
def create_page(request: Request) -> Response:
    if state_of(request).casebook_exists:
        return see_other("/unlock")
    return _create_form(request, {"timezone": DEFAULT_TIMEZONE, "initials": ""}, [], 200)


def _check_create(values: dict[str, str], passphrase: str, again: str) -> Errors:
    errors: Errors = []
    if not values["initials"]:
        errors.append(error("initials", "Please type your initials, for example JS."))
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        errors.append(
            error(
                "passphrase",
                f"Please choose a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters.",
            )
        )
    elif passphrase != again:
        errors.append(error("passphrase_again", "The two passphrases are not the same."))
    try:
        zone(values["timezone"])
    except SafetrailError as exc:
        errors.append(error("timezone", str(exc)))
    return errors


@router.post("/welcome/create")
async def create(request: Request) -> Response:
    state = state_of(request)
    if state.casebook_exists:
        return see_other("/unlock")
    form = await request.form()
    values = {
        "initials": field(form, "initials", 10),
        "timezone": field(form, "timezone", 60) or DEFAULT_TIMEZONE,
    }
    passphrase = secret_field(form, "passphrase")
    again = secret_field(form, "passphrase_again")
    errors = _check_create(values, passphrase, again)
    if not errors:
        try:
            await run_in_threadpool(
                state.create, passphrase, values["initials"], values["timezone"]
            )
        except SafetrailError as exc:
            errors.append(error("initials", str(exc)))
    if errors:
        return _create_form(request, values, errors, 400)
    return see_other("/?welcome=1")


@router.post("/welcome/demo")
async def open_demo(request: Request) -> Response:
    await run_in_threadpool(state_of(request).open_demo)
    return see_other("/")
