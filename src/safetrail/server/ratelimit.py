"""Sign-in limits, counted in the database so that every app instance sees the same counts.

Failures are counted per account name and per network address over a sliding window. A correct
password and code clear the account's count (not the address's).
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, select

from safetrail.server import clock
from safetrail.server.config import ServerConfig
from safetrail.server.schema import signin_failures


def _since(config: ServerConfig) -> str:
    return clock.stamp_in(clock.now(), -config.signin_window_minutes)


def blocked(conn: Connection, config: ServerConfig, username: str, address: str) -> bool:
    since = _since(config)
    by_name = conn.execute(
        select(func.count())
        .select_from(signin_failures)
        .where(signin_failures.c.username == username.strip().lower())
        .where(signin_failures.c.at > since)
    ).scalar_one()
    if int(by_name) >= config.signin_account_limit:
        return True
    by_address = conn.execute(
        select(func.count())
        .select_from(signin_failures)
        .where(signin_failures.c.address == address)
        .where(signin_failures.c.at > since)
    ).scalar_one()
    return int(by_address) >= config.signin_address_limit


def note_failure(conn: Connection, username: str, address: str) -> None:
    conn.execute(
        signin_failures.insert().values(
            username=username.strip().lower()[:64],
            address=address[:64],
            at=clock.stamp(clock.now()),
        )
    )


def clear_account(conn: Connection, username: str) -> None:
    conn.execute(delete(signin_failures).where(signin_failures.c.username == username))


def forget_old(conn: Connection, config: ServerConfig) -> int:
    """Failures older than the window count for nothing any more: remove them."""
    done = conn.execute(delete(signin_failures).where(signin_failures.c.at <= _since(config)))
    return int(done.rowcount or 0)
