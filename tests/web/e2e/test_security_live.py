"""The security checks against the real server on loopback (httpx, no TestClient): no launch
secret, a foreign Host header, a missing or wrong CSRF token, a foreign Origin are refused; and a
crawl of every page in Chromium asks for nothing off the machine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser

from tests.conftest import PASSPHRASE
from tests.web.conftest import LiveServer
from tests.web.e2e.conftest import open_page, state
from tests.web.e2e.crawl import fill_casebook, visit_all


@pytest.fixture(scope="module")
def filled(server: LiveServer) -> LiveServer:
    if state(server).book is None:
        fill_casebook(state(server).create(PASSPHRASE, "AB", "Europe/London"))
    return server


@pytest.fixture
def signed_in(filled: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=filled.url, follow_redirects=True) as client:
        launched = client.get(f"/launch?secret={filled.config.launch_secret}")
        assert launched.status_code == 200  # followed the 303 to the home page
        yield client


def token_of(client: httpx.Client) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/diary/new").text)
    assert match is not None
    return match.group(1)


@pytest.mark.parametrize("path", ["/", "/diary", "/timeline", "/static/css/safetrail.css"])
def test_no_session_is_refused(filled: LiveServer, path: str) -> None:
    answer = httpx.get(filled.url + path)
    assert answer.status_code == 403
    assert "Station Road" not in answer.text


def test_a_wrong_launch_secret_is_refused(filled: LiveServer) -> None:
    answer = httpx.get(filled.url + "/launch?secret=guess")
    assert answer.status_code == 403
    assert "set-cookie" not in answer.headers


def test_a_foreign_host_is_refused(filled: LiveServer, signed_in: httpx.Client) -> None:
    assert signed_in.get("/diary").status_code == 200
    for host in ("evil.example", "localhost:" + str(filled.config.port), "127.0.0.1"):
        answer = signed_in.get("/diary", headers={"Host": host})
        assert answer.status_code == 400, host
        assert "Station Road" not in answer.text


def test_unsafe_requests_need_the_csrf_token(filled: LiveServer, signed_in: httpx.Client) -> None:
    entry = {"when": "01/01/2024 10:00", "what_happened": "Forged entry"}
    for data in (entry, {**entry, "csrf_token": "0" * 64}):
        assert signed_in.post("/diary/new", data=data).status_code == 403
    token = token_of(signed_in)
    foreign = signed_in.post(
        "/diary/new",
        data={**entry, "csrf_token": token},
        headers={"Origin": "http://evil.example"},
    )
    assert foreign.status_code == 403
    assert signed_in.post("/lock", data={}).status_code == 403
    assert state(filled).book is not None, "a forged lock went through"
    assert "Forged entry" not in signed_in.get("/diary").text
    accepted = signed_in.post("/diary/new", data={**entry, "csrf_token": token})
    assert accepted.status_code == 200  # the form's own token works (303 followed)
    assert "Forged entry" in accepted.text


def test_every_answer_carries_the_security_headers(signed_in: httpx.Client) -> None:
    for path in ("/", "/static/css/safetrail.css", "/no-such-page"):
        headers = signed_in.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"], path
        assert headers["x-frame-options"] == "DENY"
        assert headers["cache-control"] == "no-store"


def test_no_page_asks_for_anything_off_the_machine(chromium: Browser, filled: LiveServer) -> None:
    page, watch = open_page(chromium, filled)
    try:
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        visited = visit_all(page, filled.url, lambda path: None, limit=120)
        assert len(visited) >= 20, visited
        assert watch.problems() == []
        assert requested, "the request log is empty"
        assert all(url.startswith((filled.url + "/", "data:")) for url in requested)
    finally:
        page.context.close()
