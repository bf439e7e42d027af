"""Versioned entities: how each kind's stored state maps to its row, and the shared write path.

Every state of a subject, incident or evidence item is a full JSON document kept in `versions`.
The entity table holds the latest one, projected into indexed columns by `project`, which
`verify` also uses to check that the table still matches the log.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection, select

from safetrail.models.incident import IncidentDetails
from safetrail.models.jsonvalue import JsonObject, as_object, canonical_json
from safetrail.models.timeutil import utc_key
from safetrail.services.errors import NotFound
from safetrail.storage import repository
from safetrail.storage.schema import ENTITY_TABLES

Kind = Literal[
    "subject",
    "incident",
    "evidence",
    "risk_answer",
    "risk_review",
    "plan_item",
    "trusted_contact",
    "police_contact",
    "order",
    "tag_decision",
    "consent",
    "share_package",
]

LABELS: dict[str, str] = {
    "subject": "person",
    "incident": "incident",
    "evidence": "evidence item",
    "risk_answer": "risk answer",
    "risk_review": "risk review",
    "plan_item": "safety plan item",
    "trusted_contact": "trusted contact",
    "police_contact": "police contact",
    "order": "order",
    "tag_decision": "tag decision",
    "consent": "consent to share",
    "share_package": "share package",
}


def project(
    kind: str, entity_id: int, version: int, data: JsonObject, text: str | None = None
) -> dict[str, object]:
    """The entity-table row for one stored state (`text`: its canonical JSON, if known)."""
    row: dict[str, object] = {
        "id": entity_id,
        "uid": data["uid"],
        "version": version,
        "removed": bool(data.get("removed", False)),
        "data": canonical_json(data) if text is None else text,
    }
    if kind == "incident":
        details = IncidentDetails.from_data(as_object(data["details"]))
        row["recorded_at"] = data["recorded_at"]
        row["occurred_utc"] = utc_key(details.occurred_start)
        row["subject_id"] = details.subject_id
    elif kind == "evidence":
        file_facts = data.get("file")
        facts = as_object(file_facts) if isinstance(file_facts, dict) else {}
        row.update(
            exhibit_number=data["exhibit_number"],
            exhibit_ref=data["exhibit_ref"],
            kind=data["kind"],
            sha256=facts.get("sha256"),
            blob_name=data.get("blob_name"),
            size=facts.get("size"),
            acquired_at=data["acquired_at"],
            parent_id=data.get("parent_id"),
        )
    return row


def new_uid() -> str:
    return str(uuid.uuid4())


def create(
    conn: Connection, kind: Kind, data: JsonObject, details: JsonObject | None = None
) -> int:
    entity_id = repository.next_entity_id(conn, kind)
    create_many(conn, kind, [NewEntity(entity_id, data, details)])
    return entity_id


@dataclass(frozen=True, slots=True)
class NewEntity:
    """An entity to create with an id the caller chose (the next free ids, in order)."""

    entity_id: int
    data: JsonObject
    details: JsonObject | None = None


def create_many(conn: Connection, kind: Kind, new: Sequence[NewEntity]) -> None:
    """Create entities of one kind as `create` would one by one (same versions, same custody
    entries in the same order), with one INSERT per table for the whole list."""
    states = [
        repository.NewVersion(
            item.entity_id, 1, item.data, "create", item.details, canonical_json(item.data)
        )
        for item in new
    ]
    repository.write_versions(conn, kind, states)
    rows = [project(kind, state.entity_id, 1, state.data, state.text) for state in states]
    repository.insert_current(conn, ENTITY_TABLES[kind], rows)


def load(conn: Connection, kind: Kind, entity_id: int) -> tuple[int, JsonObject]:
    """(version, data) of the current state; NotFound if there is no such entity."""
    table = ENTITY_TABLES[kind]
    row = conn.execute(select(table.c.version, table.c.data).where(table.c.id == entity_id)).first()
    if row is None:
        raise NotFound(f"There is no {LABELS[kind]} with number {entity_id}.")
    return int(row.version), as_object(json.loads(row.data))


def update(
    conn: Connection,
    kind: Kind,
    entity_id: int,
    data: JsonObject,
    action: str = "edit",
    details: JsonObject | None = None,
) -> int:
    """Store a new version. The earlier ones stay readable; returns the new version number."""
    version, current = load(conn, kind, entity_id)
    if current["uid"] != data["uid"]:
        raise ValueError("an entity's uid never changes")
    new_version = version + 1
    repository.write_version(conn, kind, entity_id, new_version, data, action, details)
    row = project(kind, entity_id, new_version, data)
    repository.save_current(conn, ENTITY_TABLES[kind], row, new=False)
    return new_version


def set_removed(conn: Connection, kind: Kind, entity_id: int, removed: bool, reason: str) -> int:
    """Hide (or bring back) an entity. Nothing is deleted; the change is logged with its reason."""
    _, data = load(conn, kind, entity_id)
    if bool(data.get("removed", False)) == removed:
        return int(load(conn, kind, entity_id)[0])
    changed = {**data, "removed": removed}
    return update(
        conn, kind, entity_id, changed, "remove" if removed else "restore", {"reason": reason}
    )


def current_rows(
    conn: Connection, kind: Kind, include_removed: bool = False
) -> list[tuple[int, int, JsonObject]]:
    table = ENTITY_TABLES[kind]
    query = select(table.c.id, table.c.version, table.c.data).order_by(table.c.id)
    if not include_removed:
        query = query.where(table.c.removed.is_(False))
    return [(int(r.id), int(r.version), as_object(json.loads(r.data))) for r in conn.execute(query)]
