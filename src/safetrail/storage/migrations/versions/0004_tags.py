"""Behaviour tags found by the rules in records, and the person's decisions about tags.

Revision ID: 0004_tags
Revises: 0003_safety
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_tags"
down_revision = "0003_safety"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tag_decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("uid", sa.Text, nullable=False, unique=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("removed", sa.Boolean, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_table(
        "record_tags",
        sa.Column("record_id", sa.Integer, nullable=False),
        sa.Column("tag", sa.Text, nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("words", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("record_id", "tag", "rule", "start"),
    )
    op.create_index("ix_record_tags_tag", "record_tags", ["tag"])


def downgrade() -> None:
    op.drop_table("record_tags")
    op.drop_table("tag_decisions")
