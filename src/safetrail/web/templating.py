"""Jinja2 with autoescaping, and `render`, which gives every page what the layout needs."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from safetrail.safety.help_now import HelpNow, build_help_now
from safetrail.web.nav import NAV, current_area
from safetrail.web.security import CSRF_FIELD, csrf_token
from safetrail.web.state import AppState

DISCREET_TITLE = "Notes"
MAX_SHOWN = 20_000  # characters of any one piece of text a page shows before cutting it short


def templates_dir() -> Path:
    return Path(str(resources.files("safetrail.web") / "templates"))


def _shorten(value: object, limit: int = MAX_SHOWN) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[:limit] + " … (shortened)"


def _local(
    value: datetime | None, zone: str = "Europe/London", fmt: str = "%d %b %Y, %H:%M"
) -> str:
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(zone)).strftime(fmt)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir()),
        autoescape=select_autoescape(("html", "xml"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["shorten"] = _shorten
    env.filters["local"] = _local
    return env


@lru_cache(maxsize=1)
def help_now() -> HelpNow:
    return build_help_now()


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.safetrail
    return state


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """Render `template` inside the base layout. `context` may set `title` and `errors`."""
    state = app_state(request)
    preferences = state.preferences()
    book = state.book
    base: dict[str, Any] = {
        "request": request,
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(state.config),
        "nav": NAV if book is not None else (),
        "area": current_area(request.url.path),
        "unlocked": book is not None,
        "is_demo": state.is_demo,
        "discreet": preferences.discreet,
        "discreet_title": DISCREET_TITLE,
        "exit_url": preferences.exit_url,
        "idle_seconds": preferences.idle_minutes * 60,
        "help_now": help_now(),
        "timezone": (book.setting("timezone") if book is not None else None) or "Europe/London",
        "title": "",
        "errors": [],
    }
    base.update(context or {})
    body = environment().get_template(template).render(base)
    return HTMLResponse(body, status_code=status)
