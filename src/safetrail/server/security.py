"""Security headers, the real client address behind a trusted proxy, and CSRF checks."""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from safetrail.server.config import ServerConfig

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
    (b"pragma", b"no-cache"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)
HSTS = (b"strict-transport-security", b"max-age=31536000")


def same_token(given: str | None, expected: str) -> bool:
    return given is not None and secrets.compare_digest(given.encode(), expected.encode())


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def client_from_forwarded(config: ServerConfig, peer: str | None, forwarded: str) -> str | None:
    """The first address, from the right, that is not one of our trusted proxies."""
    if not config.trusts_proxy(peer):
        return None
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        if not _is_ip(hop):
            return None
        if not config.trusts_proxy(hop):
            return hop
    return None


class HardeningMiddleware:
    """Adds the security headers to every response, and trusts X-Forwarded-* only from proxies."""

    def __init__(self, app: ASGIApp, config: ServerConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self._apply_proxy(scope)
        secure = scope.get("scheme") == "https"

        async def send_hardened(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {HEADERS[i][0] for i in range(len(HEADERS))}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = kept + list(HEADERS) + ([HSTS] if secure else [])
            await send(message)

        await self.app(scope, receive, send_hardened)

    def _apply_proxy(self, scope: Scope) -> None:
        client = scope.get("client")
        peer = client[0] if client else None
        if not self.config.trusts_proxy(peer):
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        real = client_from_forwarded(self.config, peer, headers.get("x-forwarded-for", ""))
        if real is not None:
            scope["client"] = (real, 0)
        proto = headers.get("x-forwarded-proto", "").strip().lower()
        if proto in {"http", "https"}:
            scope["scheme"] = proto
