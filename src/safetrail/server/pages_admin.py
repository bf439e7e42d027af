"""Pages that are not about one case: the user's own account, the server audit, accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from safetrail.server import audit
from safetrail.server.access import Action, Principal, authorize_server
from safetrail.server.accounts import list_accounts
from safetrail.server.web import render, see_other, signed_in, state_of
from safetrail.share.fingerprint import fingerprint, qr_svg

router = APIRouter()
SignedIn = Annotated[Principal, Depends(signed_in)]


@router.get("/", response_model=None)
def home(request: Request) -> Response:
    return see_other("/cases")


@router.get("/account")
def my_account(request: Request, principal: SignedIn) -> HTMLResponse:
    key = principal.account.age_recipient
    return render(
        request,
        "account.html",
        principal=principal,
        key=key,
        fingerprint=fingerprint(key) if key else None,
    )


@router.get("/account/key.svg", response_model=None)
def my_key_qr(request: Request, principal: SignedIn) -> Response:
    key = principal.account.age_recipient
    if key is None:
        return Response(status_code=404)
    return Response(qr_svg(key), media_type="image/svg+xml")


@router.get("/audit")
def server_audit(request: Request, principal: SignedIn) -> HTMLResponse:
    state = state_of(request)
    authorize_server(state.engine, principal, Action.SERVER_AUDIT)
    with state.engine.connect() as conn:
        log = audit.entries(conn, audit.SERVER_CHAIN)
    audit.record(state.engine, audit.SERVER_CHAIN, principal.actor, "server audit log viewed")
    return render(
        request, "audit.html", principal=principal, title="Server audit log (sign-ins)",
        log=log[-2000:], problems=audit.chain_problems(log), jsonl="/audit.jsonl",
    )  # fmt: skip


@router.get("/audit.jsonl", response_model=None)
def server_audit_jsonl(request: Request, principal: SignedIn) -> Response:
    state = state_of(request)
    authorize_server(state.engine, principal, Action.SERVER_AUDIT)
    with state.engine.connect() as conn:
        log = audit.entries(conn, audit.SERVER_CHAIN)
    audit.record(state.engine, audit.SERVER_CHAIN, principal.actor, "server audit log exported")
    body = "".join(audit.as_jsonl(log)).encode("utf-8")
    return Response(
        body,
        media_type="application/jsonl",
        headers={"Content-Disposition": 'attachment; filename="server-audit.jsonl"'},
    )


@router.get("/admin/accounts")
def accounts_page(request: Request, principal: SignedIn) -> HTMLResponse:
    state = state_of(request)
    authorize_server(state.engine, principal, Action.LIST_ACCOUNTS)
    with state.engine.connect() as conn:
        found = list_accounts(conn)
    return render(request, "accounts.html", principal=principal, accounts=found)
