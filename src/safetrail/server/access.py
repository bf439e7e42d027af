"""Who may do what to which case: the one place the server decides, and audits every denial.

Pages never decide access. Every route asks `authorize` (or `authorize_server`) first; a denial
is written to the audit log in its own transaction, so it stays even though the request fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, Engine, or_, select

from safetrail.models.jsonvalue import JsonObject
from safetrail.server import audit
from safetrail.server.accounts import Account, Role
from safetrail.server.schema import accounts, case_assignments, cases


class Action(StrEnum):
    LIST_CASES = "list cases"
    IMPORT_PACKAGE = "import a share package"
    VIEW_CASE = "view the case"
    EDIT_DETAILS = "change the case details"
    READ_FILE = "open a shared file"
    VIEW_NOTES = "read caseworker notes"
    ADD_NOTE = "add a caseworker note"
    APPLY_REVOCATION = "apply a revocation notice"
    ASSIGN = "assign the case"
    EXPORT_POLICE = "export for police"
    VIEW_AUDIT = "view the case audit log"
    SERVER_AUDIT = "view the server audit log"
    LIST_ACCOUNTS = "list accounts"


ALLOWED: dict[Action, frozenset[Role]] = {
    Action.LIST_CASES: frozenset({Role.CASEWORKER, Role.SUPERVISOR, Role.POLICE_LIAISON}),
    Action.IMPORT_PACKAGE: frozenset({Role.CASEWORKER}),
    Action.VIEW_CASE: frozenset({Role.CASEWORKER, Role.SUPERVISOR, Role.POLICE_LIAISON}),
    Action.EDIT_DETAILS: frozenset({Role.CASEWORKER, Role.SUPERVISOR}),
    Action.READ_FILE: frozenset({Role.CASEWORKER, Role.SUPERVISOR, Role.POLICE_LIAISON}),
    Action.VIEW_NOTES: frozenset({Role.CASEWORKER, Role.SUPERVISOR}),
    Action.ADD_NOTE: frozenset({Role.CASEWORKER, Role.SUPERVISOR}),
    Action.APPLY_REVOCATION: frozenset({Role.CASEWORKER}),
    Action.ASSIGN: frozenset({Role.SUPERVISOR}),
    Action.EXPORT_POLICE: frozenset({Role.CASEWORKER, Role.POLICE_LIAISON}),
    Action.VIEW_AUDIT: frozenset({Role.SUPERVISOR}),
    Action.SERVER_AUDIT: frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR}),
    Action.LIST_ACCOUNTS: frozenset({Role.ADMINISTRATOR}),
}


class AccessDenied(Exception):
    """Not allowed. The reason is for the audit log; the user sees a plain refusal."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Principal:
    account: Account

    @property
    def role(self) -> Role:
        return self.account.role

    @property
    def actor(self) -> audit.Actor:
        return audit.Actor(self.account.id, self.account.username)


@dataclass(frozen=True, slots=True)
class CaseGrant:
    """Proof that `principal` may do `action` on `case_id`; the data layer asks for one."""

    principal: Principal
    case_id: int
    action: Action


def visible_case_ids(conn: Connection, principal: Principal) -> list[int]:
    """Cases assigned to this account, and for a supervisor those of the caseworkers they lead."""
    me = principal.account.id
    if principal.role is Role.ADMINISTRATOR:
        return []
    if principal.role is Role.SUPERVISOR:
        team = select(accounts.c.id).where(accounts.c.supervisor_id == me)
        condition = or_(
            case_assignments.c.account_id == me, case_assignments.c.account_id.in_(team)
        )
    else:
        condition = case_assignments.c.account_id == me
    rows = conn.execute(select(case_assignments.c.case_id).where(condition).distinct()).scalars()
    return sorted(int(row) for row in rows)


def _deny(
    engine: Engine,
    principal: Principal,
    action: Action,
    reason: str,
    case_id: int | None,
    details: JsonObject | None = None,
) -> AccessDenied:
    chain = audit.case_chain(case_id) if case_id is not None else audit.SERVER_CHAIN
    audit.record(
        engine,
        chain,
        principal.actor,
        str(action),
        outcome="denied",
        case_id=case_id,
        details={"reason": reason, "role": principal.role.value, **(details or {})},
    )
    return AccessDenied(reason)


def authorize_server(
    engine: Engine, principal: Principal, action: Action, details: JsonObject | None = None
) -> None:
    """For actions that are not about one case."""
    if principal.role not in ALLOWED[action]:
        raise _deny(engine, principal, action, "role not allowed", None, details)


def authorize(
    engine: Engine, conn: Connection, principal: Principal, action: Action, case_id: int
) -> CaseGrant:
    """A grant, or AccessDenied (audited). A case that does not exist is refused the same way,
    so that nobody can learn which case numbers exist."""
    exists = conn.execute(select(cases.c.id).where(cases.c.id == case_id)).first()
    if exists is None:
        raise _deny(engine, principal, action, "no such case", None, {"case": case_id})
    if principal.role not in ALLOWED[action]:
        raise _deny(engine, principal, action, "role not allowed", case_id)
    if case_id not in visible_case_ids(conn, principal):
        raise _deny(engine, principal, action, "not assigned to this case", case_id)
    return CaseGrant(principal, case_id, action)


def deny_other(
    engine: Engine, principal: Principal, what: str, case_id: int | None = None
) -> AccessDenied:
    """Audit a refusal that is not about roles (a wrong method, a consent that has ended)."""
    chain = audit.case_chain(case_id) if case_id is not None else audit.SERVER_CHAIN
    audit.record(
        engine,
        chain,
        principal.actor,
        what,
        outcome="denied",
        case_id=case_id,
        details={"role": principal.role.value},
    )
    return AccessDenied(what)
