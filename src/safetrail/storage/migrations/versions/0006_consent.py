"""Consents to share, and the share packages made under them.

Revision ID: 0006_consent
Revises: 0005_timeline_index
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_consent"
down_revision = "0005_timeline_index"
branch_labels = None
depends_on = None

TABLES = ("consents", "share_packages")


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
