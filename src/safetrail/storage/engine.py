"""The encrypted SQLite (SQLCipher) engine, and the fast migration check at open."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.pool import NullPool

from safetrail.storage.migrations import HEAD_REVISION


class DatabaseKeyError(Exception):
    """The database cannot be read with this casebook's key."""


def _none_is_null(_value: None) -> None:
    return None


@cache
def _bind_none_quickly() -> None:
    """sqlcipher3 binds a None parameter through its slow adaptation path (about 1.4 µs each,
    against 0.15 µs for a string): a records row has eight or more of them, so a large import
    spent about a third of its insert time there. Registering None's own adapter (once per
    process) takes the quick lookup; the value is still bound as NULL."""
    import sqlcipher3.dbapi2 as sqlcipher

    sqlcipher.register_adapter(type(None), _none_is_null)


def sqlcipher_engine(path: Path, key: bytes) -> Engine:
    """An engine whose every connection is keyed with a raw 256-bit key before any other use."""
    import sqlcipher3.dbapi2 as sqlcipher

    _bind_none_quickly()
    engine = create_engine(f"sqlite:///{path}", module=sqlcipher, poolclass=NullPool)
    key_pragma = f"PRAGMA key = \"x'{key.hex()}'\""

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(key_pragma)
        cursor.execute("PRAGMA cipher_memory_security = OFF")
        cursor.execute("PRAGMA temp_store = MEMORY")
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.close()

    return engine


def check_key(engine: Engine) -> None:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
    except DatabaseError as exc:
        if "not a database" not in str(exc.orig):
            raise  # a full disk or a read-only folder, not a wrong key: said so at the top
        raise DatabaseKeyError(
            "The casebook database cannot be read with this key: it is damaged, or it belongs "
            "to another casebook."
        ) from exc


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        has_table = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
        ).first()
        if not has_table:
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return str(row[0]) if row else None


def upgrade_if_needed(engine: Engine) -> None:
    """Run the migrations only when the database is behind; importing Alembic costs time."""
    if current_revision(engine) == HEAD_REVISION:
        return
    from safetrail.storage.migrations.runner import upgrade

    upgrade(engine)
