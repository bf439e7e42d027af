"""Small versioned lists (plan items, contacts, police contacts, orders, risk answers).

Each item is a JSON document; every change is a new version in the custody log, so the history
of answers and plans is kept without any extra work.
"""

from __future__ import annotations

from dataclasses import dataclass

from safetrail.models.jsonvalue import JsonObject
from safetrail.models.timeutil import from_iso
from safetrail.services import entities
from safetrail.services.casebook import Casebook
from safetrail.storage import repository


@dataclass(frozen=True, slots=True)
class Stored:
    id: int
    version: int
    data: JsonObject
    removed: bool


def create(book: Casebook, kind: entities.Kind, fields: JsonObject) -> Stored:
    data: JsonObject = {"uid": entities.new_uid(), "removed": False, **fields}
    with book.transaction() as conn:
        entity_id = entities.create(conn, kind, data)
    return get(book, kind, entity_id)


def get(book: Casebook, kind: entities.Kind, entity_id: int) -> Stored:
    with book.read() as conn:
        version, data = entities.load(conn, kind, entity_id)
    return Stored(entity_id, version, data, bool(data.get("removed", False)))


def change(book: Casebook, kind: entities.Kind, entity_id: int, fields: JsonObject) -> Stored:
    with book.transaction() as conn:
        _, data = entities.load(conn, kind, entity_id)
        entities.update(conn, kind, entity_id, {**data, **fields})
    return get(book, kind, entity_id)


def remove(book: Casebook, kind: entities.Kind, entity_id: int, reason: str) -> Stored:
    with book.transaction() as conn:
        entities.set_removed(conn, kind, entity_id, True, reason)
    return get(book, kind, entity_id)


def current(book: Casebook, kind: entities.Kind, include_removed: bool = False) -> list[Stored]:
    with book.read() as conn:
        rows = entities.current_rows(conn, kind, include_removed)
    return [Stored(i, v, d, bool(d.get("removed", False))) for i, v, d in rows]


def history(book: Casebook, kind: entities.Kind, entity_id: int) -> list[tuple[str, JsonObject]]:
    """(written_at, data) of every version, oldest first."""
    with book.read() as conn:
        return [(v.written_at, v.data) for v in repository.version_history(conn, kind, entity_id)]


def written_at(text: str) -> str:
    return from_iso(text).isoformat()
