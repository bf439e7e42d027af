"""Accounts: roles, Argon2id passwords, TOTP two-step sign-in, and caseworkers' age keys.

Every account must have TOTP. Its secret and a caseworker's age identity are sealed with the
server key before they reach the database.
"""

from __future__ import annotations

import contextlib
import functools
import time
from dataclasses import dataclass
from enum import StrEnum

import pyotp
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, select, update

from safetrail.server import clock
from safetrail.server.config import Argon2Cost
from safetrail.server.keys import ServerKeys
from safetrail.server.schema import accounts
from safetrail.share.age import new_identity

ISSUER = "Safetrail caseworker server"
MIN_PASSWORD = 12
MAX_PASSWORD = 1024
TOTP_PURPOSE = "totp"
AGE_PURPOSE = "age-identity"
# A dummy hash checked when the account does not exist, so timing does not reveal which do.
_DUMMY_PASSWORD = "not-a-real-password-for-timing"


class Role(StrEnum):
    CASEWORKER = "caseworker"
    SUPERVISOR = "supervisor"
    POLICE_LIAISON = "police_liaison"
    ADMINISTRATOR = "administrator"


ROLE_NAMES = {
    Role.CASEWORKER: "Caseworker",
    Role.SUPERVISOR: "Supervisor",
    Role.POLICE_LIAISON: "Police liaison",
    Role.ADMINISTRATOR: "Administrator",
}


class AccountError(Exception):
    """The account cannot be created or changed as asked."""


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    username: str
    display_name: str
    role: Role
    supervisor_id: int | None
    totp_confirmed: bool
    age_recipient: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class NewAccount:
    account: Account
    totp_secret: str
    otpauth_uri: str


@functools.cache
def _dummy_hash(cost: Argon2Cost) -> str:
    return hasher(cost).hash(_DUMMY_PASSWORD)


def hasher(cost: Argon2Cost) -> PasswordHasher:
    return PasswordHasher(
        time_cost=cost.time_cost,
        memory_cost=cost.memory_cost_kib,
        parallelism=cost.parallelism,
        type=Type.ID,
    )


def _account(row: object) -> Account:
    return Account(
        id=row.id,  # type: ignore[attr-defined]
        username=row.username,  # type: ignore[attr-defined]
        display_name=row.display_name,  # type: ignore[attr-defined]
        role=Role(row.role),  # type: ignore[attr-defined]
        supervisor_id=row.supervisor_id,  # type: ignore[attr-defined]
        totp_confirmed=bool(row.totp_confirmed),  # type: ignore[attr-defined]
        age_recipient=row.age_recipient,  # type: ignore[attr-defined]
        active=bool(row.active),  # type: ignore[attr-defined]
    )


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must be at least {MIN_PASSWORD} characters long")
    if len(password) > MAX_PASSWORD:
        raise AccountError("the password is too long")


def otpauth_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def create_account(
    conn: Connection,
    keys: ServerKeys,
    cost: Argon2Cost,
    *,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    supervisor_id: int | None = None,
) -> NewAccount:
    username = username.strip().lower()
    if (
        not username
        or len(username) > 64
        or not username.replace(".", "").replace("-", "").isalnum()
    ):
        raise AccountError("a username is 1 to 64 letters, digits, dots or dashes")
    check_password_rules(password)
    if conn.execute(select(accounts.c.id).where(accounts.c.username == username)).first():
        raise AccountError(f"there is already an account called {username}")
    if supervisor_id is not None:
        boss = get_account(conn, supervisor_id)
        if boss is None or boss.role is not Role.SUPERVISOR:
            raise AccountError("the supervisor named is not a supervisor's account")
    secret = pyotp.random_base32()
    recipient = identity = None
    if role is Role.CASEWORKER:
        secret_key, recipient = new_identity()
        identity = keys.seal(secret_key, AGE_PURPOSE)
    new_id = conn.execute(
        accounts.insert()
        .values(
            username=username,
            display_name=display_name.strip()[:200] or username,
            role=role.value,
            password_hash=hasher(cost).hash(password),
            totp_secret=keys.seal(secret, TOTP_PURPOSE),
            totp_confirmed=False,
            totp_last_step=0,
            supervisor_id=supervisor_id,
            age_recipient=recipient,
            age_identity=identity,
            active=True,
            created_at=clock.stamp(clock.now()),
        )
        .returning(accounts.c.id)
    ).scalar_one()
    account = get_account(conn, int(new_id))
    assert account is not None
    return NewAccount(account, secret, otpauth_uri(secret, username))


def get_account(conn: Connection, account_id: int) -> Account | None:
    row = conn.execute(select(accounts).where(accounts.c.id == account_id)).first()
    return _account(row) if row else None


def find_account(conn: Connection, username: str) -> Account | None:
    row = conn.execute(
        select(accounts).where(accounts.c.username == username.strip().lower())
    ).first()
    return _account(row) if row else None


def list_accounts(conn: Connection) -> list[Account]:
    return [_account(row) for row in conn.execute(select(accounts).order_by(accounts.c.username))]


def check_password(
    conn: Connection, cost: Argon2Cost, username: str, password: str
) -> Account | None:
    """The account if the password is right and the account active; None otherwise."""
    row = conn.execute(
        select(accounts).where(accounts.c.username == username.strip().lower())
    ).first()
    ph = hasher(cost)
    if row is None or len(password) > MAX_PASSWORD:
        with contextlib.suppress(VerificationError):
            ph.verify(_dummy_hash(cost), password[:MAX_PASSWORD] + "x")
        return None
    try:
        ph.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if ph.check_needs_rehash(row.password_hash):
        conn.execute(
            update(accounts).where(accounts.c.id == row.id).values(password_hash=ph.hash(password))
        )
    account = _account(row)
    return account if account.active else None


def totp_secret(conn: Connection, keys: ServerKeys, account_id: int) -> str:
    sealed = conn.execute(
        select(accounts.c.totp_secret).where(accounts.c.id == account_id)
    ).scalar_one()
    return keys.unseal(str(sealed), TOTP_PURPOSE)


def check_totp(
    conn: Connection, keys: ServerKeys, account_id: int, code: str, at: float | None = None
) -> bool:
    """True once per valid code: a code already used (or an older one) is refused."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return False
    moment = time.time() if at is None else at
    totp = pyotp.TOTP(totp_secret(conn, keys, account_id))
    last = int(
        conn.execute(
            select(accounts.c.totp_last_step).where(accounts.c.id == account_id)
        ).scalar_one()
    )
    current = int(moment // totp.interval)
    for offset in (-1, 0, 1):
        step = current + offset
        if step > last and totp.at(step * totp.interval) == code:
            conn.execute(
                update(accounts)
                .where(accounts.c.id == account_id)
                .values(totp_last_step=step, totp_confirmed=True)
            )
            return True
    return False


def age_identity(conn: Connection, keys: ServerKeys, account_id: int) -> str:
    """The caseworker's age secret key ('AGE-SECRET-KEY-1...'), unsealed for one use."""
    sealed = conn.execute(
        select(accounts.c.age_identity).where(accounts.c.id == account_id)
    ).scalar_one()
    if sealed is None:
        raise AccountError("this account has no age key: only caseworkers receive packages")
    return keys.unseal(str(sealed), AGE_PURPOSE)


def set_password(conn: Connection, cost: Argon2Cost, account_id: int, password: str) -> None:
    check_password_rules(password)
    conn.execute(
        update(accounts)
        .where(accounts.c.id == account_id)
        .values(password_hash=hasher(cost).hash(password))
    )


def deactivate(conn: Connection, account_id: int) -> None:
    """The account can no longer sign in; its open sessions are ended by the caller."""
    conn.execute(update(accounts).where(accounts.c.id == account_id).values(active=False))
