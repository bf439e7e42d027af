"""Sign-in: password then TOTP, limits, sessions that end, CSRF, headers."""

from __future__ import annotations

from safetrail.server import audit
from safetrail.server.accounts import Role
from tests.server.kit import ServerKit
from tests.server.testclient import TestClient


def test_two_step_sign_in_opens_the_case_list_and_is_audited(kit: ServerKit) -> None:
    worker = kit.add_user("casey", Role.CASEWORKER)
    signed = kit.sign_in(worker)
    page = signed.http.get("/cases")
    assert page.status_code == 200
    assert "Import a share package" in page.text
    with kit.engine.connect() as conn:
        log = audit.entries(conn, audit.SERVER_CHAIN)
    assert [e.action for e in log] == ["sign-in"]
    assert log[0].actor == "casey" and audit.chain_problems(log) == []


def test_signed_out_visitor_is_sent_to_sign_in(anonymous: TestClient) -> None:
    response = anonymous.get("/cases", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/signin"
