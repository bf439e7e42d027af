"""The server's database engine: PostgreSQL through psycopg 3, or SQLite for a trial run."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from safetrail.server.migrations import HEAD_REVISION


class SchemaOutOfDate(Exception):
    """The database is not at the schema this code expects: run `safetrail server migrate`."""


def _driver_url(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def server_engine(url: str, pool_size: int = 10) -> Engine:
    full = _driver_url(url)
    if full.startswith("sqlite"):
        engine = create_engine(full)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA busy_timeout = 10000")
            cursor.close()

        return engine
    return create_engine(full, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


def check_schema(engine: Engine) -> None:
    from safetrail.server.migrations.runner import current_revision

    found = current_revision(engine)
    if found != HEAD_REVISION:
        raise SchemaOutOfDate(
            f"the database is at schema {found or 'none'}, this version needs {HEAD_REVISION}: "
            "run `safetrail server migrate`"
        )
