"""The pattern: separate days in local time, frequency, bursts, heatmap, contact after stop."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safetrail.analysis.model import Event, Tag
from safetrail.analysis.pattern import (
    DEFAULT_BURST_THRESHOLD,
    DEFAULT_BURST_WINDOW,
    Pattern,
    find_bursts,
    pattern_of,
)
from safetrail.analysis.timeline import build_timeline
from tests.analysis.eventkit import LONDON, START, Kit


def pattern_for(
    events: list[Event],
    now: datetime | None = None,
    window: timedelta = DEFAULT_BURST_WINDOW,
    threshold: int = DEFAULT_BURST_THRESHOLD,
) -> Pattern:
    timeline = build_timeline(events, LONDON)
    when = now or max(event.at for event in events)
    return pattern_of(timeline, when, 1, window, threshold)


def test_one_occasion_is_not_a_course_of_conduct() -> None:
    kit = Kit()
    conduct = pattern_for([kit.event(START)]).conduct
    assert conduct.occasions == 1
    assert conduct.course_of_conduct is False
    assert conduct.first_contact == conduct.last_contact == START


def test_two_contacts_on_one_day_are_one_occasion() -> None:
    kit = Kit()
    conduct = pattern_for([kit.event(START), kit.event(START + timedelta(hours=5))]).conduct
    assert conduct.occasions == 1
    assert conduct.course_of_conduct is False
    assert [occasion.count for occasion in conduct.days] == [2]


def test_two_days_are_a_course_of_conduct_with_first_last_and_gap() -> None:
    kit = Kit()
    first, second = kit.event(START), kit.event(START + timedelta(days=9, hours=2))
    conduct = pattern_for([second, first]).conduct  # given out of order on purpose
    assert conduct.occasions == 2
    assert conduct.course_of_conduct is True
    assert conduct.first_contact == START
    assert conduct.last_contact == START + timedelta(days=9, hours=2)
    assert conduct.duration == timedelta(days=9, hours=2)
    assert conduct.longest_gap_days == 9
    assert conduct.evidence == (first.id, second.id)


def test_the_persons_own_messages_are_not_conduct() -> None:
    kit = Kit()
    events = [kit.event(START), kit.event(START + timedelta(days=3), by_subject=False)]
    conduct = pattern_for(events).conduct
    assert conduct.occasions == 1
    assert conduct.course_of_conduct is False


def test_late_evening_utc_in_summer_is_the_next_day_in_london() -> None:
    kit = Kit()
    summer_late = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 July in London (BST)
    summer_evening = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)  # 23:30 on 1 July in London
    winter_late = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)  # 23:30 on 15 January (GMT)
    events = [kit.event(summer_late), kit.event(summer_evening), kit.event(winter_late)]
    result = pattern_for(events, now=summer_late)
    assert [o.day for o in result.conduct.days] == [
        date(2026, 1, 15),
        date(2026, 7, 1),
        date(2026, 7, 2),
    ]
    heat = result.heatmap.counts
    assert heat[date(2026, 7, 2).weekday()][0] == 1
    assert heat[date(2026, 7, 1).weekday()][23] == 1
    assert heat[date(2026, 1, 15).weekday()][23] == 1
    assert sum(map(sum, heat)) == 3


def test_times_without_a_zone_are_refused() -> None:
    kit = Kit()
    with pytest.raises(ValueError, match="time zone"):
        build_timeline([kit.event(datetime(2026, 1, 1, 12, 0))], LONDON)


def test_heatmap_counts_by_local_weekday_and_hour() -> None:
    kit = Kit()
    monday_9 = datetime(2026, 1, 5, 9, 15, tzinfo=UTC)
    events = [kit.event(monday_9), kit.event(monday_9 + timedelta(minutes=20))]
    events += [kit.event(datetime(2026, 1, 10, 21, 0, tzinfo=UTC))]  # Saturday 21:00
    heat = pattern_for(events).heatmap.counts
    assert len(heat) == 7
    assert all(len(row) == 24 for row in heat)
    assert heat[0][9] == 2
    assert heat[5][21] == 1
    assert sum(map(sum, heat)) == 3


def test_weekly_counts_fill_quiet_weeks_with_zero_and_run_to_now() -> None:
    kit = Kit()
    events = [kit.event(START), kit.event(START + timedelta(weeks=2), channel="phone_call")]
    result = pattern_for(events, now=START + timedelta(weeks=3, days=1)).frequency
    assert result.weeks == tuple(date(2026, 1, 5) + timedelta(weeks=i) for i in range(4))
    assert result.weekly == (1, 0, 1, 0)
    assert result.weekly_by_channel == {"phone_call": (0, 0, 1, 0), "text_message": (1, 0, 0, 0)}
    assert result.weekly_by_tag[Tag.CONTACTING] == (1, 0, 1, 0)
    assert result.daily == {date(2026, 1, 5): 1, date(2026, 1, 19): 1}


def test_a_burst_is_found_with_its_window_count_and_ids() -> None:
    kit = Kit()
    calm = [kit.event(START + timedelta(days=day)) for day in range(3)]
    barrage_start = START + timedelta(days=5)
    barrage = [
        kit.event(barrage_start + timedelta(minutes=2 * n), channel="phone_call") for n in range(25)
    ]
    result = pattern_for(calm + barrage)
    assert len(result.bursts) == 1
    burst = result.bursts[0]
    assert burst.start == barrage_start
    assert burst.end == barrage_start + timedelta(minutes=48)
    assert burst.count == 25
    assert burst.peak == 25
    assert burst.event_ids == tuple(event.id for event in barrage)


def test_burst_threshold_and_window_are_parameters() -> None:
    kit = Kit()
    # 20 calls three minutes apart: 57 minutes from first to last.
    calls = [kit.event(START + timedelta(minutes=3 * n), channel="phone_call") for n in range(20)]
    assert len(pattern_for(calls, window=timedelta(hours=1), threshold=20).bursts) == 1
    assert pattern_for(calls, window=timedelta(hours=1), threshold=21).bursts == ()
    assert pattern_for(calls, window=timedelta(minutes=30), threshold=20).bursts == ()
    half_hour = pattern_for(calls, window=timedelta(minutes=30), threshold=10).bursts
    assert len(half_hour) == 1
    assert half_hour[0].peak == 11  # minutes 0, 3, ..., 30 fit in one 30-minute window


def test_separate_bursts_stay_separate() -> None:
    instants = [0.0, 60.0, 120.0, 10_000.0, 10_060.0, 10_120.0]
    local = [START + timedelta(seconds=s) for s in instants]
    bursts = find_bursts(instants, [1, 2, 3, 4, 5, 6], local, timedelta(minutes=5), 3)
    assert [(b.count, b.event_ids) for b in bursts] == [(3, (1, 2, 3)), (3, (4, 5, 6))]


def test_contact_after_no_contact_request_is_counted() -> None:
    kit = Kit()
    events = [kit.event(START)]
    events += [
        kit.event(START + timedelta(days=d, hours=h), after_no_contact_request=True)
        for d in (2, 4)
        for h in (0, 1)
    ]
    after = pattern_for(events).after_no_contact
    assert after.count == 4
    assert after.occasions == 2
    assert after.first == START + timedelta(days=2)
    assert after.event_ids == tuple(event.id for event in events[1:])


def test_tags_seen_first_and_last() -> None:
    kit = Kit()
    events = [
        kit.event(START),
        kit.event(START + timedelta(days=3), channel="in_person", tags=(Tag.LOITERING,)),
        kit.event(START + timedelta(days=6), tags=(Tag.CONTACTING, Tag.LOITERING)),
    ]
    seen = {item.tag: item for item in pattern_for(events).tags}
    assert seen[Tag.CONTACTING].count == 2
    assert seen[Tag.LOITERING].first_event == events[1].id
    assert seen[Tag.LOITERING].last_event == events[2].id
    assert seen[Tag.LOITERING].first_seen == START + timedelta(days=3)


def test_json_uses_iso_times_with_offset() -> None:
    kit = Kit()
    data = pattern_for([kit.event(datetime(2026, 7, 1, 9, 0, tzinfo=UTC))]).to_json()
    conduct = data["conduct"]
    assert isinstance(conduct, dict)
    assert conduct["first_contact"] == "2026-07-01T10:00:00+01:00"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=6 * 3600), min_size=0, max_size=60),
    st.integers(min_value=1, max_value=8),
    st.integers(min_value=60, max_value=3600),
)
def test_bursts_agree_with_a_brute_force_count(
    offsets: list[int], threshold: int, window_seconds: int
) -> None:
    instants = sorted(float(offset) for offset in offsets)
    local = [START + timedelta(seconds=instant) for instant in instants]
    ids = list(range(len(instants)))
    bursts = find_bursts(instants, ids, local, timedelta(seconds=window_seconds), threshold)
    in_a_burst = {event_id for burst in bursts for event_id in burst.event_ids}
    # An entry is in a burst exactly when some window of `threshold` entries spans it.
    expected: set[int] = set()
    for start in range(len(instants)):
        end = start
        while end + 1 < len(instants) and instants[end + 1] - instants[start] <= window_seconds:
            end += 1
        if end - start + 1 >= threshold:
            expected.update(range(start, end + 1))
    assert in_a_burst == expected
    for burst in bursts:
        assert burst.peak >= threshold
        assert burst.count == len(burst.event_ids)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=400 * 24 * 3600), min_size=1, max_size=40))
def test_occasions_are_the_distinct_local_days(offsets: list[int]) -> None:
    kit = Kit()
    events = [kit.event(START + timedelta(seconds=offset)) for offset in offsets]
    conduct = pattern_for(events).conduct
    zone = ZoneInfo(LONDON)
    expected = {event.at.astimezone(zone).date() for event in events}
    assert conduct.occasions == len(expected)
    assert [occasion.day for occasion in conduct.days] == sorted(expected)
    assert conduct.course_of_conduct is (len(expected) >= 2)
