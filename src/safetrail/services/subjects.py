"""The people causing concern."""

from __future__ import annotations

from dataclasses import replace

from safetrail.models.identifiers import (
    IdentifierError,
    normalise_email,
    normalise_handle,
    normalise_phone,
)
from safetrail.models.jsonvalue import JsonObject, as_object
from safetrail.models.subject import Subject, SubjectDetails
from safetrail.services import entities
from safetrail.services.casebook import Casebook
from safetrail.services.errors import InvalidInput

KIND: entities.Kind = "subject"


def _unique(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def normalised(details: SubjectDetails) -> SubjectDetails:
    """Phones in E.164 (default region GB), emails with a lower-case domain, no duplicates."""
    try:
        return replace(
            details,
            name=(details.name or "").strip() or None,
            phones=_unique(tuple(normalise_phone(p) for p in details.phones)),
            emails=_unique(tuple(normalise_email(e) for e in details.emails)),
            handles=_unique(tuple(normalise_handle(h) for h in details.handles)),
            vehicles=_unique(tuple(v.strip() for v in details.vehicles)),
            addresses=_unique(tuple(a.strip() for a in details.addresses)),
        )
    except IdentifierError as exc:
        raise InvalidInput(str(exc)) from exc


def _to_subject(entity_id: int, version: int, data: JsonObject) -> Subject:
    return Subject(
        id=entity_id,
        uid=str(data["uid"]),
        version=version,
        details=SubjectDetails.from_data(as_object(data["details"])),
        removed=bool(data.get("removed", False)),
    )


def add_subject(book: Casebook, details: SubjectDetails) -> Subject:
    clean = normalised(details)
    data: JsonObject = {"uid": entities.new_uid(), "removed": False, "details": clean.to_data()}
    with book.transaction() as conn:
        entity_id = entities.create(conn, KIND, data)
    return get_subject(book, entity_id)


def get_subject(book: Casebook, subject_id: int) -> Subject:
    with book.read() as conn:
        version, data = entities.load(conn, KIND, subject_id)
    return _to_subject(subject_id, version, data)


def list_subjects(book: Casebook, include_removed: bool = False) -> list[Subject]:
    with book.read() as conn:
        rows = entities.current_rows(conn, KIND, include_removed)
    return [_to_subject(i, v, d) for i, v, d in rows]


def edit_subject(book: Casebook, subject_id: int, details: SubjectDetails) -> Subject:
    clean = normalised(details)
    with book.transaction() as conn:
        _, data = entities.load(conn, KIND, subject_id)
        entities.update(conn, KIND, subject_id, {**data, "details": clean.to_data()})
    return get_subject(book, subject_id)


def remove_subject(book: Casebook, subject_id: int, reason: str) -> Subject:
    with book.transaction() as conn:
        entities.set_removed(conn, KIND, subject_id, True, reason)
    return get_subject(book, subject_id)
