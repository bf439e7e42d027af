from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from safetrail.storage.engine import current_revision, sqlcipher_engine, upgrade_if_needed
from safetrail.storage.migrations import HEAD_REVISION
from safetrail.storage.migrations.runner import script_head, upgrade
from safetrail.storage.schema import include_object, metadata


def test_head_constant_matches_alembic() -> None:
    assert script_head() == HEAD_REVISION


def test_migrations_build_exactly_the_declared_schema(tmp_path: Path) -> None:
    engine = sqlcipher_engine(tmp_path / "db", b"k" * 32)
    upgrade_if_needed(engine)
    assert current_revision(engine) == HEAD_REVISION
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(context, metadata)
    assert diff == []
    engine.dispose()


def test_downgrade_to_empty_and_up_again(tmp_path: Path) -> None:
    engine = sqlcipher_engine(tmp_path / "db", b"k" * 32)
    upgrade(engine)
    from alembic import command

    from safetrail.storage.migrations.runner import alembic_config

    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}, "downgrade left tables"
    upgrade(engine)
    assert "custody_log" in inspect(engine).get_table_names()
    engine.dispose()


def test_database_file_is_encrypted(tmp_path: Path) -> None:
    engine = sqlcipher_engine(tmp_path / "db", b"k" * 32)
    upgrade(engine)
    engine.dispose()
    raw = (tmp_path / "db").read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert b"custody_log" not in raw
