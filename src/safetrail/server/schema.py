"""The server's tables, in SQLAlchemy Core: the same definitions run on PostgreSQL and SQLite.

The person's data keeps the casebook's shapes (its id, a version, a `data` JSON column and the
few columns that are queried), with a case id in front. The caseworkers' own notes and actions
live in their own table, apart from the person's evidence. Times are UTC text in one fixed
format (`timeutil.utc_key`), so comparing the text compares the times.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
)

metadata = MetaData()

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", Text, nullable=False, unique=True),
    Column("display_name", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("totp_secret", Text, nullable=False),
    Column("totp_confirmed", Boolean, nullable=False),
    Column("totp_last_step", Integer, nullable=False),
    Column("supervisor_id", Integer, ForeignKey("accounts.id"), nullable=True),
    Column("age_recipient", Text, nullable=True),
    Column("age_identity", Text, nullable=True),
    Column("active", Boolean, nullable=False),
    Column("created_at", Text, nullable=False),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", Text, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False),
    Column("stage", Text, nullable=False),
    Column("csrf", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("expires_at", Text, nullable=False),
    Column("last_seen", Text, nullable=False),
    Index("ix_web_sessions_account", "account_id"),
)

signin_failures = Table(
    "signin_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", Text, nullable=False),
    Column("address", Text, nullable=False),
    Column("at", Text, nullable=False),
    Index("ix_signin_failures_username", "username", "at"),
    Index("ix_signin_failures_address", "address", "at"),
)

# One chain per case ("case:<id>") and one for the server ("server"). Rows are only inserted.
audit_log = Table(
    "audit_log",
    metadata,
    Column("chain", Text, nullable=False),
    Column("seq", Integer, nullable=False, autoincrement=False),
    Column("at", Text, nullable=False),
    Column("account_id", Integer, nullable=True),
    Column("actor", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("outcome", Text, nullable=False),
    Column("case_id", Integer, nullable=True),
    Column("details", Text, nullable=False),
    Column("prev_hash", Text, nullable=False),
    Column("hash", Text, nullable=False, unique=True),
    PrimaryKeyConstraint("chain", "seq"),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("casebook_id", Text, nullable=False),
    Column("consent_uid", Text, nullable=False),
    Column("label", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("created_by", Integer, ForeignKey("accounts.id"), nullable=False),
    Column("updated_at", Text, nullable=False),
    Column("next_review", Text, nullable=True),
    Index("ix_cases_consent", "casebook_id", "consent_uid", unique=True),
)

case_assignments = Table(
    "case_assignments",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False),
    Column("assigned_by", Integer, ForeignKey("accounts.id"), nullable=False),
    Column("assigned_at", Text, nullable=False),
    PrimaryKeyConstraint("case_id", "account_id"),
    Index("ix_case_assignments_account", "account_id"),
)

# Every package and notice accepted, with the marker `open_package` checks the next one against.
case_packages = Table(
    "case_packages",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("package_id", Text, nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("kind", Text, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("marker", Text, nullable=False),
    Column("received_at", Text, nullable=False),
    Column("received_by", Integer, ForeignKey("accounts.id"), nullable=False),
    PrimaryKeyConstraint("case_id", "package_id"),
)

# The person's data, keyed by case and the id it has in their casebook. `removed` marks what
# a later package withdrew: it is kept (the evidence is sacred) but never shown again.
case_incidents = Table(
    "case_incidents",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("item_id", Integer, nullable=False, autoincrement=False),
    Column("version", Integer, nullable=False),
    Column("removed", Boolean, nullable=False),
    Column("occurred_utc", Text, nullable=False),
    Column("data", Text, nullable=False),
    PrimaryKeyConstraint("case_id", "item_id"),
)

case_records = Table(
    "case_records",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("item_id", Integer, nullable=False, autoincrement=False),
    Column("evidence_id", Integer, nullable=False),
    Column("removed", Boolean, nullable=False),
    Column("occurred_utc", Text, nullable=True),
    Column("data", Text, nullable=False),
    PrimaryKeyConstraint("case_id", "item_id"),
    Index("ix_case_records_evidence", "case_id", "evidence_id"),
)

case_evidence = Table(
    "case_evidence",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("item_id", Integer, nullable=False, autoincrement=False),
    Column("version", Integer, nullable=False),
    Column("removed", Boolean, nullable=False),
    Column("exhibit_ref", Text, nullable=False),
    Column("filename", Text, nullable=True),
    Column("sha256", Text, nullable=True),
    Column("size", Integer, nullable=True),
    Column("blob_name", Text, nullable=True),
    Column("data", Text, nullable=False),
    PrimaryKeyConstraint("case_id", "item_id"),
)

case_reports = Table(
    "case_reports",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("filename", Text, nullable=False),
    Column("media_type", Text, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("blob_name", Text, nullable=False),
    PrimaryKeyConstraint("case_id", "name"),
)

# The consent record, latest version, exactly as the person's casebook stored it.
case_consents = Table(
    "case_consents",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("consent_id", Integer, nullable=False, autoincrement=False),
    Column("version", Integer, nullable=False),
    Column("uid", Text, nullable=False),
    Column("valid_from", Text, nullable=False),
    Column("valid_until", Text, nullable=True),
    Column("revoked_at", Text, nullable=True),
    Column("data", Text, nullable=False),
    PrimaryKeyConstraint("case_id", "consent_id"),
)

# The safety plan's steps, risk answers and reviews, court orders and police contacts, when the
# consent includes them (kind is the casebook's entity kind, e.g. "plan_item").
case_safety = Table(
    "case_safety",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("kind", Text, nullable=False),
    Column("item_id", Integer, nullable=False, autoincrement=False),
    Column("version", Integer, nullable=False),
    Column("removed", Boolean, nullable=False),
    Column("data", Text, nullable=False),
    PrimaryKeyConstraint("case_id", "kind", "item_id"),
)

# The person's own custody log, as it arrived in the packages (checked before it was stored).
case_custody = Table(
    "case_custody",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("seq", Integer, nullable=False, autoincrement=False),
    Column("at", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("entity_id", Integer, nullable=True),
    Column("version", Integer, nullable=True),
    Column("details", Text, nullable=False),
    Column("prev_hash", Text, nullable=False),
    Column("hash", Text, nullable=False),
    PrimaryKeyConstraint("case_id", "seq"),
)

# The caseworkers' own work: never mixed with the person's evidence, never exported to police.
case_notes = Table(
    "case_notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False),
    Column("kind", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("due", Text, nullable=True),
    Column("created_at", Text, nullable=False),
    Index("ix_case_notes_case", "case_id"),
)
