"""A real PostgreSQL for the server's tests: one throwaway cluster per test session.

Each test gets its own database, copied from a template that was migrated once, so tests do not
see each other's data and stay fast.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from safetrail.server.app import build_app
from safetrail.server.config import Argon2Cost, ServerConfig
from safetrail.server.db import server_engine
from safetrail.server.keys import ServerKeys, create_key_file, load_keys
from safetrail.server.migrations.runner import upgrade
from safetrail.server.throwaway import Cluster, start_cluster
from tests.server.kit import ServerKit
from tests.server.testclient import TestClient

TEMPLATE = "safetrail_template"
_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    cluster = start_cluster()
    try:
        engine = server_engine(cluster.create_database(TEMPLATE))
        upgrade(engine)
        engine.dispose()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_empty_url(pg_cluster: Cluster) -> str:
    """A new, empty database."""
    return pg_cluster.create_database(f"empty_{next(_numbers)}")


@pytest.fixture
def pg_engine(pg_cluster: Cluster) -> Iterator[Engine]:
    """A new database at the newest schema."""
    from sqlalchemy import create_engine, text

    name = f"test_{next(_numbers)}"
    admin = create_engine(pg_cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"'))
    admin.dispose()
    engine = server_engine(pg_cluster.url(name))
    try:
        yield engine
    finally:
        engine.dispose()


def test_config(tmp_path: Path, url: str, **changes: object) -> ServerConfig:
    from dataclasses import replace

    base = ServerConfig(
        database_url=url,
        blob_dir=tmp_path / "blobs",
        key_file=tmp_path / "server.key",
        argon2=Argon2Cost(time_cost=1, memory_cost_kib=8 * 1024, parallelism=1),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture
def server_keys(tmp_path: Path) -> ServerKeys:
    create_key_file(tmp_path / "server.key")
    return load_keys(tmp_path / "server.key")


@pytest.fixture
def kit(tmp_path: Path, pg_engine: Engine, server_keys: ServerKeys) -> Iterator[ServerKit]:
    config = test_config(tmp_path, str(pg_engine.url))
    app = build_app(config, pg_engine, server_keys)
    yield ServerKit(config=config, engine=pg_engine, keys=server_keys, app=app)


@pytest.fixture
def anonymous(kit: ServerKit) -> Iterator[TestClient]:
    with TestClient(kit.app, base_url="https://testserver") as client:
        yield client
