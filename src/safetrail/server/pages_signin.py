"""Sign-in in two steps (password, then a TOTP code), enrolment of the code app, sign-out."""

from __future__ import annotations

import io
from typing import Annotated

import segno
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from safetrail.server import accounts, audit, ratelimit, sessions
from safetrail.server.security import same_token
from safetrail.server.web import (
    PRESIGNIN_COOKIE,
    check_csrf,
    client_address,
    current_session,
    presignin_token,
    render,
    see_other,
    session_cookie,
    set_cookie,
    signed_in,
    state_of,
)

router = APIRouter()
TOO_MANY = (
    "Sign-in is paused for this account or this network after too many attempts. "
    "Please wait 15 minutes and try again, or ask an administrator."
)


def _signin_page(request: Request, message: str = "", status_code: int = 200) -> HTMLResponse:
    token = presignin_token(request)
    response = render(
        request, "signin.html", status_code=status_code, presignin=token, message=message
    )
    set_cookie(response, state_of(request), PRESIGNIN_COOKIE, token)
    return response


@router.get("/signin")
def signin_form(request: Request) -> HTMLResponse:
    return _signin_page(request)


@router.post("/signin", response_model=None)
def signin(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=2000)] = "",
    presignin: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    state = state_of(request)
    address = client_address(request)
    name = username.strip().lower()[:64]
    if not same_token(presignin, request.cookies.get(PRESIGNIN_COOKIE, "")):
        audit.record(
            state.engine, audit.SERVER_CHAIN, audit.Actor(None, name or "unknown"),
            "sign-in refused: CSRF check failed", outcome="denied", details={"address": address},
        )  # fmt: skip
        return _signin_page(request, "The form had expired. Please try again.", 403)
    with state.engine.begin() as conn:
        if ratelimit.blocked(conn, state.config, name, address):
            outcome = "blocked"
        else:
            account = accounts.check_password(conn, state.config.argon2, name, password)
            if account is None:
                ratelimit.note_failure(conn, name, address)
                outcome = "failed"
            else:
                token = sessions.start(conn, account.id, sessions.PASSWORD_STAGE, state.config)
                outcome = "ok"
    if outcome != "ok":
        audit.record(
            state.engine, audit.SERVER_CHAIN, audit.Actor(None, name or "unknown"),
            "sign-in: password", outcome="denied" if outcome == "blocked" else "failed",
            details={"address": address, "reason": outcome},
        )  # fmt: skip
        if outcome == "blocked":
            return _signin_page(request, TOO_MANY, 429)
        return _signin_page(request, "That username and password do not match.", 401)
    response = see_other("/signin/code")
    set_cookie(response, state, session_cookie(state), token)
    return response


def _code_page(request: Request, account_id: int, message: str, status: int) -> HTMLResponse:
    state = state_of(request)
    with state.engine.connect() as conn:
        account = accounts.get_account(conn, account_id)
        secret = accounts.totp_secret(conn, state.keys, account_id)
    assert account is not None
    return render(
        request,
        "code.html",
        status_code=status,
        enrol=not account.totp_confirmed,
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        uri=accounts.otpauth_uri(secret, account.username),
        message=message,
    )


@router.get("/signin/code", response_model=None)
def code_form(request: Request) -> Response:
    pending = current_session(request, sessions.PASSWORD_STAGE)
    if pending is None:
        return see_other("/signin")
    request.state.session = pending
    return _code_page(request, pending.account_id, "", 200)


@router.get("/signin/enrol/qr.svg", response_model=None)
def enrol_qr(request: Request) -> Response:
    """The otpauth QR code, only while enrolling (before the first good code)."""
    pending = current_session(request, sessions.PASSWORD_STAGE)
    state = state_of(request)
    if pending is None:
        return see_other("/signin")
    with state.engine.connect() as conn:
        account = accounts.get_account(conn, pending.account_id)
        secret = accounts.totp_secret(conn, state.keys, pending.account_id)
    if account is None or account.totp_confirmed:
        return Response(status_code=404)
    buffer = io.BytesIO()
    uri = accounts.otpauth_uri(secret, account.username)
    segno.make_qr(uri, error="m").save(buffer, kind="svg", scale=5, xmldecl=False)
    return Response(buffer.getvalue(), media_type="image/svg+xml")


@router.post("/signin/code", response_model=None)
def code(
    request: Request,
    code: Annotated[str, Form(max_length=20)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    state = state_of(request)
    pending = current_session(request, sessions.PASSWORD_STAGE)
    if pending is None:
        return see_other("/signin")
    request.state.session = pending
    address = client_address(request)
    with state.engine.begin() as conn:
        account = accounts.get_account(conn, pending.account_id)
        assert account is not None
        actor = audit.Actor(account.id, account.username)
        if not same_token(csrf, pending.csrf):
            outcome = "csrf"
        elif ratelimit.blocked(conn, state.config, account.username, address):
            outcome = "blocked"
        elif not accounts.check_totp(conn, state.keys, account.id, code):
            ratelimit.note_failure(conn, account.username, address)
            outcome = "failed"
        else:
            sessions.end(conn, pending.token_hash)
            token = sessions.start(conn, account.id, sessions.SIGNED_IN, state.config)
            ratelimit.clear_account(conn, account.username)
            ratelimit.forget_old(conn, state.config)
            sessions.remove_expired(conn)
            audit.append(conn, audit.SERVER_CHAIN, actor, "sign-in", details={"address": address})
            outcome = "ok"
    if outcome != "ok":
        audit.record(
            state.engine, audit.SERVER_CHAIN, actor, "sign-in: code",
            outcome="failed" if outcome == "failed" else "denied",
            details={"address": address, "reason": outcome},
        )  # fmt: skip
        if outcome == "blocked":
            return _signin_page(request, TOO_MANY, 429)
        return _code_page(request, account.id, "That code did not work. Please try again.", 401)
    response = see_other("/cases")
    set_cookie(response, state, session_cookie(state), token)
    return response


@router.post("/signout", response_model=None)
def signout(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    state = state_of(request)
    principal = signed_in(request)
    check_csrf(request, principal, csrf)
    with state.engine.begin() as conn:
        sessions.end(conn, request.state.session.token_hash)
        audit.append(conn, audit.SERVER_CHAIN, principal.actor, "sign-out")
    response = see_other("/signin")
    response.delete_cookie(session_cookie(state), path="/")
    return response
