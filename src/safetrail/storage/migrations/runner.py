"""Running Alembic from code, on a connection we already hold (keyed for SQLCipher).

The server's chain (`server/migrations/`) runs through the same functions with its own folder.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(directory: Path = MIGRATIONS_DIR) -> Config:
    config = Config()
    config.set_main_option("script_location", str(directory))
    return config


def upgrade(engine: Engine, revision: str = "head", directory: Path = MIGRATIONS_DIR) -> None:
    config = alembic_config(directory)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str, directory: Path = MIGRATIONS_DIR) -> None:
    config = alembic_config(directory)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def script_head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
