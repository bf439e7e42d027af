"""The person's safety plan, risk answers and reviews, court orders and police contacts.

Revision ID: s0003_safety
Revises: s0002_cases
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0003_safety"
down_revision = "s0002_cases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_safety",
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("item_id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("removed", sa.Boolean, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("case_id", "kind", "item_id"),
    )


def downgrade() -> None:
    op.drop_table("case_safety")
