"""Fixtures for the browser suites: one headless Debian Chromium per module, one real
server per module (uvicorn on a free loopback port), and a `Watch` that records what a page
does that it must not: dialogs, off-machine requests, CSP violations, script errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

from safetrail.web.state import AppState
from tests.web.conftest import LiveServer, serve

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Dialog,
        Page,
        Request,
        Response,
        Route,
    )

NEUTRAL = "https://duckduckgo.com/"
"""The default quick-exit site. Tests answer it locally (see `Watch`): nothing leaves."""

# Reports CSP violations through a binding, which survives navigation and is not subject to CSP.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__safetrailCsp(
    [event.violatedDirective, event.blockedURI, event.sourceFile, event.sample].join(" | ")
  );
});
"""


def state(server: LiveServer) -> AppState:
    found: AppState = server.app.state.safetrail
    return found


@pytest.fixture(scope="module")
def chromium(browser: Browser) -> Browser:
    """The run's one headless Debian Chromium (see tests/web/conftest.py)."""
    return browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A real server shared by the tests of one module (state carries over between them)."""
    with serve(tmp_path_factory.mktemp("e2e") / "casebook") as live:
        yield live


@dataclass
class Watch:
    """What a page did that it must not. `problems()` lists it all; empty means clean."""

    origin: str
    dialogs: list[str] = field(default_factory=list)
    off_machine: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    left_for_neutral: int = 0

    def on_request(self, request: Request) -> None:
        url = request.url
        if url.startswith(NEUTRAL):
            return  # answered by `neutral_site`, counted there
        if not url.startswith((self.origin + "/", "data:")):
            self.off_machine.append(url)

    def on_csp(self, violation: str) -> None:
        self.csp.append(violation)

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_console(self, message: ConsoleMessage) -> None:
        # A page answered 400 (a form with errors) is logged as a failed load: expected, and
        # failed assets are caught by `on_response` instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)

    def on_response(self, response: Response) -> None:
        document = response.request.resource_type == "document"
        if response.status >= (500 if document else 400):
            self.errors.append(f"{response.status} {response.url}")

    def neutral_site(self, route: Route) -> None:
        """Stands in for the neutral site, so quick exit never leaves the machine."""
        self.left_for_neutral += 1
        route.fulfill(status=200, content_type="text/html", body="<title>Search</title>neutral")

    def problems(self) -> list[str]:
        return [
            *(f"dialog {d}" for d in self.dialogs),
            *(f"off machine {u}" for u in self.off_machine),
            *(f"CSP {c}" for c in self.csp),
            *(f"console {e}" for e in self.errors),
        ]


def open_page(browser: Browser, server: LiveServer, **options: Any) -> tuple[Page, Watch]:
    """A signed-in page in a new context, watched from its first request."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    return watch_page(context, server)


def watch_page(context: BrowserContext, server: LiveServer) -> tuple[Page, Watch]:
    """A signed-in page in `context` (e.g. a persistent profile), watched from its first request."""
    watch = Watch(server.url)
    context.expose_function("__safetrailCsp", watch.on_csp)
    context.add_init_script(CSP_LISTENER)
    context.route(NEUTRAL + "**", watch.neutral_site)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("request", watch.on_request)
    page.on("dialog", watch.on_dialog)
    page.on("console", watch.on_console)
    page.on("response", watch.on_response)
    page.on("pageerror", lambda exc: watch.errors.append(f"page error: {exc}"))
    page.goto(server.launch_url())
    return page, watch


def has_route(server: LiveServer, path: str) -> bool:
    """True when the app serves `path` (pages land while the suites are written)."""
    return path in _paths(server.app.routes)


def _paths(routes: list[Any]) -> set[str]:
    found: set[str] = set()
    for route in routes:
        router = getattr(route, "original_router", None)  # FastAPI's included routers
        if router is not None:
            found |= _paths(router.routes)
        elif isinstance(getattr(route, "path", None), str):
            found.add(route.path)
    return found
