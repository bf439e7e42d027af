"""Web sessions in the database, so any app instance can serve any request.

The browser holds a random token; the database holds only its SHA-256. A session starts at the
"password" stage (it may only finish sign-in with a TOTP code) and is replaced by a new token at
the "signed_in" stage. It ends at a fixed lifetime or after a quiet spell, whichever is first.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, select, update

from safetrail.server import clock
from safetrail.server.config import ServerConfig
from safetrail.server.schema import web_sessions

PASSWORD_STAGE = "password"
SIGNED_IN = "signed_in"
PASSWORD_STAGE_MINUTES = 5
TOUCH_EVERY_SECONDS = 30


@dataclass(frozen=True, slots=True)
class WebSession:
    token_hash: str
    account_id: int
    stage: str
    csrf: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(conn: Connection, account_id: int, stage: str, config: ServerConfig) -> str:
    token = secrets.token_urlsafe(32)
    moment = clock.now()
    minutes = PASSWORD_STAGE_MINUTES if stage == PASSWORD_STAGE else config.session_minutes
    conn.execute(
        web_sessions.insert().values(
            token_hash=_hash(token),
            account_id=account_id,
            stage=stage,
            csrf=secrets.token_urlsafe(32),
            created_at=clock.stamp(moment),
            expires_at=clock.stamp_in(moment, minutes),
            last_seen=clock.stamp(moment),
        )
    )
    return token


def load(conn: Connection, token: str, config: ServerConfig) -> WebSession | None:
    """The live session for this token, or None (expired ones are removed as they are found)."""
    if not token or len(token) > 200:
        return None
    key = _hash(token)
    row = conn.execute(select(web_sessions).where(web_sessions.c.token_hash == key)).first()
    if row is None:
        return None
    moment = clock.now()
    idle_limit = clock.stamp_in(moment, -config.session_idle_minutes)
    if row.expires_at <= clock.stamp(moment) or row.last_seen <= idle_limit:
        conn.execute(delete(web_sessions).where(web_sessions.c.token_hash == key))
        return None
    _touch(conn, key, row.last_seen, moment)
    return WebSession(key, int(row.account_id), str(row.stage), str(row.csrf))


def _touch(conn: Connection, key: str, last_seen: str, moment: datetime) -> None:
    if last_seen <= clock.stamp_in(moment, -TOUCH_EVERY_SECONDS / 60):
        conn.execute(
            update(web_sessions)
            .where(web_sessions.c.token_hash == key)
            .values(last_seen=clock.stamp(moment))
        )


def end(conn: Connection, token_hash: str) -> None:
    conn.execute(delete(web_sessions).where(web_sessions.c.token_hash == token_hash))


def end_all(conn: Connection, account_id: int) -> None:
    conn.execute(delete(web_sessions).where(web_sessions.c.account_id == account_id))


def remove_expired(conn: Connection) -> int:
    result = conn.execute(
        delete(web_sessions).where(web_sessions.c.expires_at <= clock.stamp(clock.now()))
    )
    return int(result.rowcount or 0)
