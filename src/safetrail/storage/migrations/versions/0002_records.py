"""Records taken out of evidence by importers, their warnings, and the full-text index.

Revision ID: 0002_records
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_records"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("evidence_id", sa.Integer, nullable=False),
        sa.Column("importer", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("occurred_utc", sa.Text, nullable=True),
        sa.Column("occurred_at", sa.Text, nullable=True),
        sa.Column("timestamp_text", sa.Text, nullable=False),
        sa.Column("timezone_assumed", sa.Text, nullable=True),
        sa.Column("ambiguity", sa.Text, nullable=True),
        sa.Column("sender", sa.Text, nullable=True),
        sa.Column("sender_address", sa.Text, nullable=True),
        sa.Column("sender_key", sa.Text, nullable=True),
        sa.Column("recipients", sa.Text, nullable=False),
        sa.Column("direction", sa.Text, nullable=False),
        sa.Column("thread", sa.Text, nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=True),
        sa.Column("call_type", sa.Text, nullable=True),
        sa.Column("duration_seconds", sa.Integer, nullable=True),
        sa.Column("external_id", sa.Text, nullable=True),
        sa.Column("locator", sa.Text, nullable=False),
        sa.Column("attachments", sa.Text, nullable=False),
        sa.Column("extra", sa.Text, nullable=False),
        sa.Column("dedupe_key", sa.Text, nullable=False, unique=True),
        sa.Column("subject_id", sa.Integer, nullable=True),
        sa.Column("direction_set", sa.Text, nullable=True),
    )
    op.create_index("ix_records_occurred", "records", ["occurred_utc"])
    op.create_index("ix_records_subject", "records", ["subject_id", "occurred_utc"])
    op.create_index("ix_records_sender_key", "records", ["sender_key"])
    op.create_index("ix_records_evidence", "records", ["evidence_id"])
    op.create_table(
        "import_warnings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("evidence_id", sa.Integer, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("location", sa.Text, nullable=False),
    )
    op.create_index("ix_import_warnings_evidence", "import_warnings", ["evidence_id"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE records_fts USING fts5("
            "text, sender, title, content='records', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE records_fts")
    op.drop_table("import_warnings")
    op.drop_table("records")
