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


def _plain_versioned(name: str) -> Table:
    """A versioned entity with no indexed columns beyond its state (small, per-casebook lists)."""
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("uid", Text, nullable=False, unique=True),
        Column("version", Integer, nullable=False),
        Column("removed", Boolean, nullable=False),
        Column("data", Text, nullable=False),
    )


risk_answers = _plain_versioned("risk_answers")
risk_reviews = _plain_versioned("risk_reviews")
plan_items = _plain_versioned("plan_items")
trusted_contacts = _plain_versioned("trusted_contacts")
police_contacts = _plain_versioned("police_contacts")
orders = _plain_versioned("orders")
tag_decisions = _plain_versioned("tag_decisions")
# Consents to share, and the packages made under each (what was sent, for updates).
consents = _plain_versioned("consents")
share_packages = _plain_versioned("share_packages")

# Behaviour tags that the rules found in records: derived data, recomputed whenever the rules
# change (their version is kept in meta as "tag_rules_version"), so they are not in the custody
# chain. The person's confirmations and rejections are, as tag_decisions.
record_tags = Table(
    "record_tags",
    metadata,
    Column("record_id", Integer, nullable=False),
    Column("tag", Text, nullable=False),
    Column("rule", Text, nullable=False),
    Column("words", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    PrimaryKeyConstraint("record_id", "tag", "rule", "start"),
    Index("ix_record_tags_tag", "tag"),
)

ENTITY_TABLES = {
    "subject": subjects,
    "incident": incidents,
    "evidence": evidence,
    "risk_answer": risk_answers,
    "risk_review": risk_reviews,
    "plan_item": plan_items,
    "trusted_contact": trusted_contacts,
    "police_contact": police_contacts,
    "order": orders,
    "tag_decision": tag_decisions,
    "consent": consents,
    "share_package": share_packages,
}

# Records taken out of evidence by importers (messages, calls, emails, posts, photos). The
# importer's output is fixed and covered by the import's custody entry; the person's corrections
# (who a sender is, which side is theirs) live in their own columns and are logged separately.
# The analysis reads these columns of every dated record. Indexed together in time order, they
# are read from the index alone, without decrypting the pages that hold the records' text.
TIMELINE_COLUMNS = (
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
)

records = Table(
    "records",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("evidence_id", Integer, nullable=False),
    Column("importer", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("occurred_utc", Text, nullable=True),
    Column("occurred_at", Text, nullable=True),
    Column("timestamp_text", Text, nullable=False),
    Column("timezone_assumed", Text, nullable=True),
    Column("ambiguity", Text, nullable=True),
    Column("sender", Text, nullable=True),
    Column("sender_address", Text, nullable=True),
    Column("sender_key", Text, nullable=True),
    Column("recipients", Text, nullable=False),
    Column("direction", Text, nullable=False),
    Column("thread", Text, nullable=True),
    Column("text", Text, nullable=False),
    Column("title", Text, nullable=True),
    Column("call_type", Text, nullable=True),
    Column("duration_seconds", Integer, nullable=True),
    Column("external_id", Text, nullable=True),
    Column("locator", Text, nullable=False),
    Column("attachments", Text, nullable=False),
    Column("extra", Text, nullable=False),
    Column("dedupe_key", Text, nullable=False, unique=True),
    Column("subject_id", Integer, nullable=True),
    Column("direction_set", Text, nullable=True),
    Index("ix_records_timeline", *TIMELINE_COLUMNS),
    Index("ix_records_subject", "subject_id", "occurred_utc"),
    Index("ix_records_sender_key", "sender_key"),
    Index("ix_records_evidence", "evidence_id"),
)

import_warnings = Table(
    "import_warnings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("evidence_id", Integer, nullable=False),
    Column("message", Text, nullable=False),
    Column("location", Text, nullable=False),
    Index("ix_import_warnings_evidence", "evidence_id"),
)

# Unsaved drafts of web forms (not part of the record: no versions, no custody entries).
drafts = Table(
    "drafts",
    metadata,
    Column("key", Text, primary_key=True),
    Column("saved_at", Text, nullable=False),
    Column("data", Text, nullable=False),
)

# The full-text index is SQLite FTS5 (created by migration 0002; PostgreSQL uses its own).
FTS_TABLE = "records_fts"


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """For Alembic: the FTS5 index and its shadow tables are managed by hand."""
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLE))
