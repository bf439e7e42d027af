"""The share flow end to end, on a real PostgreSQL: the person makes a package in their own
casebook, a caseworker imports it, a police liaison sees only what the consent allows, a
narrower consent and a revocation hide things on the very next request, and a tampered package
is rejected whole."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from safetrail.models.incident import IncidentDetails
from safetrail.server import audit
from safetrail.server.accounts import Role, age_identity
from safetrail.server.schema import case_evidence, cases
from safetrail.services.casebook import Casebook
from safetrail.services.incidents import add_incident
from safetrail.share.consent import change_consent, revoke_consent
from safetrail.share.model import Scope
from safetrail.share.package import create_notice, create_package
from tests.server.kit import POLICE_SCOPE, ServerKit, SignedInClient, User
from tests.share.sharekit import LETTER, NOTE, Recipient, consent, fill, tamper

FIRST_TEXT = "He was outside my work"
SECOND_TEXT = "He followed me home"
CASEWORKER_NOTE = "Caseworker only: discussed refuge options"


class Team:
    def __init__(self, kit: ServerKit) -> None:
        self.supervisor = kit.add_user("sam", Role.SUPERVISOR)
        self.caseworker = kit.add_user("casey", Role.CASEWORKER, supervisor=self.supervisor)
        self.police = kit.add_user("pat", Role.POLICE_LIAISON)

    def recipient(self, kit: ServerKit) -> Recipient:
        with kit.engine.connect() as conn:
            secret = age_identity(conn, kit.keys, self.caseworker.account.id)
        assert self.caseworker.account.age_recipient is not None
        return Recipient(secret, self.caseworker.account.age_recipient)


def _assign(supervisor: SignedInClient, case_id: int, user: User) -> None:
    response = supervisor.http.post(
        f"/cases/{case_id}/assign",
        data={"csrf": supervisor.csrf(), "account_id": str(user.account.id), "assigned": "yes"},
    )
    assert response.status_code == 303, response.text


def _zip_names(body: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}


def test_share_flow_end_to_end(
    kit: ServerKit, book: Casebook, tmp_path: Path, fast_kdf: object
) -> None:
    team = Team(kit)
    fill(book, tmp_path)
    made = consent(book, team.recipient(kit), POLICE_SCOPE)
    first = create_package(book, made.consent_id, tmp_path / "1.age", previous=None)

    caseworker = kit.sign_in(team.caseworker)
    case_id = caseworker.import_package(first.path)
    page = caseworker.http.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert FIRST_TEXT in page.text and SECOND_TEXT in page.text
    assert NOTE not in page.text, "private notes were not chosen, so they are never shown"
    note = caseworker.http.post(
        f"/cases/{case_id}/notes",
        data={"csrf": caseworker.csrf(), "kind": "note", "text": CASEWORKER_NOTE},
    )
    assert note.status_code == 303

    supervisor = kit.sign_in(team.supervisor)
    police = kit.sign_in(team.police)
    assert police.http.get(f"/cases/{case_id}").status_code == 403, "not assigned yet"
    _assign(supervisor, case_id, team.police)

    seen = police.http.get(f"/cases/{case_id}")
    assert seen.status_code == 200
    assert FIRST_TEXT in seen.text and SECOND_TEXT in seen.text
    assert CASEWORKER_NOTE not in seen.text
    assert police.http.get(f"/cases/{case_id}/notes").status_code == 403
    exported = police.http.get(f"/cases/{case_id}/export")
    assert exported.status_code == 200
    files = _zip_names(exported.content)
    assert any(body == LETTER for name, body in files.items() if name.startswith("originals/"))
    assert CASEWORKER_NOTE.encode() not in b"".join(files.values())
    assert NOTE.encode() not in b"".join(files.values())

    # The person narrows the consent to the first incident and the letter only.
    narrower = Scope(incident_ids=frozenset({1}), evidence_ids=frozenset({1}), pass_to_police=True)
    change_consent(book, made.consent_id, scope=narrower)
    second = create_package(book, made.consent_id, tmp_path / "2.age", previous=first.marker)
    assert caseworker.import_package(second.path) == case_id
    narrowed = police.http.get(f"/cases/{case_id}")
    assert FIRST_TEXT in narrowed.text and SECOND_TEXT not in narrowed.text
    with kit.engine.connect() as conn:
        kept = conn.execute(
            select(func.count())
            .select_from(case_evidence)
            .where(case_evidence.c.case_id == case_id)
        ).scalar_one()
    assert kept == 3, "withdrawn evidence is kept on the server, only no longer shown"
    assert police.http.get(f"/cases/{case_id}/evidence/2").status_code == 403
    assert police.http.get(f"/cases/{case_id}/evidence/1").content == LETTER
    names = _zip_names(police.http.get(f"/cases/{case_id}/export").content)
    originals = [n for n in names if n.startswith("originals/")]
    assert len(originals) == 1

    # The person withdraws consent: the police liaison loses access on the next request.
    revoke_consent(book, made.consent_id, "I do not want this shared any more")
    notice = tmp_path / "notice.age"
    create_notice(book, made.consent_id, notice)
    applied = caseworker.http.post(
        f"/cases/{case_id}/revocation",
        data={"csrf": caseworker.csrf()},
        files={"notice": ("notice.age", notice.read_bytes(), "application/octet-stream")},
    )
    assert applied.status_code == 303, applied.text
    assert police.http.get(f"/cases/{case_id}").status_code == 403
    assert police.http.get(f"/cases/{case_id}/export").status_code == 403
    assert police.http.get(f"/cases/{case_id}/evidence/1").status_code == 403
    assert f"/cases/{case_id}" not in police.http.get("/cases").text
    after = caseworker.http.get(f"/cases/{case_id}")
    assert after.status_code == 200 and "withdrew their consent" in after.text
    assert FIRST_TEXT not in after.text

    with kit.engine.connect() as conn:
        log = audit.entries(conn, audit.case_chain(case_id))
    actions = [entry.action for entry in log]
    assert audit.chain_problems(log) == []
    for expected in (
        "case created from a share package",
        "consent received",
        "case assigned",
        "update package applied",
        "exported for police",
        "consent revoked",
    ):
        assert expected in actions, expected
    denials = [e for e in log if e.outcome == "denied"]
    assert len(denials) >= 4


@pytest.mark.parametrize("where", ["original", "consent", "signature"])
def test_a_tampered_package_is_rejected_whole_and_audited(
    kit: ServerKit, book: Casebook, tmp_path: Path, fast_kdf: object, where: str
) -> None:
    team = Team(kit)
    fill(book, tmp_path)
    to = team.recipient(kit)
    made = consent(book, to)
    first = create_package(book, made.consent_id, tmp_path / "1.age", previous=None)

    def change(files: dict[str, bytes]) -> None:
        if where == "original":
            name = next(n for n in files if n.startswith("data/originals/JS-1_"))
            files[name] = b"You can hide from me.\n"
        elif where == "consent":
            files["data/share/consent.json"] = files["data/share/consent.json"].replace(
                b"Support", b"Anything"
            )
        else:
            files["signature-ed25519.txt"] = b"0" * 128 + b"\n"

    bad = tamper(first.path, to, change)
    caseworker = kit.sign_in(team.caseworker)
    response = caseworker.http.post(
        "/cases/import",
        data={"csrf": caseworker.csrf()},
        files={"package": ("package.age", bad.read_bytes(), "application/octet-stream")},
    )
    assert response.status_code == 422
    assert "nothing in it was kept" in response.text
    with kit.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(cases)).scalar_one() == 0
        log = audit.entries(conn, audit.SERVER_CHAIN)
    rejected = [e for e in log if e.action == "package rejected"]
    assert len(rejected) == 1 and rejected[0].outcome == "failed"
    assert list(kit.config.blob_dir.glob("??/*")) == []
    # The genuine package still imports afterwards.
    assert caseworker.import_package(first.path) > 0


def _imported_case(
    kit: ServerKit, book: Casebook, tmp_path: Path, scope: Scope = POLICE_SCOPE
) -> tuple[Team, int]:
    team = Team(kit)
    made = consent(book, team.recipient(kit), scope)
    package = create_package(book, made.consent_id, tmp_path / "1.age", previous=None)
    caseworker = kit.sign_in(team.caseworker)
    return team, caseworker.import_package(package.path)


def test_a_consent_that_has_ended_hides_everything_at_once(
    kit: ServerKit,
    book: Casebook,
    tmp_path: Path,
    fast_kdf: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fill(book, tmp_path)
    team, case_id = _imported_case(kit, book, tmp_path)
    supervisor = kit.sign_in(team.supervisor)
    _assign(supervisor, case_id, team.police)
    police = kit.sign_in(team.police)
    assert FIRST_TEXT in police.http.get(f"/cases/{case_id}").text
    later = datetime.now(UTC) + timedelta(days=91)
    monkeypatch.setattr("safetrail.server.consent.clock", SimpleNamespace(now=lambda: later))
    assert police.http.get(f"/cases/{case_id}").status_code == 403
    assert police.http.get(f"/cases/{case_id}/export").status_code == 403
    ended = supervisor.http.get(f"/cases/{case_id}")
    assert "consent has ended" in ended.text and FIRST_TEXT not in ended.text


def test_hostile_text_from_the_package_is_shown_inert(
    kit: ServerKit, book: Casebook, tmp_path: Path, fast_kdf: object
) -> None:
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    add_incident(
        book,
        IncidentDetails(
            occurred_start=datetime(2017, 3, 9, 10, 0, tzinfo=UTC),
            what_happened=hostile,
            location='"><b>bold</b>',
        ),
    )
    team, case_id = _imported_case(kit, book, tmp_path)
    page = kit.sign_in(team.supervisor).http.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;" in page.text and "<b>bold</b>" not in page.text


def test_notes_are_checked_and_kept_apart(
    kit: ServerKit, book: Casebook, tmp_path: Path, fast_kdf: object
) -> None:
    fill(book, tmp_path)
    team, case_id = _imported_case(kit, book, tmp_path)
    caseworker = kit.sign_in(team.caseworker)
    path = f"/cases/{case_id}/notes"
    empty = caseworker.http.post(path, data={"csrf": caseworker.csrf(), "text": "  "})
    assert empty.status_code == 422 and "empty" in empty.text
    bad_date = caseworker.http.post(
        path, data={"csrf": caseworker.csrf(), "kind": "action", "text": "Call", "due": "soon"}
    )
    assert bad_date.status_code == 422
    done = caseworker.http.post(
        path,
        data={
            "csrf": caseworker.csrf(),
            "kind": "action",
            "text": "Call back",
            "due": "2026-12-01",
        },
    )
    assert done.status_code == 303
    listed = caseworker.http.get(path).text
    assert "Call back" in listed and "due 2026-12-01" in listed
    assert "Call back" not in caseworker.http.get(f"/cases/{case_id}").text
    review = caseworker.http.post(
        f"/cases/{case_id}/details",
        data={"csrf": caseworker.csrf(), "label": "Ms A", "next_review": "2026-12-05"},
    )
    assert review.status_code == 303
    listing = caseworker.http.get("/cases").text
    assert "Ms A" in listing and "2026-12-05" in listing


def test_without_agreement_to_pass_it_on_police_see_nothing(
    kit: ServerKit, book: Casebook, tmp_path: Path, fast_kdf: object
) -> None:
    fill(book, tmp_path)
    scope = Scope(everything=True, reports=frozenset({"chronology"}))
    team, case_id = _imported_case(kit, book, tmp_path, scope)
    supervisor = kit.sign_in(team.supervisor)
    _assign(supervisor, case_id, team.police)
    police = kit.sign_in(team.police)
    for path in ("", "/export", "/evidence/1", "/reports/chronology"):
        assert police.http.get(f"/cases/{case_id}{path}").status_code == 403, path
    assert f"/cases/{case_id}" not in police.http.get("/cases").text
    caseworker = kit.sign_in(team.caseworker)
    page = caseworker.http.get(f"/cases/{case_id}")
    assert FIRST_TEXT in page.text and "Not to be passed on to police" in page.text
    assert "/export" not in page.text
    assert caseworker.http.get(f"/cases/{case_id}/export").status_code == 403


def test_the_safety_plan_is_shown_when_shared_and_hidden_when_withdrawn(
    kit: ServerKit, book: Casebook, tmp_path: Path, fast_kdf: object
) -> None:
    from safetrail.services.plan import update_item

    fill(book, tmp_path)
    update_item(book, "tell-people", "in-progress", "Told my sister <b>today</b>")
    team = Team(kit)
    made = consent(book, team.recipient(kit), POLICE_SCOPE)
    first = create_package(book, made.consent_id, tmp_path / "1.age", previous=None)
    caseworker = kit.sign_in(team.caseworker)
    case_id = caseworker.import_package(first.path)
    page = caseworker.http.get(f"/cases/{case_id}").text
    assert "Safety plan steps" in page and "Tell people you trust" in page
    assert "Told my sister &lt;b&gt;today&lt;/b&gt;" in page
    without = Scope(everything=True, pass_to_police=True)
    change_consent(book, made.consent_id, scope=without)
    second = create_package(book, made.consent_id, tmp_path / "2.age", previous=first.marker)
    assert caseworker.import_package(second.path) == case_id
    page = caseworker.http.get(f"/cases/{case_id}").text
    assert "Told my sister" not in page and "did not share their safety plan" in page


def test_the_persons_label_names_the_case_and_an_unassigned_update_is_refused(
    kit: ServerKit, book: Casebook, tmp_path: Path, fast_kdf: object
) -> None:
    from safetrail.share.consent import confirm_fingerprint, create_consent

    fill(book, tmp_path)
    team = Team(kit)
    to = team.recipient(kit)
    made = create_consent(
        book, recipient_name="Casey", recipient_key=to.public, purpose="Support",
        scope=POLICE_SCOPE, valid_from=datetime.now(UTC) - timedelta(minutes=1),
        valid_until=None, case_label="Ms A <b>",
    )  # fmt: skip
    made = confirm_fingerprint(book, made.consent_id, made.recipient_fingerprint)
    first = create_package(book, made.consent_id, tmp_path / "1.age", previous=None)
    caseworker = kit.sign_in(team.caseworker)
    case_id = caseworker.import_package(first.path)
    assert "Ms A &lt;b&gt;" in caseworker.http.get("/cases").text

    supervisor = kit.sign_in(team.supervisor)
    removed = supervisor.http.post(
        f"/cases/{case_id}/assign",
        data={
            "csrf": supervisor.csrf(),
            "account_id": str(team.caseworker.account.id),
            "assigned": "no",
        },
    )
    assert removed.status_code == 303
    add_incident(
        book,
        IncidentDetails(occurred_start=datetime(2017, 3, 25, tzinfo=UTC), what_happened="Again"),
    )
    second = create_package(book, made.consent_id, tmp_path / "2.age", previous=first.marker)
    refused = caseworker.http.post(
        "/cases/import",
        data={"csrf": caseworker.csrf()},
        files={"package": ("2.age", second.path.read_bytes(), "application/octet-stream")},
    )
    assert refused.status_code == 403
    with kit.engine.connect() as conn:
        log = audit.entries(conn, audit.case_chain(case_id))
    assert [e.action for e in log if e.outcome == "denied"] == ["import a share package"]
    assert "case unassigned" in [e.action for e in log]
