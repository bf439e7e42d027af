"""Running the server's migrations from code (the casebook's runner, with this folder)."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from safetrail.server.migrations import VERSION_TABLE
from safetrail.storage.migrations import runner as casebook_runner

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config() -> Config:
    return casebook_runner.alembic_config(MIGRATIONS_DIR)


def upgrade(engine: Engine, revision: str = "head") -> None:
    casebook_runner.upgrade(engine, revision, MIGRATIONS_DIR)


def downgrade(engine: Engine, revision: str) -> None:
    casebook_runner.downgrade(engine, revision, MIGRATIONS_DIR)


def current_revision(engine: Engine) -> str | None:
    if not inspect(engine).has_table(VERSION_TABLE):
        return None
    with engine.connect() as conn:
        row = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).first()
    return str(row[0]) if row else None


def revisions() -> list[str]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def script_head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
