"""Safety: risk answers and reviews, safety-plan items, trusted contacts, police contacts, orders.

Revision ID: 0003_safety
Revises: 0002_records
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_safety"
down_revision = "0002_records"
branch_labels = None
depends_on = None

TABLES = (
    "risk_answers",
    "risk_reviews",
    "plan_items",
    "trusted_contacts",
    "police_contacts",
    "orders",
)


def upgrade() -> None:
    for name in TABLES:
        op.create_table(
            name,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("uid", sa.Text, nullable=False, unique=True),
            sa.Column("version", sa.Integer, nullable=False),
            sa.Column("removed", sa.Boolean, nullable=False),
            sa.Column("data", sa.Text, nullable=False),
        )


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
