"""Request plumbing shared by the pages: the signed-in user, CSRF, rendering and refusals."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from safetrail.server import audit, sessions
from safetrail.server.access import Action, CaseGrant, Principal, authorize
from safetrail.server.accounts import ROLE_NAMES, Account, get_account
from safetrail.server.security import same_token
from safetrail.server.state import ServerState

PRESIGNIN_COOKIE = "st_presignin"


class SignInRequired(Exception):
    pass


class CsrfFailed(Exception):
    pass


def state_of(request: Request) -> ServerState:
    found = request.app.state.server
    assert isinstance(found, ServerState)
    return found


def session_cookie(state: ServerState) -> str:
    return "__Host-st_session" if state.config.cookie_secure else "st_session"


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _session_and_account(
    request: Request, stage: str
) -> tuple[sessions.WebSession | None, Account | None]:
    """The live session at this stage and its account, in one transaction."""
    state = state_of(request)
    token = request.cookies.get(session_cookie(state), "")
    with state.engine.begin() as conn:
        found = sessions.load(conn, token, state.config)
        if found is None or found.stage != stage:
            return None, None
        return found, get_account(conn, found.account_id)


def current_session(request: Request, stage: str) -> sessions.WebSession | None:
    return _session_and_account(request, stage)[0]


def signed_in(request: Request) -> Principal:
    """The signed-in user, or SignInRequired (sent to the sign-in page)."""
    found, account = _session_and_account(request, sessions.SIGNED_IN)
    if found is None or account is None or not account.active:
        raise SignInRequired
    request.state.session = found
    return Principal(account)


def check_csrf(request: Request, principal: Principal, token: str) -> None:
    session = getattr(request.state, "session", None)
    if session is None or not same_token(token, session.csrf):
        state = state_of(request)
        audit.record(
            state.engine,
            audit.SERVER_CHAIN,
            principal.actor,
            "form refused: CSRF check failed",
            outcome="denied",
            details={"path": request.url.path},
        )
        raise CsrfFailed


def grant(request: Request, principal: Principal, action: Action, case_id: int) -> CaseGrant:
    state = state_of(request)
    with state.engine.connect() as conn:
        return authorize(state.engine, conn, principal, action, case_id)


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    state = state_of(request)
    session = getattr(request.state, "session", None)
    principal = context.get("principal")
    html = state.templates.get_template(name).render(
        csrf=session.csrf if session else "",
        role_names=ROLE_NAMES,
        me=principal.account if isinstance(principal, Principal) else None,
        **context,
    )
    return HTMLResponse(html, status_code=status_code)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def set_cookie(response: Response, state: ServerState, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        httponly=True,
        secure=state.config.cookie_secure,
        samesite="strict",
        path="/",
    )


def presignin_token(request: Request) -> str:
    return request.cookies.get(PRESIGNIN_COOKIE) or secrets.token_urlsafe(24)
