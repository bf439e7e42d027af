"""The diary: incidents written as soon as possible after they happen.

The time an incident was first written (`recorded_at`) is set here and can never be edited.
Each edit stores a new version; every earlier version stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from safetrail.models.incident import Incident, IncidentDetails
from safetrail.models.jsonvalue import JsonObject, as_object
from safetrail.models.timeutil import from_iso
from safetrail.services import entities
from safetrail.services.casebook import Casebook
from safetrail.services.errors import InvalidInput
from safetrail.storage import repository

KIND: entities.Kind = "incident"


@dataclass(frozen=True, slots=True)
class IncidentVersion:
    version: int
    written_at: datetime
    action: str
    details: IncidentDetails
    removed: bool


def _to_incident(entity_id: int, version: int, data: JsonObject, written_at: str) -> Incident:
    return Incident(
        id=entity_id,
        uid=str(data["uid"]),
        version=version,
        recorded_at=from_iso(str(data["recorded_at"])),
        written_at=from_iso(written_at),
        details=IncidentDetails.from_data(as_object(data["details"])),
        removed=bool(data.get("removed", False)),
    )


def _check_links(conn: Connection, details: IncidentDetails) -> None:
    if details.subject_id is not None:
        entities.load(conn, "subject", details.subject_id)
    for evidence_id in details.evidence_ids:
        entities.load(conn, "evidence", evidence_id)
    if not details.what_happened.strip():
        raise InvalidInput("Please write what happened, even a few words.")


def add_incident(book: Casebook, details: IncidentDetails) -> Incident:
    recorded_at = repository.now_utc()
    data: JsonObject = {
        "uid": entities.new_uid(),
        "removed": False,
        "recorded_at": recorded_at.isoformat(),
        "details": details.to_data(),
    }
    with book.transaction() as conn:
        _check_links(conn, details)
        entity_id = entities.create(conn, KIND, data)
    return get_incident(book, entity_id)


def get_incident(book: Casebook, incident_id: int) -> Incident:
    with book.read() as conn:
        version, data = entities.load(conn, KIND, incident_id)
        history = repository.version_history(conn, KIND, incident_id)
    return _to_incident(incident_id, version, data, history[-1].written_at)


def list_incidents(book: Casebook, include_removed: bool = False) -> list[Incident]:
    with book.read() as conn:
        rows = entities.current_rows(conn, KIND, include_removed)
    incidents = [_to_incident(i, v, d, str(d["recorded_at"])) for i, v, d in rows]
    return sorted(incidents, key=lambda inc: (inc.details.occurred_start, inc.id))


def edit_incident(book: Casebook, incident_id: int, details: IncidentDetails) -> Incident:
    with book.transaction() as conn:
        _check_links(conn, details)
        _, data = entities.load(conn, KIND, incident_id)
        entities.update(conn, KIND, incident_id, {**data, "details": details.to_data()})
    return get_incident(book, incident_id)


def link_evidence(book: Casebook, incident_id: int, evidence_id: int) -> Incident:
    """Attach an evidence item to an incident (a new version, logged as a link)."""
    with book.transaction() as conn:
        entities.load(conn, "evidence", evidence_id)
        _, data = entities.load(conn, KIND, incident_id)
        details = IncidentDetails.from_data(as_object(data["details"]))
        if evidence_id not in details.evidence_ids:
            linked = details.to_data()
            linked["evidence_ids"] = [*details.evidence_ids, evidence_id]
            entities.update(
                conn,
                KIND,
                incident_id,
                {**data, "details": linked},
                "link",
                {"evidence_id": evidence_id},
            )
    return get_incident(book, incident_id)


def remove_incident(book: Casebook, incident_id: int, reason: str) -> Incident:
    with book.transaction() as conn:
        entities.set_removed(conn, KIND, incident_id, True, reason)
    return get_incident(book, incident_id)


def incident_history(book: Casebook, incident_id: int) -> list[IncidentVersion]:
    """Every version ever written, oldest first."""
    from sqlalchemy import select

    from safetrail.storage.schema import custody_log

    with book.read() as conn:
        entities.load(conn, KIND, incident_id)
        history = repository.version_history(conn, KIND, incident_id)
        actions = {
            row.seq: row.action
            for row in conn.execute(
                select(custody_log.c.seq, custody_log.c.action).where(
                    custody_log.c.seq.in_([h.log_seq for h in history])
                )
            )
        }
    return [
        IncidentVersion(
            version=h.version,
            written_at=from_iso(h.written_at),
            action=actions.get(h.log_seq, "unknown"),
            details=IncidentDetails.from_data(as_object(h.data["details"])),
            removed=bool(h.data.get("removed", False)),
        )
        for h in history
    ]
