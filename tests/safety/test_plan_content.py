from __future__ import annotations

import pytest

from safetrail.safety.plan_content import PlanContentError, load_safety_plan
from tests.safety.readability import MIN_READING_EASE, reading_ease

ITEM_IDS = (
    "do-not-engage",
    "tell-people",
    "trust-instincts",
    "online-profile",
    "passwords-two-step",
    "location-and-shared-accounts",
    "alarm-or-app",
    "home-and-car",
    "routes-and-routines",
    "emergency-plan",
)


def test_all_checklist_items_are_present() -> None:
    assert tuple(item.id for item in load_safety_plan().items) == ITEM_IDS


def test_steps_that_could_alert_carry_a_caution_pointing_to_advice() -> None:
    plan = load_safety_plan()
    for item_id in ("passwords-two-step", "location-and-shared-accounts"):
        item = plan.item(item_id)
        assert item.may_alert
        assert "helpline" in item.caution or "advocate" in item.caution
    assert not plan.item("trust-instincts").may_alert


@pytest.mark.parametrize("item_id", ITEM_IDS)
def test_item_is_easy_to_read(item_id: str) -> None:
    item = load_safety_plan().item(item_id)
    assert reading_ease(" ".join([f"{item.title}.", item.why, item.caution])) >= MIN_READING_EASE


def test_next_steps_cover_999_helpline_and_professional_assessment() -> None:
    steps = {step.id: step for step in load_safety_plan().next_steps}
    assert "999" in steps["call-999"].text and "55" in steps["call-999"].text
    assert "advocate" in steps["call-helpline"].text
    assert "S-DASH" in steps["professional-assessment"].text
    assert "DARA" in steps["professional-assessment"].text
    for step in steps.values():
        assert reading_ease(step.text) >= MIN_READING_EASE


def test_loader_rejects_an_empty_caution() -> None:
    text = """
intro: Hi.
items:
  - {id: a, title: A, why: Because., caution: ""}
next_steps:
  - {id: b, title: B, text: Do this.}
"""
    with pytest.raises(PlanContentError, match="caution"):
        load_safety_plan(text)
