"""Drafts of forms in the web app, saved as the person types (inside the encrypted database).

Revision ID: 0007_web_drafts
Revises: 0006_consent
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_web_drafts"
down_revision = "0006_consent"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("saved_at", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("drafts")
