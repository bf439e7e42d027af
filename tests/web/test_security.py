"""The security middleware: launch secret and session cookie, Host check, CSRF, headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from safetrail.web.app import create_app
from safetrail.web.config import WebConfig
from safetrail.web.security import CONTENT_SECURITY_POLICY, SECURITY_HEADERS, cookie_name
from tests.web.conftest import TestClient, csrf_of, make_config, state_of

PAGES = ["/", "/welcome", "/unlock", "/diary", "/evidence", "/static/css/safetrail.css"]


@pytest.mark.parametrize("path", PAGES)
def test_without_the_session_cookie_everything_is_refused(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 403
    assert "not signed in" in response.text


def test_a_wrong_launch_secret_sets_no_cookie(client: TestClient) -> None:
    response = client.get("/launch?secret=guess", follow_redirects=False)
    assert response.status_code == 403
    assert "set-cookie" not in response.headers
    assert client.get("/welcome").status_code == 403


def test_a_missing_launch_secret_is_refused(client: TestClient) -> None:
    assert client.get("/launch", follow_redirects=False).status_code == 403


def test_the_launch_secret_sets_a_strict_httponly_cookie(
    client: TestClient, web_config: WebConfig
) -> None:
    response = client.get(f"/launch?secret={web_config.launch_secret}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{cookie_name(web_config)}={web_config.session_token};")
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert web_config.launch_secret not in cookie
    assert client.get("/welcome").status_code == 200


def test_another_runs_cookie_is_refused(tmp_path: Path, web_config: WebConfig) -> None:
    other = make_config(tmp_path / "other", port=web_config.port + 1)
    with TestClient(create_app(web_config), base_url=web_config.origin) as client:
        client.cookies.set(cookie_name(other), other.session_token)
        client.cookies.set(cookie_name(web_config), other.session_token)
        assert client.get("/welcome").status_code == 403


def test_a_forged_cookie_is_refused(web_config: WebConfig) -> None:
    with TestClient(create_app(web_config), base_url=web_config.origin) as forged:
        forged.cookies.set(cookie_name(web_config), "not-the-token")
        assert forged.get("/welcome").status_code == 403


@pytest.mark.parametrize(
    "host", ["evil.example:8765", "localhost:8765", "127.0.0.1", "127.0.0.1:9999", ""]
)
def test_a_foreign_host_header_is_refused(session: TestClient, host: str) -> None:
    response = session.get("/welcome", headers={"host": host})
    assert response.status_code == 400
    assert "Wrong address" in response.text


def test_a_foreign_host_cannot_launch(client: TestClient, web_config: WebConfig) -> None:
    response = client.get(
        f"/launch?secret={web_config.launch_secret}",
        headers={"host": "rebind.example:8765"},
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert "set-cookie" not in response.headers


def test_a_post_without_a_csrf_token_changes_nothing(unlocked: TestClient) -> None:
    response = unlocked.post("/lock", data={})
    assert response.status_code == 403
    assert state_of(unlocked).book is not None


def test_a_post_with_a_wrong_csrf_token_changes_nothing(unlocked: TestClient) -> None:
    response = unlocked.post("/lock", data={"csrf_token": "0" * 64})
    assert response.status_code == 403
    assert state_of(unlocked).book is not None


def test_a_post_from_another_origin_is_refused_even_with_the_token(
    unlocked: TestClient,
) -> None:
    token = csrf_of(unlocked)
    response = unlocked.post(
        "/lock", data={"csrf_token": token}, headers={"origin": "http://evil.example"}
    )
    assert response.status_code == 403
    assert state_of(unlocked).book is not None


def test_a_post_with_the_token_works(unlocked: TestClient) -> None:
    response = unlocked.post("/lock", data={"csrf_token": csrf_of(unlocked)})
    assert response.status_code == 200
    assert response.url.path == "/unlock"
    assert state_of(unlocked).book is None


def test_every_form_on_a_page_carries_the_token(unlocked: TestClient) -> None:
    token = csrf_of(unlocked)
    for path in ("/", "/diary", "/evidence", "/welcome"):
        html = unlocked.get(path).text
        assert html.count("<form") == html.count(f'value="{token}"'), path


@pytest.mark.parametrize("path", ["/welcome", "/nowhere", "/static/css/safetrail.css"])
def test_security_headers_on_pages_errors_and_assets(session: TestClient, path: str) -> None:
    response = session.get(path)
    for name, value in SECURITY_HEADERS:
        assert response.headers[name] == value, name


@pytest.mark.parametrize("path", ["/welcome", "/launch?secret=wrong"])
def test_security_headers_on_refusals_too(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"host": "evil.example"})
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"


def test_the_policy_allows_no_inline_script_and_no_other_site() -> None:
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert "http" not in CONTENT_SECURITY_POLICY


def test_a_crash_answers_kindly_with_the_headers(
    web_config: WebConfig, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SAFETRAIL_DEBUG", raising=False)
    app = create_app(web_config)

    @app.get("/crash")
    def crash() -> None:
        raise RuntimeError("secret case text must not be shown")

    with TestClient(app, base_url=web_config.origin, raise_server_exceptions=False) as client:
        client.get(f"/launch?secret={web_config.launch_secret}")
        response = client.get("/crash")
    assert response.status_code == 500
    assert "something went wrong" in response.text
    assert "secret case text" not in response.text
    for name, value in SECURITY_HEADERS:
        assert response.headers[name] == value, name
    printed = capsys.readouterr().err
    assert "RuntimeError at test_security.py" in printed
    assert "secret case text" not in printed


def test_on_port_80_the_host_may_leave_out_the_port(tmp_path: Path) -> None:
    config = make_config(tmp_path / "book", port=80)
    with TestClient(create_app(config), base_url="http://127.0.0.1") as client:
        response = client.get(f"/launch?secret={config.launch_secret}", follow_redirects=False)
        assert response.status_code == 303
        assert client.get("/welcome", headers={"host": "localhost"}).status_code == 400
        token = csrf_of(client)
        posted = client.post(
            "/welcome/demo", data={"csrf_token": token}, headers={"origin": "http://127.0.0.1"}
        )
        assert posted.status_code == 200
        assert "made-up case" in posted.text
        state_of(client).lock()
