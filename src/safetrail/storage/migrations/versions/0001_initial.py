"""The first casebook schema: meta, custody log, versions, subjects, incidents, evidence.

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "custody_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("entity_id", sa.Integer, nullable=True),
        sa.Column("version", sa.Integer, nullable=True),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.Text, nullable=False),
        sa.Column("hash", sa.Text, nullable=False, unique=True),
    )
    op.create_table(
        "versions",
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("entity_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("written_at", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("data_sha256", sa.Text, nullable=False),
        sa.Column("log_seq", sa.Integer, nullable=False, unique=True),
        sa.PrimaryKeyConstraint("kind", "entity_id", "version"),
    )
    op.create_table(
        "subjects",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("uid", sa.Text, nullable=False, unique=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("removed", sa.Boolean, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("uid", sa.Text, nullable=False, unique=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("removed", sa.Boolean, nullable=False),
        sa.Column("recorded_at", sa.Text, nullable=False),
        sa.Column("occurred_utc", sa.Text, nullable=False),
        sa.Column("subject_id", sa.Integer, nullable=True),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_index("ix_incidents_occurred", "incidents", ["occurred_utc"])
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("uid", sa.Text, nullable=False, unique=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("removed", sa.Boolean, nullable=False),
        sa.Column("exhibit_number", sa.Integer, nullable=False),
        sa.Column("exhibit_ref", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("sha256", sa.Text, nullable=True),
        sa.Column("blob_name", sa.Text, nullable=True),
        sa.Column("size", sa.Integer, nullable=True),
        sa.Column("acquired_at", sa.Text, nullable=False),
        sa.Column("parent_id", sa.Integer, nullable=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.UniqueConstraint("exhibit_number", name="uq_evidence_exhibit_number"),
        sa.UniqueConstraint("exhibit_ref", name="uq_evidence_exhibit_ref"),
    )
    op.create_index("ix_evidence_sha256", "evidence", ["sha256"])


def downgrade() -> None:
    for name in ("evidence", "incidents", "subjects", "versions", "custody_log", "meta"):
        op.drop_table(name)
