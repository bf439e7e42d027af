"""Alembic environment: always run online, on the connection handed in by the runner."""

from __future__ import annotations

from alembic import context

from safetrail.storage.schema import include_object, metadata

connection = context.config.attributes["connection"]


context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
