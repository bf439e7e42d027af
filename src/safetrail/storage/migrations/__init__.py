"""Alembic migrations, shared by the personal casebook (SQLite) and the server (PostgreSQL)."""

# The newest revision in versions/. A test checks it against Alembic's own view of the head.
HEAD_REVISION = "0007_web_drafts"
