"""Who may talk to the app: the Host check, the launch secret and session cookie, CSRF tokens,
and the security headers on every response.

The app listens on loopback, but any web page the person visits can make their browser send
requests to 127.0.0.1. These checks make sure only the browser that was opened with this run's
secret can read or change anything, and that no other site can frame or script the pages.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys
import traceback
from collections.abc import AsyncIterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from safetrail.web.config import WebConfig

COOKIE_PREFIX = "safetrail_session_"


def cookie_name(config: WebConfig) -> str:
    """Browsers share cookies across a host's ports, so two runs must not share a name."""
    return f"{COOKIE_PREFIX}{config.port}"


CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
LAUNCH_PATH = "/launch"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_FILES = 50  # files in one upload
MAX_FIELDS = 200  # fields in one form

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
    "connect-src 'self'"
)
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Frame-Options", "DENY"),
    ("Cache-Control", "no-store"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)

_REFUSED = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><p>{body}</p></body></html>
"""


def csrf_token(config: WebConfig) -> str:
    """The token every form of this session carries (bound to the session, so unguessable)."""
    return hmac.new(config.csrf_key, config.session_token.encode(), hashlib.sha256).hexdigest()


def valid_csrf(config: WebConfig, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(str(token), csrf_token(config))


def _refusal(status: int, title: str, body: str) -> tuple[int, bytes]:
    return status, _REFUSED.format(title=title, body=body).encode("utf-8")


NOT_THIS_ADDRESS = _refusal(
    400,
    "Wrong address",
    "This page can only be opened at the address Safetrail printed when it started.",
)
NO_SESSION = _refusal(
    403,
    "Please open Safetrail again",
    "This window is not signed in to Safetrail. Close it, and start Safetrail again "
    "(for example with 'safetrail serve'): it opens the right address for you.",
)


class SecurityMiddleware:
    """Pure ASGI, outermost: refuses before any route runs, and adds headers to everything."""

    def __init__(self, app: ASGIApp, config: WebConfig) -> None:
        self.app = app
        self.config = config
        self.hosts = config.hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        host = headers.get(b"host", b"").decode("latin-1")
        if host not in self.hosts:
            await _send_plain(send, *NOT_THIS_ADDRESS)
            return
        if scope["path"] == LAUNCH_PATH:
            await self._launch(scope, send)
            return
        if not self._has_session(headers.get(b"cookie", b"").decode("latin-1")):
            await _send_plain(send, *NO_SESSION)
            return
        try:
            await self.app(scope, receive, _with_headers(send))
        except Exception as exc:
            # The person has already been answered (Starlette's error handler); what reaches
            # the terminal is only the error's type and place, never its message or values,
            # which could hold diary text or evidence. SAFETRAIL_DEBUG=1 shows it all.
            if os.environ.get("SAFETRAIL_DEBUG") == "1":
                raise
            sys.stderr.write(crash_line(exc) + "\n")

    def _has_session(self, cookie_header: str) -> bool:
        cookies: SimpleCookie = SimpleCookie()
        try:
            cookies.load(cookie_header)
        except Exception:
            return False
        morsel = cookies.get(cookie_name(self.config))
        return morsel is not None and secrets.compare_digest(
            morsel.value, self.config.session_token
        )

    async def _launch(self, scope: Scope, send: Send) -> None:
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        offered = (query.get("secret") or [""])[0]
        if not secrets.compare_digest(offered, self.config.launch_secret):
            await _send_plain(send, *NO_SESSION)
            return
        name = cookie_name(self.config)
        cookie = f"{name}={self.config.session_token}; Path=/; HttpOnly; SameSite=Strict"
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", b"/"),
                    (b"set-cookie", cookie.encode("latin-1")),
                    *_header_pairs(),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})


def crash_line(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "unknown place"
    return (
        f"Something went wrong inside Safetrail's web app ({type(exc).__name__} at {where}). "
        "Your casebook is safe: changes are saved whole or not at all."
    )


def _header_pairs() -> list[tuple[bytes, bytes]]:
    return [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS]


def _with_headers(send: Send) -> Send:
    async def sender(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for name, value in SECURITY_HEADERS:
                headers[name] = value
        await send(message)

    return sender


async def _send_plain(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *_header_pairs(),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class CsrfRefused(Exception):
    """A form arrived without this session's token (or from another origin)."""


async def check_csrf(request: Request) -> AsyncIterator[None]:
    """A FastAPI dependency on the whole app: every unsafe request must carry the token.

    The form it reads is the one handlers get from `await request.form()` (Starlette keeps it),
    and it is closed here once the handler is done, so uploaded files' spools are released.
    """
    if request.method in SAFE_METHODS:
        yield
        return
    config: WebConfig = request.app.state.safetrail.config
    # With Referrer-Policy: no-referrer, browsers send "Origin: null" on our own form posts;
    # the token decides then. Any real origin other than ours is refused outright.
    origin = request.headers.get("origin")
    if origin not in (None, "null") and origin not in config.origins:
        raise CsrfRefused
    token = request.headers.get(CSRF_HEADER)
    form = None
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form(max_files=MAX_FILES, max_fields=MAX_FIELDS)
    try:
        if token is None and form is not None:
            value = form.get(CSRF_FIELD)
            token = value if isinstance(value, str) else None
        if not valid_csrf(config, token):
            raise CsrfRefused
        yield
    finally:
        if form is not None:
            await form.close()
