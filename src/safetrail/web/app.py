"""The app factory: `create_app(config)` builds the FastAPI app for one run of `safetrail serve`."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp

from safetrail.web.config import WebConfig
from safetrail.web.pages import PAGE_MODULES
from safetrail.web.security import CsrfRefused, SecurityMiddleware, check_csrf
from safetrail.web.state import AppState, Locked
from safetrail.web.templating import render
from safetrail.web.uploads import remove_abandoned_folders

IDLE_CHECK_SECONDS = 15


def static_dir() -> Path:
    return Path(str(resources.files("safetrail.web") / "static"))


async def _watch_idle(state: AppState) -> None:
    while True:
        await asyncio.sleep(IDLE_CHECK_SECONDS)
        await run_in_threadpool(state.lock_if_idle)


class SafetrailApp(FastAPI):
    """FastAPI with the security middleware outside everything, Starlette's error handler too,
    so even a crash's answer has the security headers (and never reaches a foreign Host)."""

    def build_middleware_stack(self) -> ASGIApp:
        state: AppState = self.state.safetrail
        return SecurityMiddleware(super().build_middleware_stack(), state.config)


SOMETHING_WENT_WRONG = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sorry</title></head>
<body><h1>Sorry, something went wrong</h1>
<p>Safetrail could not finish that. Every change to your casebook is made all at once or not at
all, so nothing is half done. Go back and try again; if it keeps happening, restart Safetrail.</p>
<p>If you are in danger, call 999.</p></body></html>
"""


def create_app(config: WebConfig) -> FastAPI:
    state = AppState(config)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        remove_abandoned_folders()
        watcher = asyncio.create_task(_watch_idle(state))
        try:
            yield
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            state.lock()

    app = SafetrailApp(
        title="Safetrail",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
        dependencies=[Depends(check_csrf)],
    )
    app.state.safetrail = state
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    for module_name in PAGE_MODULES:
        module = importlib.import_module(f"safetrail.web.pages.{module_name}")
        app.include_router(module.router)
    _add_handlers(app)
    return app


def _add_handlers(app: FastAPI) -> None:
    @app.exception_handler(Exception)
    async def crashed(_request: Request, _exc: Exception) -> Response:
        return HTMLResponse(SOMETHING_WENT_WRONG, status_code=500)

    @app.exception_handler(Locked)
    async def locked(request: Request, _exc: Locked) -> Response:
        state: AppState = request.app.state.safetrail
        return RedirectResponse("/unlock" if state.casebook_exists else "/welcome", 303)

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, _exc: CsrfRefused) -> Response:
        return await run_in_threadpool(
            render,
            request,
            "base/problem.html",
            {
                "title": "Please try that again",
                "message": "This form had expired or did not come from this Safetrail window. "
                "Nothing was changed. Go back, reload the page and try again.",
            },
            403,
        )

    @app.exception_handler(RequestValidationError)
    async def bad_address(request: Request, _exc: RequestValidationError) -> Response:
        return await run_in_threadpool(
            render,
            request,
            "base/problem.html",
            {"title": "Page not found", "message": "There is no page at this address."},
            404,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_problem(request: Request, exc: StarletteHTTPException) -> Response:
        message = (
            "There is no page at this address."
            if exc.status_code == 404
            else "Safetrail could not do that."
        )
        return await run_in_threadpool(
            render,
            request,
            "base/problem.html",
            {"title": "Page not found" if exc.status_code == 404 else "Sorry", "message": message},
            exc.status_code,
        )
