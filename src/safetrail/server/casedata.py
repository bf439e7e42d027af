"""Reading a case for one user: the data-access layer that applies the person's consent.

Every function takes a `CaseGrant` from `access.authorize`, and returns only what the current
consent allows. Pages receive finished views and decide nothing.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from safetrail.models.jsonvalue import JsonObject
from safetrail.server.access import CaseGrant, Principal, visible_case_ids
from safetrail.server.accounts import Role
from safetrail.server.consent import CurrentConsent, current_consent
from safetrail.server.schema import (
    accounts,
    case_assignments,
    case_evidence,
    case_incidents,
    case_notes,
    case_records,
    case_reports,
    case_safety,
    cases,
)

TIMELINE_LIMIT = 1000
SAFETY_KINDS = (
    ("plan_item", "Safety plan steps"),
    ("risk_answer", "Answers to risk questions"),
    ("risk_review", "Risk reviews"),
    ("order", "Court orders"),
    ("police_contact", "Contacts with the police"),
)
SAFETY_FIELD_LIMIT = 1000
HIDDEN_SAFETY_FIELDS = frozenset({"id", "version", "uid", "removed", "item_id"})


def _is_police(principal: Principal) -> bool:
    return principal.role is Role.POLICE_LIAISON


def consent_for(conn: Connection, grant: CaseGrant) -> CurrentConsent:
    """The case's consent as it applies to the user holding this grant."""
    return current_consent(conn, grant.case_id, police=_is_police(grant.principal))


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    when: str
    kind: str
    item_id: int
    title: str
    text: str
    behaviours: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PoliceContactView:
    when: str
    crime_reference: str
    officer: str
    incident_id: int


@dataclass(frozen=True, slots=True)
class EvidenceView:
    item_id: int
    exhibit_ref: str
    filename: str | None
    sha256: str | None
    size: int | None
    description: str


@dataclass(frozen=True, slots=True)
class ReportView:
    name: str
    filename: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class Pattern:
    incidents: int
    records: int
    first: str | None
    last: str | None
    by_month: tuple[tuple[str, int], ...]
    behaviours: tuple[tuple[str, int], ...]
    feared_violence: int


@dataclass(frozen=True, slots=True)
class CaseRow:
    id: int
    label: str
    next_review: str | None
    updated_at: str
    consent: str
    concerns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SafetySection:
    """One kind of safety item, each item as (field, value) pairs of plain text."""

    title: str
    items: tuple[tuple[tuple[str, str], ...], ...]


@dataclass(frozen=True, slots=True)
class CaseView:
    id: int
    label: str
    next_review: str | None
    created_at: str
    consent: CurrentConsent
    shows_person_data: bool
    timeline: tuple[TimelineEntry, ...]
    timeline_cut: bool
    pattern: Pattern
    police_contacts: tuple[PoliceContactView, ...]
    evidence: tuple[EvidenceView, ...]
    reports: tuple[ReportView, ...]
    safety: tuple[SafetySection, ...] = field(default=())
    can_export: bool = False
    assigned: tuple[tuple[str, str], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class NoteView:
    kind: str
    text: str
    due: str | None
    author: str
    created_at: str


def _text(data: JsonObject, key: str, limit: int = 4000) -> str:
    value = data.get(key)
    return value[:limit] if isinstance(value, str) else ""


def _incidents(conn: Connection, case_id: int, consent: CurrentConsent) -> list[JsonObject]:
    rows = conn.execute(
        select(case_incidents.c.item_id, case_incidents.c.occurred_utc, case_incidents.c.data)
        .where(case_incidents.c.case_id == case_id)
        .where(case_incidents.c.removed.is_(False))
        .order_by(case_incidents.c.occurred_utc)
    ).all()
    shown: list[JsonObject] = []
    for row in rows:
        if consent.shows_incident(int(row.item_id), row.occurred_utc):
            data = json.loads(row.data)
            if not consent.private_notes:
                data.pop("private_notes", None)
            shown.append(data)
    return shown


def _records(conn: Connection, case_id: int, consent: CurrentConsent) -> list[JsonObject]:
    rows = conn.execute(
        select(case_records.c.evidence_id, case_records.c.occurred_utc, case_records.c.data)
        .where(case_records.c.case_id == case_id)
        .where(case_records.c.removed.is_(False))
        .order_by(case_records.c.occurred_utc)
    ).all()
    return [
        json.loads(row.data)
        for row in rows
        if consent.shows_record(int(row.evidence_id), row.occurred_utc)
    ]


def _evidence_rows(conn: Connection, case_id: int, consent: CurrentConsent) -> list[object]:
    rows = conn.execute(
        select(case_evidence)
        .where(case_evidence.c.case_id == case_id)
        .where(case_evidence.c.removed.is_(False))
        .order_by(case_evidence.c.item_id)
    ).all()
    return [row for row in rows if consent.shows_evidence(int(row.item_id))]


def _evidence(conn: Connection, case_id: int, consent: CurrentConsent) -> list[EvidenceView]:
    views: list[EvidenceView] = []
    for row in _evidence_rows(conn, case_id, consent):
        data = json.loads(row.data)  # type: ignore[attr-defined]
        views.append(
            EvidenceView(
                item_id=int(row.item_id),  # type: ignore[attr-defined]
                exhibit_ref=row.exhibit_ref,  # type: ignore[attr-defined]
                filename=row.filename,  # type: ignore[attr-defined]
                sha256=row.sha256,  # type: ignore[attr-defined]
                size=row.size,  # type: ignore[attr-defined]
                description=_text(data, "description", 500) or _text(data, "source", 500),
            )
        )
    return views


def _reports(conn: Connection, case_id: int, consent: CurrentConsent) -> list[ReportView]:
    rows = conn.execute(
        select(case_reports).where(case_reports.c.case_id == case_id).order_by(case_reports.c.name)
    ).all()
    return [
        ReportView(row.name, row.filename, row.sha256, int(row.size))
        for row in rows
        if consent.shows_report(row.name)
    ]


def _behaviours(incident: JsonObject) -> tuple[str, ...]:
    found = incident.get("behaviours")
    return tuple(str(b) for b in found) if isinstance(found, list) else ()


def _timeline(incidents: list[JsonObject], records: list[JsonObject]) -> list[TimelineEntry]:
    entries = [
        TimelineEntry(
            when=_text(i, "occurred_start", 40),
            kind="incident",
            item_id=int(str(i.get("id", 0))),
            title=_text(i, "location", 200) or "Diary entry",
            text=_text(i, "what_happened"),
            behaviours=_behaviours(i),
        )
        for i in incidents
    ]
    entries += [
        TimelineEntry(
            when=_text(r, "occurred_at", 40),
            kind=_text(r, "kind", 40) or "record",
            item_id=int(str(r.get("id", 0))),
            title=" ".join(
                part for part in (_text(r, "channel", 40), _text(r, "sender", 200)) if part
            ),
            text=_text(r, "text"),
        )
        for r in records
    ]
    return sorted(entries, key=lambda entry: entry.when)


def _pattern(incidents: list[JsonObject], records: list[JsonObject]) -> Pattern:
    times = sorted(
        [t for t in (_text(i, "occurred_start", 40) for i in incidents) if t]
        + [t for t in (_text(r, "occurred_at", 40) for r in records) if t]
    )
    months = Counter(t[:7] for t in times)
    behaviours = Counter(b for i in incidents for b in _behaviours(i))
    return Pattern(
        incidents=len(incidents),
        records=len(records),
        first=times[0] if times else None,
        last=times[-1] if times else None,
        by_month=tuple(sorted(months.items())[-12:]),
        behaviours=tuple(behaviours.most_common()),
        feared_violence=sum(1 for i in incidents if i.get("feared_violence") is True),
    )


def _police_contacts(incidents: list[JsonObject]) -> list[PoliceContactView]:
    found: list[PoliceContactView] = []
    for incident in incidents:
        police = incident.get("police")
        if isinstance(police, dict) and police.get("reported") is True:
            found.append(
                PoliceContactView(
                    when=_text(incident, "occurred_start", 40),
                    crime_reference=_text(police, "crime_reference", 100),
                    officer=_text(police, "officer", 200),
                    incident_id=int(str(incident.get("id", 0))),
                )
            )
    return found


def _assigned(conn: Connection, case_id: int) -> tuple[tuple[str, str], ...]:
    rows = conn.execute(
        select(accounts.c.display_name, accounts.c.role)
        .join(case_assignments, case_assignments.c.account_id == accounts.c.id)
        .where(case_assignments.c.case_id == case_id)
        .order_by(accounts.c.display_name)
    ).all()
    return tuple((row.display_name, row.role) for row in rows)


def _field_text(value: object) -> str | None:
    if isinstance(value, bool) or value is None:
        return None if value is None else ("yes" if value else "no")
    if isinstance(value, str | int | float):
        return str(value)[:SAFETY_FIELD_LIMIT]
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return ", ".join(str(v) for v in value)[:SAFETY_FIELD_LIMIT]
    return None


@functools.cache
def _plan_titles() -> dict[str, str]:
    """Safetrail's own titles of the safety plan's steps, by id (the package holds only ids)."""
    from safetrail.safety.plan_content import load_safety_plan

    return {item.id: item.title for item in load_safety_plan().items}


def _safety_pairs(kind: str, data: JsonObject) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    step = data.get("item_id")
    if kind == "plan_item" and isinstance(step, str) and step in _plan_titles():
        pairs.append(("step", _plan_titles()[step]))
    pairs += [
        (key.replace("_", " "), text)
        for key, value in data.items()
        if key not in HIDDEN_SAFETY_FIELDS and (text := _field_text(value))
    ]
    return tuple(pairs)


def _safety(conn: Connection, case_id: int, consent: CurrentConsent) -> list[SafetySection]:
    if not consent.shows_safety:
        return []
    rows = conn.execute(
        select(case_safety.c.kind, case_safety.c.data)
        .where(case_safety.c.case_id == case_id)
        .where(case_safety.c.removed.is_(False))
        .order_by(case_safety.c.kind, case_safety.c.item_id)
    ).all()
    sections: list[SafetySection] = []
    for kind, title in SAFETY_KINDS:
        items = [_safety_pairs(kind, json.loads(row.data)) for row in rows if row.kind == kind]
        if items:
            sections.append(SafetySection(title, tuple(items)))
    return sections


def case_view(conn: Connection, grant: CaseGrant) -> CaseView:
    case = conn.execute(select(cases).where(cases.c.id == grant.case_id)).one()
    consent = consent_for(conn, grant)
    incidents = _incidents(conn, grant.case_id, consent)
    records = _records(conn, grant.case_id, consent)
    timeline = _timeline(incidents, records)
    return CaseView(
        id=grant.case_id,
        label=case.label,
        next_review=case.next_review,
        created_at=case.created_at,
        consent=consent,
        shows_person_data=consent.open,
        timeline=tuple(timeline[:TIMELINE_LIMIT]),
        timeline_cut=len(timeline) > TIMELINE_LIMIT,
        pattern=_pattern(incidents, records),
        police_contacts=tuple(_police_contacts(incidents)),
        evidence=tuple(_evidence(conn, grant.case_id, consent)),
        reports=tuple(_reports(conn, grant.case_id, consent)),
        safety=tuple(_safety(conn, grant.case_id, consent)),
        can_export=consent.police_may_receive,
        assigned=_assigned(conn, grant.case_id),
    )


def _concerns(conn: Connection, case_id: int, consent: CurrentConsent) -> tuple[str, ...]:
    """Risk factors seen in what was shared: behaviours and fear of violence, in plain words."""
    incidents = _incidents(conn, case_id, consent)
    pattern = _pattern(incidents, [])
    found = [f"{name.replace('_', ' ')} ({count})" for name, count in pattern.behaviours]
    if pattern.feared_violence:
        found.insert(0, f"feared violence ({pattern.feared_violence})")
    return tuple(found)


def list_cases(conn: Connection, principal: Principal) -> list[CaseRow]:
    """The cases this user may see. A police liaison sees only those whose consent is in force."""
    ids = visible_case_ids(conn, principal)
    if not ids:
        return []
    rows = conn.execute(
        select(cases).where(cases.c.id.in_(ids)).order_by(cases.c.next_review, cases.c.id)
    ).all()
    listed: list[CaseRow] = []
    for row in rows:
        consent = current_consent(conn, int(row.id), police=_is_police(principal))
        if consent.police and not consent.open:
            continue
        listed.append(
            CaseRow(
                id=int(row.id),
                label=row.label,
                next_review=row.next_review,
                updated_at=row.updated_at,
                consent=consent.status,
                concerns=_concerns(conn, int(row.id), consent),
            )
        )
    return listed


@dataclass(frozen=True, slots=True)
class SharedFile:
    filename: str
    sha256: str
    blob_name: str


def shared_original(conn: Connection, grant: CaseGrant, item_id: int) -> SharedFile | None:
    """An original file, if the consent covers it now; None otherwise."""
    consent = consent_for(conn, grant)
    for row in _evidence_rows(conn, grant.case_id, consent):
        if int(row.item_id) == item_id and row.blob_name and row.sha256:  # type: ignore[attr-defined]
            return SharedFile(row.filename or row.exhibit_ref, row.sha256, row.blob_name)  # type: ignore[attr-defined]
    return None


def shared_report(conn: Connection, grant: CaseGrant, name: str) -> SharedFile | None:
    consent = consent_for(conn, grant)
    row = conn.execute(
        select(case_reports)
        .where(case_reports.c.case_id == grant.case_id)
        .where(case_reports.c.name == name)
    ).first()
    if row is None or not consent.shows_report(name):
        return None
    return SharedFile(row.filename, row.sha256, row.blob_name)


@dataclass(frozen=True, slots=True)
class ExportContent:
    """What a police export holds: only what the consent covers, never caseworker notes."""

    consent: JsonObject
    incidents: list[JsonObject]
    records: list[JsonObject]
    evidence: list[SharedFile]
    reports: list[SharedFile]


def export_content(conn: Connection, grant: CaseGrant) -> ExportContent | None:
    """What may go to police now, whoever downloads it; None if the person has not agreed."""
    consent = current_consent(conn, grant.case_id, police=True)
    if consent.record is None or not consent.police_may_receive:
        return None
    originals = [
        SharedFile(row.filename or row.exhibit_ref, row.sha256, row.blob_name)  # type: ignore[attr-defined]
        for row in _evidence_rows(conn, grant.case_id, consent)
        if row.blob_name and row.sha256  # type: ignore[attr-defined]
    ]
    reports = [
        file
        for report in _reports(conn, grant.case_id, consent)
        if (file := shared_report(conn, grant, report.name)) is not None
    ]
    return ExportContent(
        consent=consent.record.data,
        incidents=_incidents(conn, grant.case_id, consent),
        records=_records(conn, grant.case_id, consent),
        evidence=originals,
        reports=reports,
    )


def notes(conn: Connection, grant: CaseGrant) -> list[NoteView]:
    rows = conn.execute(
        select(case_notes, accounts.c.display_name)
        .join(accounts, accounts.c.id == case_notes.c.account_id)
        .where(case_notes.c.case_id == grant.case_id)
        .order_by(case_notes.c.id.desc())
    ).all()
    return [NoteView(row.kind, row.text, row.due, row.display_name, row.created_at) for row in rows]


def iter_assignable(conn: Connection) -> Iterator[tuple[int, str, str]]:
    """Accounts a supervisor may assign: caseworkers and police liaisons."""
    rows = conn.execute(
        select(accounts.c.id, accounts.c.display_name, accounts.c.role)
        .where(accounts.c.role.in_([Role.CASEWORKER.value, Role.POLICE_LIAISON.value]))
        .where(accounts.c.active.is_(True))
        .order_by(accounts.c.display_name)
    )
    for row in rows:
        yield int(row.id), row.display_name, row.role
