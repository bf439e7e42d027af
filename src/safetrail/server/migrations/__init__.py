"""The server's own Alembic chain, apart from the casebook's (its own version table)."""

# The newest revision in versions/. A test checks it against Alembic's own view of the head.
HEAD_REVISION = "s0003_safety"
VERSION_TABLE = "server_alembic_version"
