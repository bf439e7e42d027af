"""Fear of violence by occasion, and changes to daily life grouped by area."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from safetrail.analysis.impact import Impact, area_cues, impact_of
from safetrail.analysis.model import Event
from safetrail.analysis.timeline import build_timeline
from tests.analysis.eventkit import LONDON, START, Kit


def impact(events: list[Event]) -> Impact:
    return impact_of(build_timeline(events, LONDON))


def test_fear_on_two_occasions() -> None:
    kit = Kit()
    events = [
        kit.event(START, feared_violence=True),
        kit.event(START + timedelta(days=1)),
        kit.event(START + timedelta(days=4), feared_violence=True),
        kit.event(START + timedelta(days=5), feared_violence=False),
    ]
    fear = impact(events).fear
    assert fear.occasions == 2
    assert fear.two_or_more is True
    assert fear.days == (date(2026, 1, 5), date(2026, 1, 9))
    assert fear.event_ids == (events[0].id, events[2].id)


def test_fear_twice_on_one_day_is_one_occasion() -> None:
    kit = Kit()
    events = [
        kit.event(START, feared_violence=True),
        kit.event(START + timedelta(hours=3), feared_violence=True),
    ]
    fear = impact(events).fear
    assert fear.count == 2
    assert fear.occasions == 1
    assert fear.two_or_more is False


def test_fear_days_are_local_days() -> None:
    kit = Kit()
    late = datetime(2026, 6, 10, 23, 15, tzinfo=UTC)  # 00:15 on 11 June in London
    assert impact([kit.event(late, feared_violence=True)]).fear.days == (date(2026, 6, 11),)


def test_changes_are_grouped_by_area_with_ids_and_cues() -> None:
    kit = Kit()
    first = kit.event(
        START, changes_made="I take a different route to work now and had new locks fitted."
    )
    second = kit.event(
        START + timedelta(days=3),
        impact="I can't sleep and I've stopped going to the gym with friends.",
    )
    third = kit.event(START + timedelta(days=6), changes_made="Moving home next month.")
    changes = {change.area: change for change in impact([first, second, third]).changes}
    assert set(changes) == {"routes", "work", "security", "health", "social_life", "moving_home"}
    assert changes["routes"].event_ids == (first.id,)
    assert changes["routes"].cues == ("route",)
    assert changes["security"].cues == ("locks",)
    assert changes["health"].event_ids == (second.id,)
    assert changes["moving_home"].first == START + timedelta(days=6)
    assert changes["moving_home"].event_ids == (third.id,)


def test_entries_without_impact_are_not_grouped() -> None:
    kit = Kit()
    result = impact([kit.event(START, text="where are you going?")])
    assert result.changes == ()
    assert result.recorded_impact == ()


def test_area_cues_are_whole_words() -> None:
    assert "work" not in area_cues("the network was down")
    assert area_cues("I asked my sister to do the school run") == {"children": ["school run"]}


def test_overall_impact_gathers_every_subject() -> None:
    from safetrail.analysis.results import analyse

    kit = Kit()
    events = [
        kit.event(START, subject_id=1, feared_violence=True, changes_made="new locks"),
        kit.event(START, subject_id=2, feared_violence=True),
        kit.event(START + timedelta(days=2), subject_id=2, changes_made="new cctv camera"),
    ]
    result = analyse(events, LONDON, now=START + timedelta(days=3))
    overall = result.overall_impact
    assert overall.fear.count == 2
    assert overall.fear.occasions == 1  # both on the same day
    [security] = overall.changes
    assert security.area == "security"
    assert set(security.event_ids) == {events[0].id, events[2].id}
    assert security.days == (date(2026, 1, 5), date(2026, 1, 7))
    assert security.cues == ("camera", "cctv", "locks")
