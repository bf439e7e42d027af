"""Helpers for the server's tests: accounts, signing in with a real TOTP code, packages."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyotp
from fastapi import FastAPI
from sqlalchemy import Engine, select

from safetrail.server.accounts import Account, Role, create_account
from safetrail.server.config import ServerConfig
from safetrail.server.keys import ServerKeys
from safetrail.server.schema import accounts
from safetrail.share.model import Scope
from tests.server.testclient import TestClient

PASSWORD = "a long test password 42"
# Everything, the reports and the safety plan, and the person agrees it may go to police.
POLICE_SCOPE = Scope(
    everything=True,
    reports=frozenset({"chronology", "timeline"}),
    safety_plan=True,
    pass_to_police=True,
)
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
PRESIGNIN = re.compile(r'name="presignin" value="([^"]+)"')


@dataclass
class User:
    account: Account
    secret: str
    password: str = PASSWORD

    @property
    def username(self) -> str:
        return self.account.username


@dataclass
class ServerKit:
    config: ServerConfig
    engine: Engine
    keys: ServerKeys
    app: FastAPI
    clients: list[TestClient] = field(default_factory=list)

    def add_user(self, username: str, role: Role, supervisor: User | None = None) -> User:
        with self.engine.begin() as conn:
            made = create_account(
                conn,
                self.keys,
                self.config.argon2,
                username=username,
                display_name=username.title(),
                role=role,
                password=PASSWORD,
                supervisor_id=supervisor.account.id if supervisor else None,
            )
        return User(made.account, made.totp_secret)

    def next_code(self, user: User) -> str:
        """A code the server has not seen for this account yet (codes cannot be replayed)."""
        with self.engine.connect() as conn:
            last = int(
                conn.execute(
                    select(accounts.c.totp_last_step).where(accounts.c.id == user.account.id)
                ).scalar_one()
            )
        totp = pyotp.TOTP(user.secret)
        step = max(int(time.time() // totp.interval) - 1, last + 1)
        return str(totp.at(step * totp.interval))

    def client(self) -> TestClient:
        client = TestClient(self.app, base_url="https://testserver", follow_redirects=False)
        self.clients.append(client)
        return client

    def sign_in(self, user: User) -> SignedInClient:
        client = self.client()
        page = client.get("/signin")
        token = PRESIGNIN.search(page.text)
        assert token is not None
        sent = client.post(
            "/signin",
            data={"username": user.username, "password": user.password, "presignin": token[1]},
        )
        assert sent.status_code == 303, sent.text
        code_page = client.get("/signin/code")
        csrf = CSRF.search(code_page.text)
        assert csrf is not None
        done = client.post("/signin/code", data={"code": self.next_code(user), "csrf": csrf[1]})
        assert done.status_code == 303, done.text
        return SignedInClient(client, user)


@dataclass
class SignedInClient:
    http: TestClient
    user: User

    def csrf(self, path: str = "/account") -> str:
        page = self.http.get(path)
        found = CSRF.search(page.text)
        assert found is not None, page.text
        return found[1]

    def import_package(self, path: Path) -> int:
        """Import; the new or updated case's id (asserts it worked)."""
        response = self.http.post(
            "/cases/import",
            data={"csrf": self.csrf()},
            files={"package": ("package.age", path.read_bytes(), "application/octet-stream")},
        )
        assert response.status_code == 303, response.text
        return int(response.headers["location"].rsplit("/", 1)[1])
