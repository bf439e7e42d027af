"""Cases: the person's shared data, its consent and custody log, assignments and notes.

Revision ID: s0002_cases
Revises: s0001_accounts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0002_cases"
down_revision = "s0001_accounts"
branch_labels = None
depends_on = None


def _case_id() -> sa.Column[int]:
    return sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False)


def _item_id() -> sa.Column[int]:
    return sa.Column("item_id", sa.Integer, nullable=False, autoincrement=False)


def _text(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.Text, nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _text("casebook_id"),
        _text("consent_uid"),
        _text("label"),
        _text("created_at"),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
        _text("updated_at"),
        _text("next_review", nullable=True),
    )
    op.create_index("ix_cases_consent", "cases", ["casebook_id", "consent_uid"], unique=True)
    op.create_table(
        "case_assignments",
        _case_id(),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("assigned_by", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
        _text("assigned_at"),
        sa.PrimaryKeyConstraint("case_id", "account_id"),
    )
    op.create_index("ix_case_assignments_account", "case_assignments", ["account_id"])
    op.create_table(
        "case_packages",
        _case_id(),
        _text("package_id"),
        sa.Column("sequence", sa.Integer, nullable=False),
        _text("kind"),
        _text("sha256"),
        _text("marker"),
        _text("received_at"),
        sa.Column("received_by", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "package_id"),
    )
    op.create_table(
        "case_incidents",
        _case_id(),
        _item_id(),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("removed", sa.Boolean, nullable=False),
        _text("occurred_utc"),
        _text("data"),
        sa.PrimaryKeyConstraint("case_id", "item_id"),
    )
    op.create_table(
        "case_records",
        _case_id(),
        _item_id(),
        sa.Column("evidence_id", sa.Integer, nullable=False),
        sa.Column("removed", sa.Boolean, nullable=False),
        _text("occurred_utc", nullable=True),
        _text("data"),
        sa.PrimaryKeyConstraint("case_id", "item_id"),
    )
    op.create_index("ix_case_records_evidence", "case_records", ["case_id", "evidence_id"])
    op.create_table(
        "case_evidence",
        _case_id(),
        _item_id(),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("removed", sa.Boolean, nullable=False),
        _text("exhibit_ref"),
        _text("filename", nullable=True),
        _text("sha256", nullable=True),
        sa.Column("size", sa.Integer, nullable=True),
        _text("blob_name", nullable=True),
        _text("data"),
        sa.PrimaryKeyConstraint("case_id", "item_id"),
    )
    op.create_table(
        "case_reports",
        _case_id(),
        _text("name"),
        _text("filename"),
        _text("media_type"),
        _text("sha256"),
        sa.Column("size", sa.Integer, nullable=False),
        _text("blob_name"),
        sa.PrimaryKeyConstraint("case_id", "name"),
    )
    op.create_table(
        "case_consents",
        _case_id(),
        sa.Column("consent_id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("version", sa.Integer, nullable=False),
        _text("uid"),
        _text("valid_from"),
        _text("valid_until", nullable=True),
        _text("revoked_at", nullable=True),
        _text("data"),
        sa.PrimaryKeyConstraint("case_id", "consent_id"),
    )
    op.create_table(
        "case_custody",
        _case_id(),
        sa.Column("seq", sa.Integer, nullable=False, autoincrement=False),
        _text("at"),
        _text("action"),
        _text("kind"),
        sa.Column("entity_id", sa.Integer, nullable=True),
        sa.Column("version", sa.Integer, nullable=True),
        _text("details"),
        _text("prev_hash"),
        _text("hash"),
        sa.PrimaryKeyConstraint("case_id", "seq"),
    )
    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _case_id(),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
        _text("kind"),
        _text("text"),
        _text("due", nullable=True),
        _text("created_at"),
    )
    op.create_index("ix_case_notes_case", "case_notes", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_case_notes_case", table_name="case_notes")
    op.drop_table("case_notes")
    op.drop_table("case_custody")
    op.drop_table("case_consents")
    op.drop_table("case_reports")
    op.drop_table("case_evidence")
    op.drop_index("ix_case_records_evidence", table_name="case_records")
    op.drop_table("case_records")
    op.drop_table("case_incidents")
    op.drop_table("case_packages")
    op.drop_index("ix_case_assignments_account", table_name="case_assignments")
    op.drop_table("case_assignments")
    op.drop_index("ix_cases_consent", table_name="cases")
    op.drop_table("cases")
