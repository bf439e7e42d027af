"""What caseworkers and supervisors change: their notes and actions, case details, assignment.

All of it is their own work, kept apart from the person's evidence, and audited.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, select, update

from safetrail.server import audit, clock
from safetrail.server.access import CaseGrant
from safetrail.server.accounts import Role, get_account
from safetrail.server.schema import case_assignments, case_notes, cases

NOTE_KINDS = ("note", "action")
MAX_NOTE = 10_000
MAX_LABEL = 200


class CaseworkError(Exception):
    """The change cannot be made as asked; the message says why in plain words."""


def _review_date(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise CaseworkError("the review date must be a date like 2026-12-31") from None


def add_note(conn: Connection, grant: CaseGrant, kind: str, text: str, due: str = "") -> None:
    if kind not in NOTE_KINDS:
        raise CaseworkError("a note is either a note or an action")
    text = text.strip()
    if not text:
        raise CaseworkError("the note is empty")
    if len(text) > MAX_NOTE:
        raise CaseworkError(f"a note can be at most {MAX_NOTE} characters")
    conn.execute(
        case_notes.insert().values(
            case_id=grant.case_id,
            account_id=grant.principal.account.id,
            kind=kind,
            text=text,
            due=_review_date(due) if kind == "action" else None,
            created_at=clock.stamp(clock.now()),
        )
    )
    audit.append(
        conn,
        audit.case_chain(grant.case_id),
        grant.principal.actor,
        f"{kind} added",
        case_id=grant.case_id,
        details={"length": len(text)},
    )


def set_details(conn: Connection, grant: CaseGrant, label: str, next_review: str) -> None:
    label = label.strip()[:MAX_LABEL]
    if not label:
        raise CaseworkError("the case needs a name")
    review = _review_date(next_review)
    conn.execute(
        update(cases)
        .where(cases.c.id == grant.case_id)
        .values(label=label, next_review=review, updated_at=clock.stamp(clock.now()))
    )
    audit.append(
        conn,
        audit.case_chain(grant.case_id),
        grant.principal.actor,
        "case details changed",
        case_id=grant.case_id,
        details={"next_review": review},
    )


def assign(conn: Connection, grant: CaseGrant, account_id: int, assigned: bool) -> None:
    """Add or remove a caseworker or police liaison on the case (supervisors only)."""
    account = get_account(conn, account_id)
    if account is None or account.role not in {Role.CASEWORKER, Role.POLICE_LIAISON}:
        raise CaseworkError("only caseworkers and police liaisons can be assigned to a case")
    exists = conn.execute(
        select(case_assignments.c.case_id)
        .where(case_assignments.c.case_id == grant.case_id)
        .where(case_assignments.c.account_id == account_id)
    ).first()
    if assigned and exists is None:
        conn.execute(
            case_assignments.insert().values(
                case_id=grant.case_id,
                account_id=account_id,
                assigned_by=grant.principal.account.id,
                assigned_at=clock.stamp(clock.now()),
            )
        )
    elif not assigned and exists is not None:
        conn.execute(
            case_assignments.delete()
            .where(case_assignments.c.case_id == grant.case_id)
            .where(case_assignments.c.account_id == account_id)
        )
    else:
        return
    audit.append(
        conn,
        audit.case_chain(grant.case_id),
        grant.principal.actor,
        "case assigned" if assigned else "case unassigned",
        case_id=grant.case_id,
        details={"account": account.username, "role": account.role.value},
    )
