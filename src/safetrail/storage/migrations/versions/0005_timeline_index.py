"""The records' time index also carries the columns the analysis reads (a covering index).

A million-record analysis then reads the index alone instead of every page of message text.

Revision ID: 0005_timeline_index
Revises: 0004_tags
"""

from __future__ import annotations

from alembic import op

revision = "0005_timeline_index"
down_revision = "0004_tags"
branch_labels = None
depends_on = None

COLUMNS = [
    "occurred_utc",
    "occurred_at",
    "kind",
    "channel",
    "ambiguity",
    "subject_id",
    "thread",
    "evidence_id",
    "direction_set",
    "direction",
]


def upgrade() -> None:
    op.drop_index("ix_records_occurred", table_name="records")
    op.create_index("ix_records_timeline", "records", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_records_timeline", table_name="records")
    op.create_index("ix_records_occurred", "records", ["occurred_utc"])
