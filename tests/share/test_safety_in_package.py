"""The safety plan in a package: only when chosen, sent again only when changed, checked."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from safetrail.models.jsonvalue import JsonObject, as_object
from safetrail.services.casebook import Casebook
from safetrail.services.plan import add_contact, update_item
from safetrail.share.consent import change_consent, confirm_fingerprint, create_consent
from safetrail.share.model import PackageRejected, Scope
from safetrail.share.package import create_package, open_package
from tests.share.sharekit import consent, consent_signer, fill, recipient, tamper

STEP_NOTE = "ZQX spare key with Ann"
FRIEND = "ZQX trusted friend"


def _items(safety: JsonObject | None, kind: str) -> list[JsonObject]:
    assert safety is not None
    items = safety[kind]
    assert isinstance(items, list)
    return [as_object(item) for item in items]


def _plan(book: Casebook) -> str:
    from safetrail.safety.plan_content import load_safety_plan

    step = load_safety_plan().items[0].id
    update_item(book, step, "done", STEP_NOTE)
    add_contact(book, FRIEND, "07700 900123", True, "knows the plan")
    return step


def test_the_safety_plan_only_when_chosen_and_never_trusted_contacts(
    book: Casebook, tmp_path: Path
) -> None:
    to = recipient()
    fill(book, tmp_path)
    _plan(book)
    without = consent(book, to, Scope(everything=True))
    create_package(book, without.consent_id, tmp_path / "without.age", previous=None)
    assert open_package(tmp_path / "without.age", to.secret).safety is None

    chosen = consent(book, to, Scope(safety_plan=True))
    summary = create_package(book, chosen.consent_id, tmp_path / "with.age", previous=None)
    opened = open_package(tmp_path / "with.age", to.secret)
    assert summary.safety and opened.incidents == () and opened.evidence == ()
    assert opened.safety is not None
    [step] = _items(opened.safety, "plan_item")
    assert step["notes"] == STEP_NOTE
    assert set(opened.safety) == {
        "plan_item", "risk_answer", "risk_review", "order", "police_contact",
    }  # fmt: skip
    assert FRIEND not in json.dumps(opened.safety)


def test_the_safety_plan_is_sent_again_only_when_it_changed(book: Casebook, tmp_path: Path) -> None:
    to = recipient()
    step = _plan(book)
    made = consent(book, to, Scope(safety_plan=True))
    first = create_package(book, made.consent_id, tmp_path / "1.age", previous=None)
    same = create_package(book, made.consent_id, tmp_path / "2.age", previous=first.marker)
    update_item(book, step, "in-progress", None)
    changed = create_package(book, made.consent_id, tmp_path / "3.age", previous=same.marker)
    assert (first.safety, same.safety, changed.safety) == (True, False, True)
    change_consent(book, made.consent_id, scope=Scope(everything=True))
    dropped = create_package(book, made.consent_id, tmp_path / "4.age", previous=changed.marker)
    one = open_package(first.path, to.secret)
    two = open_package(same.path, to.secret, last_received=lambda *_: one.marker)
    three = open_package(changed.path, to.secret, last_received=lambda *_: two.marker)
    four = open_package(dropped.path, to.secret, last_received=lambda *_: three.marker)
    assert two.safety is None and not two.withdrawn_safety
    assert three.safety is not None
    [item] = _items(three.safety, "plan_item")
    assert item["status"] == "in-progress"
    assert four.safety is None and four.withdrawn_safety


def test_a_safety_plan_added_beyond_the_consent_is_rejected(book: Casebook, tmp_path: Path) -> None:
    to = recipient()
    fill(book, tmp_path)
    _plan(book)
    made = consent(book, to, Scope(everything=True))
    out = tmp_path / "p.age"
    create_package(book, made.consent_id, out, previous=None)

    def add_plan(files: dict[str, bytes]) -> None:
        files["data/share/safety.json"] = b'{"plan_item": []}'

    changed = tamper(out, to, add_plan, sign=consent_signer(book, made))
    with pytest.raises(PackageRejected, match="not listed"):
        open_package(changed, to.secret)


def test_police_and_label_travel_in_the_consent(book: Casebook, tmp_path: Path) -> None:
    to = recipient()
    made = create_consent(
        book,
        recipient_name="Paladin",
        recipient_key=to.public,
        purpose="Court",
        scope=Scope(incident_ids=frozenset({1}), pass_to_police=True),
        valid_from=datetime.now(UTC) - timedelta(minutes=1),
        valid_until=None,
        case_label="  J's case ",
    )
    confirm_fingerprint(book, made.consent_id, made.recipient_fingerprint)
    create_package(book, made.consent_id, tmp_path / "p.age", previous=None)
    opened = open_package(tmp_path / "p.age", to.secret)
    assert opened.consent.scope.pass_to_police
    assert opened.consent.case_label == "J's case"
    assert not consent(book, to).scope.pass_to_police
