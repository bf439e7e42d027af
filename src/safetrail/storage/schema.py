"""The casebook schema, in SQLAlchemy Core so the same tables run on SQLite and PostgreSQL.

Subjects, incidents and evidence are versioned: every state ever written is a row in `versions`,
with a custody-log entry holding its hash. The entity tables hold the current state for fast
queries, and `verify` checks that they match the latest version.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

custody_log = Table(
    "custody_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("entity_id", Integer, nullable=True),
    Column("version", Integer, nullable=True),
    Column("details", Text, nullable=False),
    Column("prev_hash", Text, nullable=False),
    Column("hash", Text, nullable=False, unique=True),
)

versions = Table(
    "versions",
    metadata,
    Column("kind", Text, nullable=False),
    Column("entity_id", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("written_at", Text, nullable=False),
    Column("data", Text, nullable=False),
    Column("data_sha256", Text, nullable=False),
    Column("log_seq", Integer, nullable=False, unique=True),
    PrimaryKeyConstraint("kind", "entity_id", "version"),
)

subjects = Table(
    "subjects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("uid", Text, nullable=False, unique=True),
    Column("version", Integer, nullable=False),
    Column("removed", Boolean, nullable=False),
    Column("data", Text, nullable=False),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("uid", Text, nullable=False, unique=True),
    Column("version", Integer, nullable=False),
    Column("removed", Boolean, nullable=False),
    Column("recorded_at", Text, nullable=False),
    Column("occurred_utc", Text, nullable=False),
    Column("subject_id", Integer, nullable=True),
    Column("data", Text, nullable=False),
    Index("ix_incidents_occurred", "occurred_utc"),
)

evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("uid", Text, nullable=False, unique=True),
    Column("version", Integer, nullable=False),
    Column("removed", Boolean, nullable=False),
    Column("exhibit_number", Integer, nullable=False),
    Column("exhibit_ref", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("sha256", Text, nullable=True),
    Column("blob_name", Text, nullable=True),
    Column("size", Integer, nullable=True),
    Column("acquired_at", Text, nullable=False),
    Column("parent_id", Integer, nullable=True),
    Column("data", Text, nullable=False),
    UniqueConstraint("exhibit_number", name="uq_evidence_exhibit_number"),
    UniqueConstraint("exhibit_ref", name="uq_evidence_exhibit_ref"),
    Index("ix_evidence_sha256", "sha256"),
)

ENTITY_TABLES = {"subject": subjects, "incident": incidents, "evidence": evidence}
