"""Fixtures for the web app: a TestClient for route tests, and a real server with Chromium.

- `web_config`: a WebConfig for a casebook in a temporary folder (fast Argon2id).
- `client`: a TestClient that has NOT been through /launch (no session cookie).
- `session`: a TestClient signed in through /launch (the cookie is set).
- `unlocked`: like `session`, with a new casebook created and open.
- `csrf_of(client)`: the CSRF token of a signed-in client's session.
- `state_of(client)`, `book_of(client)`: the app's AppState and its open Casebook.
- `live_server`: the real app under uvicorn on a free loopback port, in a background thread.
- `browser`: headless Debian Chromium (Playwright); `launched_page(browser, live_server, ...)`
  opens a signed-in page in a new context (e.g. java_script_enabled=False, a viewport).
- `page`: a signed-in page at 1280x900 with JavaScript on.
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fastapi import FastAPI

from safetrail.services.casebook import Casebook
from safetrail.vault.keys import KdfParams
from safetrail.web.app import create_app
from safetrail.web.config import LOOPBACK, WebConfig
from safetrail.web.state import AppState
from tests.conftest import FAST_KDF, PASSPHRASE

with warnings.catch_warnings():
    # Starlette warns that it would rather use httpx2 with its TestClient; httpx works.
    warnings.filterwarnings("ignore", message=".*httpx2", category=UserWarning)
    from starlette.testclient import TestClient

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

__all__ = [
    "LiveServer",
    "TestClient",
    "book_of",
    "csrf_of",
    "launched_page",
    "make_config",
    "state_of",
]

CHROMIUM = "/usr/bin/chromium"
TEST_PORT = 8765


def make_config(root: Path, port: int = TEST_PORT, kdf: KdfParams = FAST_KDF) -> WebConfig:
    return WebConfig(casebook_root=root, port=port, kdf=kdf)


@pytest.fixture
def web_config(tmp_path: Path, fast_kdf: KdfParams) -> WebConfig:
    return make_config(tmp_path / "casebook", kdf=fast_kdf)


@pytest.fixture
def client(web_config: WebConfig) -> Iterator[TestClient]:
    with TestClient(create_app(web_config), base_url=web_config.origin) as test_client:
        yield test_client


@pytest.fixture
def session(client: TestClient, web_config: WebConfig) -> TestClient:
    response = client.get(f"/launch?secret={web_config.launch_secret}", follow_redirects=False)
    assert response.status_code == 303
    return client


def csrf_of(client: TestClient) -> str:
    """The session's CSRF token, read from a page as a person's browser would."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/welcome").text)
    assert match is not None
    return match.group(1)


def state_of(client: TestClient) -> AppState:
    """The app's state behind a TestClient (the open casebook is `state_of(c).book`)."""
    app = client.app
    assert isinstance(app, FastAPI)
    state: AppState = app.state.safetrail
    return state


def book_of(client: TestClient) -> Casebook:
    book = state_of(client).book
    assert book is not None, "the casebook is locked"
    return book


@pytest.fixture
def unlocked(session: TestClient) -> TestClient:
    state_of(session).create(PASSPHRASE, "JS", "Europe/London")
    return session


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class LiveServer:
    config: WebConfig
    app: FastAPI

    @property
    def url(self) -> str:
        return self.config.origin

    def launch_url(self) -> str:
        return self.config.launch_url()


@contextmanager
def serve(root: Path, kdf: KdfParams = FAST_KDF) -> Iterator[LiveServer]:
    """The real app under uvicorn on a free loopback port, in a background thread, until the
    block ends."""
    import uvicorn

    config = make_config(root, port=free_port(), kdf=kdf)
    app = create_app(config)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host=LOOPBACK,
            port=config.port,
            log_level="warning",
            access_log=False,
            lifespan="on",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web app did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(config, app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def live_server(tmp_path: Path, fast_kdf: KdfParams) -> Iterator[LiveServer]:
    with serve(tmp_path / "casebook", fast_kdf) as live:
        yield live


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """One Playwright for the whole run: its sync API cannot be started twice in a thread.

    While it runs, the main thread has a running event loop, so tests must not call
    `asyncio.run` there (see tests/web/test_downloads.py).
    """
    if shutil.which(CHROMIUM) is None:
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless Debian Chromium (never a downloaded one), shared by every browser test."""
    launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
    try:
        yield launched
    finally:
        launched.close()


def launched_page(browser: Browser, server: LiveServer, **options: Any) -> Page:
    """A page in a new browser context (options as for new_context), signed in to `server`."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    new_page = context.new_page()
    new_page.set_default_timeout(10_000)
    new_page.goto(server.launch_url())
    return new_page


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A signed-in page at 1280x900 with JavaScript on."""
    opened = launched_page(browser, live_server)
    try:
        yield opened
    finally:
        opened.context.close()
