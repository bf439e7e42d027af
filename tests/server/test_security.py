"""Security headers, CSRF, sign-in limits, session expiry, code replay and the proxy rules."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select, update

from safetrail.server import audit, clock
from safetrail.server.accounts import Role
from safetrail.server.app import build_app
from safetrail.server.config import ServerConfig
from safetrail.server.schema import audit_log, web_sessions
from safetrail.server.security import client_from_forwarded
from tests.server.kit import CSRF, PRESIGNIN, ServerKit, User
from tests.server.testclient import TestClient

EXPECTED_HEADERS = {
    "x-frame-options": "DENY",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def _assert_hardened(headers: object, where: str) -> None:
    get = headers.get  # type: ignore[attr-defined]
    for name, value in EXPECTED_HEADERS.items():
        assert get(name) == value, f"{where}: {name}"
    csp = get("content-security-policy")
    assert csp is not None and "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "script-src" not in csp, "no script may run"


def test_every_kind_of_response_carries_the_security_headers(kit: ServerKit) -> None:
    user = kit.add_user("casey", Role.CASEWORKER)
    signed = kit.sign_in(user)
    anonymous = kit.client()
    for where, response in {
        "sign-in page": anonymous.get("/signin"),
        "redirect": anonymous.get("/cases"),
        "stylesheet": anonymous.get("/static/server.css"),
        "page": signed.http.get("/cases"),
        "refusal": signed.http.get("/admin/accounts"),
        "not found": signed.http.get("/nowhere"),
        "wrong method": signed.http.delete("/cases"),
        "download": signed.http.get("/account/key.svg"),
    }.items():
        _assert_hardened(response.headers, where)
    assert "strict-transport-security" in signed.http.get("/cases").headers


def test_pages_have_no_inline_script_or_style(kit: ServerKit) -> None:
    signed = kit.sign_in(kit.add_user("casey", Role.CASEWORKER))
    for path in ("/cases", "/account"):
        text = signed.http.get(path).text
        assert "<script" not in text and "style=" not in text and "<style" not in text


def test_a_form_without_its_csrf_token_is_refused_and_audited(kit: ServerKit) -> None:
    signed = kit.sign_in(kit.add_user("sam", Role.SUPERVISOR))
    for token in ("", "forged-token"):
        response = signed.http.post("/signout", data={"csrf": token})
        assert response.status_code == 403
    assert signed.http.get("/cases").status_code == 200, "still signed in"
    with kit.engine.connect() as conn:
        log = audit.entries(conn, audit.SERVER_CHAIN)
    assert [e.action for e in log].count("form refused: CSRF check failed") == 2
    token = signed.csrf()
    assert signed.http.post("/signout", data={"csrf": token}).status_code == 303
    assert signed.http.get("/cases").status_code == 303, "signed out"


def test_the_sign_in_form_needs_its_own_token(kit: ServerKit) -> None:
    user = kit.add_user("casey", Role.CASEWORKER)
    client = kit.client()
    response = client.post(
        "/signin", data={"username": user.username, "password": user.password, "presignin": "x"}
    )
    assert response.status_code == 403


def _try_password(client: TestClient, username: str, password: str) -> int:
    page = client.get("/signin")
    token = PRESIGNIN.search(page.text)
    assert token is not None
    sent = client.post(
        "/signin", data={"username": username, "password": password, "presignin": token[1]}
    )
    return int(sent.status_code)


def test_too_many_wrong_passwords_pause_the_account(kit: ServerKit) -> None:
    user = kit.add_user("casey", Role.CASEWORKER)
    client = kit.client()
    for _ in range(kit.config.signin_account_limit):
        assert _try_password(client, user.username, "wrong password guess") == 401
    assert _try_password(client, user.username, user.password) == 429, "even the right one"
    with kit.engine.connect() as conn:
        outcomes = [e.outcome for e in audit.entries(conn, audit.SERVER_CHAIN)]
    assert outcomes.count("failed") == kit.config.signin_account_limit
    assert outcomes[-1] == "denied"


def test_too_many_failures_from_one_address_pause_it(kit: ServerKit) -> None:
    strict = replace(kit.config, signin_address_limit=3)
    app = build_app(strict, kit.engine, kit.keys)
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    user = kit.add_user("casey", Role.CASEWORKER)
    for name in ("alice", "bob", "carol"):
        assert _try_password(client, name, "guessing") == 401
    assert _try_password(client, user.username, user.password) == 429


def test_an_expired_or_idle_session_signs_the_user_out(kit: ServerKit) -> None:
    for column in ("expires_at", "last_seen"):
        signed = kit.sign_in(kit.add_user(f"casey-{column[:4]}", Role.CASEWORKER))
        assert signed.http.get("/cases").status_code == 200
        past = clock.stamp_in(clock.now(), -24 * 60)
        with kit.engine.begin() as conn:
            conn.execute(update(web_sessions).values({column: past}))
        assert signed.http.get("/cases").status_code == 303
        with kit.engine.connect() as conn:
            left = conn.execute(select(func.count()).select_from(web_sessions)).scalar_one()
        assert left == 0, "an expired session is removed"


def test_the_password_step_alone_opens_nothing(kit: ServerKit) -> None:
    user = kit.add_user("casey", Role.CASEWORKER)
    client = kit.client()
    assert _try_password(client, user.username, user.password) == 303
    assert client.get("/cases").status_code == 303
    assert client.get("/account").status_code == 303


def _code_attempt(kit: ServerKit, user: User, code: str) -> int:
    client = kit.client()
    assert _try_password(client, user.username, user.password) == 303
    found = CSRF.search(client.get("/signin/code").text)
    assert found is not None
    return int(client.post("/signin/code", data={"code": code, "csrf": found[1]}).status_code)


def test_a_code_cannot_be_used_twice_and_a_wrong_one_is_audited(kit: ServerKit) -> None:
    user = kit.add_user("casey", Role.CASEWORKER)
    code = kit.next_code(user)
    assert _code_attempt(kit, user, code) == 303
    assert _code_attempt(kit, user, code) == 401, "replayed"
    assert _code_attempt(kit, user, "000000" if code != "000000" else "111111") == 401
    with kit.engine.connect() as conn:
        failed = conn.execute(
            select(func.count())
            .select_from(audit_log)
            .where(audit_log.c.action == "sign-in: code")
            .where(audit_log.c.outcome == "failed")
        ).scalar_one()
    assert failed == 2


def test_enrolment_shows_the_key_and_qr_until_the_first_good_code(kit: ServerKit) -> None:
    user = kit.add_user("casey", Role.CASEWORKER)
    client = kit.client()
    assert _try_password(client, user.username, user.password) == 303
    page = client.get("/signin/code").text
    assert user.secret[:4] in page and "otpauth://totp/" in page
    qr = client.get("/signin/enrol/qr.svg")
    assert qr.status_code == 200 and qr.text.startswith("<svg")
    kit.sign_in(user)
    client = kit.client()
    assert _try_password(client, user.username, user.password) == 303
    assert user.secret[:4] not in client.get("/signin/code").text
    assert client.get("/signin/enrol/qr.svg").status_code == 404


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("10.0.0.5", "203.0.113.9", "203.0.113.9"),
        ("10.0.0.5", "198.51.100.1, 203.0.113.9", "203.0.113.9"),
        ("10.0.0.5", "203.0.113.9, 10.0.0.7", "203.0.113.9"),
        ("192.0.2.50", "203.0.113.9", None),
        ("10.0.0.5", "not-an-address", None),
    ],
)
def test_forwarded_addresses_are_trusted_only_from_the_proxy(
    kit: ServerKit, peer: str, forwarded: str, expected: str | None
) -> None:
    config: ServerConfig = replace(kit.config, trusted_proxies=("10.0.0.0/24",))
    assert client_from_forwarded(config, peer, forwarded) == expected


def test_sign_in_limits_count_the_real_client_behind_the_proxy(kit: ServerKit) -> None:
    config = replace(kit.config, trusted_proxies=("127.0.0.1",), signin_address_limit=2)
    app = build_app(config, kit.engine, kit.keys)
    proxy = TestClient(
        app, base_url="https://testserver", follow_redirects=False, client=("127.0.0.1", 4000)
    )
    for name in ("alice", "bob"):
        proxy.headers["x-forwarded-for"] = "203.0.113.9"
        assert _try_password(proxy, name, "guessing") == 401
    proxy.headers["x-forwarded-for"] = "203.0.113.10"
    assert _try_password(proxy, "carol", "guessing") == 401, "another client is not paused"
    proxy.headers["x-forwarded-for"] = "203.0.113.9"
    assert _try_password(proxy, "dave", "guessing") == 429
    with kit.engine.connect() as conn:
        addresses = {e.details.get("address") for e in audit.entries(conn, audit.SERVER_CHAIN)}
    assert addresses == {"203.0.113.9", "203.0.113.10"}


def test_signing_in_clears_out_old_sessions_and_old_failures(kit: ServerKit) -> None:
    from safetrail.server.schema import signin_failures

    old = kit.add_user("olive", Role.CASEWORKER)
    kit.sign_in(old)
    past = clock.stamp_in(clock.now(), -24 * 60)
    with kit.engine.begin() as conn:
        conn.execute(update(web_sessions).values(expires_at=past))
        conn.execute(signin_failures.insert().values(username="x", address="203.0.113.1", at=past))
    kit.sign_in(kit.add_user("casey", Role.CASEWORKER))
    with kit.engine.connect() as conn:
        sessions_left = conn.execute(select(func.count()).select_from(web_sessions)).scalar_one()
        failures = conn.execute(select(func.count()).select_from(signin_failures)).scalar_one()
    assert sessions_left == 1 and failures == 0
