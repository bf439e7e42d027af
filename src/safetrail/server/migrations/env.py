"""Alembic environment for the server: online only, on the connection handed in by the runner."""

from __future__ import annotations

from alembic import context

from safetrail.server.migrations import VERSION_TABLE
from safetrail.server.schema import metadata

connection = context.config.attributes["connection"]

context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
