"""The caseworker server's web application (FastAPI, server-rendered pages, no scripts)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from safetrail.server import audit, sessions
from safetrail.server.access import AccessDenied
from safetrail.server.accounts import get_account
from safetrail.server.config import ServerConfig
from safetrail.server.db import check_schema, server_engine
from safetrail.server.keys import ServerKeys, load_keys
from safetrail.server.pages_admin import router as admin_router
from safetrail.server.pages_cases import router as cases_router
from safetrail.server.pages_signin import router as signin_router
from safetrail.server.security import HardeningMiddleware
from safetrail.server.state import ServerState, template_environment
from safetrail.server.web import (
    CsrfFailed,
    SignInRequired,
    current_session,
    render,
    see_other,
    state_of,
)

STATIC = Path(__file__).resolve().parent / "static"


def _message(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return render(request, "message.html", status_code=status, title=title, message=message)


def _audit_http_refusal(request: Request, status: int) -> None:
    """A signed-in user who tries a method or page that does not exist: audited as a denial."""
    found = current_session(request, sessions.SIGNED_IN)
    if found is None:
        return
    state = state_of(request)
    with state.engine.connect() as conn:
        account = get_account(conn, found.account_id)
    if account is None:
        return
    audit.record(
        state.engine,
        audit.SERVER_CHAIN,
        audit.Actor(account.id, account.username),
        f"{request.method} {request.url.path[:200]}",
        outcome="denied",
        details={"status": status},
    )


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        return see_other("/signin")

    @app.exception_handler(AccessDenied)
    async def _denied(request: Request, exc: AccessDenied) -> Response:
        return _message(
            request,
            403,
            "Not available to you",
            "Your account cannot open this. If you think it should, ask a supervisor.",
        )

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, exc: CsrfFailed) -> Response:
        return _message(
            request, 403, "The form had expired", "Please go back, reload the page and try again."
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        if any(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
            _audit_http_refusal(request, 404)
            return _message(request, 404, "Not found", "There is nothing here for that request.")
        return _message(request, 422, "That did not work", "Some of what was sent is not valid.")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code in {404, 405}:
            _audit_http_refusal(request, exc.status_code)
        title = "Not found" if exc.status_code == 404 else "Not allowed"
        return _message(request, exc.status_code, title, "There is nothing here for that request.")


def build_app(config: ServerConfig, engine: Engine, keys: ServerKeys) -> FastAPI:
    check_schema(engine)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.state.server = ServerState(
        config=config,
        engine=engine,
        keys=keys,
        blobs=keys.blob_store(config.blob_dir),
        templates=template_environment(),
    )
    _install_handlers(app)
    app.include_router(signin_router)
    app.include_router(cases_router)
    app.include_router(admin_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(HardeningMiddleware, config=config)
    return app


def app_from_config(config: ServerConfig) -> FastAPI:
    return build_app(config, server_engine(config.database_url), load_keys(config.key_file))


def asgi_app() -> FastAPI:
    """For uvicorn's `--factory`: settings come from the environment (and the file it names)."""
    from safetrail.server.config import load_config

    return app_from_config(load_config())
