"""Every role against every route, on a case they are assigned to, one they are not, and one that
does not exist, with every HTTP verb: nothing beyond what the role allows, and every refusal
audited. The expectations are written out here, apart from the server's own policy table."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from safetrail.server import clock
from safetrail.server.accounts import Role, age_identity
from safetrail.server.schema import audit_log, case_assignments, cases
from safetrail.services.casebook import Casebook
from safetrail.share.package import create_package
from tests.server.kit import POLICE_SCOPE, ServerKit, SignedInClient
from tests.share.sharekit import Recipient, consent, fill

VERBS = ("GET", "POST", "PUT", "PATCH", "DELETE")
SECRET_TEXT = "He was outside my work"


@dataclass(frozen=True)
class Route:
    key: str
    method: str
    path: str  # {case} is replaced by the case id
    form: tuple[tuple[str, str], ...] = ()
    upload: str | None = None


ROUTES = (
    Route("list", "GET", "/cases"),
    Route("import", "POST", "/cases/import", upload="package"),
    Route("view", "GET", "/cases/{case}"),
    Route("details", "POST", "/cases/{case}/details", (("label", "Renamed"),)),
    Route("file", "GET", "/cases/{case}/evidence/1"),
    Route("report", "GET", "/cases/{case}/reports/chronology"),
    Route("notes_read", "GET", "/cases/{case}/notes"),
    Route("notes_add", "POST", "/cases/{case}/notes", (("kind", "note"), ("text", "checked"))),
    Route("revocation", "POST", "/cases/{case}/revocation", upload="notice"),
    Route("assign", "POST", "/cases/{case}/assign", (("account_id", "{police}"),)),
    Route("export", "GET", "/cases/{case}/export"),
    Route("audit", "GET", "/cases/{case}/audit"),
    Route("audit_jsonl", "GET", "/cases/{case}/audit.jsonl"),
    Route("server_audit", "GET", "/audit"),
    Route("server_audit_jsonl", "GET", "/audit.jsonl"),
    Route("accounts", "GET", "/admin/accounts"),
    Route("account", "GET", "/account"),
)

ALLOWED = {
    Role.CASEWORKER: {
        "list", "import", "view", "details", "file", "report", "notes_read", "notes_add",
        "revocation", "export", "account",
    },
    Role.SUPERVISOR: {
        "list", "view", "details", "file", "report", "notes_read", "notes_add", "assign",
        "audit", "audit_jsonl", "server_audit", "server_audit_jsonl", "account",
    },
    Role.POLICE_LIAISON: {"list", "view", "file", "report", "export", "account"},
    Role.ADMINISTRATOR: {"server_audit", "server_audit_jsonl", "accounts", "account"},
}  # fmt: skip


@dataclass
class World:
    clients: dict[Role, SignedInClient]
    assigned_case: int
    other_case: int
    police_id: int


def _other_case(kit: ServerKit, owner_id: int) -> int:
    moment = clock.stamp(clock.now())
    with kit.engine.begin() as conn:
        case_id = conn.execute(
            cases.insert()
            .values(
                casebook_id="other-casebook",
                consent_uid="other-consent",
                label="Other",
                created_at=moment,
                created_by=owner_id,
                updated_at=moment,
            )
            .returning(cases.c.id)
        ).scalar_one()
        conn.execute(
            case_assignments.insert().values(
                case_id=case_id, account_id=owner_id, assigned_by=owner_id, assigned_at=moment
            )
        )
    return int(case_id)


@pytest.fixture
def world(kit: ServerKit, book: Casebook, tmp_path: Path, fast_kdf: object) -> World:
    boss = kit.add_user("sam", Role.SUPERVISOR)
    other_boss = kit.add_user("sue", Role.SUPERVISOR)
    worker = kit.add_user("casey", Role.CASEWORKER, supervisor=boss)
    other_worker = kit.add_user("chris", Role.CASEWORKER, supervisor=other_boss)
    police = kit.add_user("pat", Role.POLICE_LIAISON)
    admin = kit.add_user("ada", Role.ADMINISTRATOR)
    with kit.engine.connect() as conn:
        secret = age_identity(conn, kit.keys, worker.account.id)
    assert worker.account.age_recipient is not None
    fill(book, tmp_path)
    made = consent(book, Recipient(secret, worker.account.age_recipient), POLICE_SCOPE)
    package = create_package(book, made.consent_id, tmp_path / "1.age", previous=None)
    clients = {
        Role.CASEWORKER: kit.sign_in(worker),
        Role.SUPERVISOR: kit.sign_in(boss),
        Role.POLICE_LIAISON: kit.sign_in(police),
        Role.ADMINISTRATOR: kit.sign_in(admin),
    }
    case_id = clients[Role.CASEWORKER].import_package(package.path)
    supervisor = clients[Role.SUPERVISOR]
    assigned = supervisor.http.post(
        f"/cases/{case_id}/assign",
        data={"csrf": supervisor.csrf(), "account_id": str(police.account.id)},
    )
    assert assigned.status_code == 303
    return World(clients, case_id, _other_case(kit, other_worker.account.id), police.account.id)


def _denials(kit: ServerKit) -> int:
    with kit.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(audit_log).where(audit_log.c.outcome == "denied")
            ).scalar_one()
        )


def _send(client: SignedInClient, verb: str, route: Route, case_id: int, world: World, csrf: str):  # type: ignore[no-untyped-def]
    path = route.path.replace("{case}", str(case_id))
    if verb in {"GET", "DELETE"}:
        return client.http.request(verb, path)
    data = {"csrf": csrf, **{k: v.replace("{police}", str(world.police_id)) for k, v in route.form}}
    files = (
        {route.upload: ("x.age", b"not a package", "application/octet-stream")}
        if route.upload
        else None
    )
    return client.http.request(verb, path, data=data, files=files)


def _route_for(path: str, verb: str) -> Route | None:
    return next((r for r in ROUTES if r.path == path and r.method == verb), None)


PATHS = tuple(dict.fromkeys(route.path for route in ROUTES))


def test_every_role_route_case_and_verb(kit: ServerKit, world: World) -> None:
    checked = 0
    for role, client in world.clients.items():
        csrf = client.csrf()
        targets = [
            ("assigned", world.assigned_case),
            ("unassigned", world.other_case),
            ("missing", 99999),
        ]
        for path in PATHS:
            for relation, case_id in targets if "{case}" in path else [("none", 0)]:
                for verb in VERBS:
                    route = _route_for(path, verb) or Route("none", verb, path)
                    before = _denials(kit)
                    response = _send(client, verb, route, case_id, world, csrf)
                    where = f"{role.value} {verb} {path} ({relation})"
                    allowed = route.key in ALLOWED[role] and relation in {"assigned", "none"}
                    if allowed:
                        assert response.status_code in {200, 303, 422}, where
                    else:
                        assert response.status_code in {403, 404, 405}, (
                            f"{where}: {response.status_code}"
                        )
                        assert SECRET_TEXT not in response.text, where
                        assert _denials(kit) > before, f"{where} was refused but not audited"
                    checked += 1
    assert checked > 600


def test_an_administrator_sees_no_case_and_a_supervisor_only_their_team(
    kit: ServerKit, world: World
) -> None:
    admin = world.clients[Role.ADMINISTRATOR]
    assert admin.http.get("/cases").status_code == 403
    listing = world.clients[Role.SUPERVISOR].http.get("/cases").text
    assert f"/cases/{world.assigned_case}" in listing
    assert f'/cases/{world.other_case}"' not in listing
