"""The server's own migration chain, on SQLite and on a real PostgreSQL: from an empty database,
from every earlier revision, and down to nothing and up again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from safetrail.server.db import SchemaOutOfDate, check_schema, server_engine
from safetrail.server.migrations import HEAD_REVISION, VERSION_TABLE
from safetrail.server.migrations.runner import (
    current_revision,
    downgrade,
    revisions,
    script_head,
    upgrade,
)
from safetrail.server.schema import metadata


def _diff(engine: Engine) -> list[object]:
    def include(obj: object, name: str | None, type_: str, reflected: bool, other: object) -> bool:
        return not (type_ == "table" and name == VERSION_TABLE)

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include})
        return list(compare_metadata(context, metadata))


@pytest.fixture(params=["sqlite", "postgresql"])
def empty(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'server.db'}"
    else:
        url = request.getfixturevalue("pg_empty_url")
    engine = server_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def test_head_constant_matches_alembic() -> None:
    assert script_head() == HEAD_REVISION
    assert revisions()[-1] == HEAD_REVISION and len(revisions()) >= 2


def test_from_empty_builds_exactly_the_declared_schema(empty: Engine) -> None:
    with pytest.raises(SchemaOutOfDate):
        check_schema(empty)
    upgrade(empty)
    assert current_revision(empty) == HEAD_REVISION
    assert _diff(empty) == []
    check_schema(empty)


@pytest.mark.parametrize("start", range(len(revisions())))
def test_from_each_earlier_revision_up_to_head(empty: Engine, start: int) -> None:
    revision = revisions()[start]
    upgrade(empty, revision)
    assert current_revision(empty) == revision
    upgrade(empty)
    assert current_revision(empty) == HEAD_REVISION
    assert _diff(empty) == []


def test_down_to_nothing_and_up_again(empty: Engine) -> None:
    upgrade(empty)
    downgrade(empty, "base")
    assert set(inspect(empty).get_table_names()) <= {VERSION_TABLE}
    upgrade(empty)
    assert "audit_log" in inspect(empty).get_table_names()


def test_the_server_chain_is_apart_from_the_casebook_chain(empty: Engine) -> None:
    upgrade(empty)
    names = set(inspect(empty).get_table_names())
    assert VERSION_TABLE in names and "alembic_version" not in names
