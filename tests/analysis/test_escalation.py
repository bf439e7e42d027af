"""Escalation: the trend test, and each signal found with the right date and evidence."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from safetrail.analysis.escalation import Escalation, Signal, escalation_of
from safetrail.analysis.model import Event, Tag
from safetrail.analysis.pattern import pattern_of
from safetrail.analysis.threat_cues import threat_cues
from safetrail.analysis.timeline import build_timeline
from safetrail.analysis.trend import (
    binomial_upper_tail,
    compare_rates,
    mann_kendall,
    weekly_trend,
)
from tests.analysis.eventkit import LONDON, START, Kit

RISING = [1, 2, 2, 3, 4, 5, 7, 9, 12, 15, 20, 26]
FLAT = [5] * 12
NOISY_FLAT = [5, 30, 2, 28, 4, 31, 3, 29, 6, 27, 5, 30]


def escalation(events: list[Event], now: datetime) -> Escalation:
    timeline = build_timeline(events, LONDON)
    return escalation_of(timeline, pattern_of(timeline, now, 1), now)


def signals(result: Escalation, name: str) -> list[Signal]:
    return [signal for signal in result.signals if signal.signal == name]


def test_mann_kendall_matches_a_hand_worked_example() -> None:
    test = mann_kendall([1, 2, 3, 4, 5])
    assert test.s == 10
    assert test.variance == pytest.approx(5 * 4 * 15 / 18)
    assert test.z == pytest.approx(9 / (300 / 18) ** 0.5)
    assert test.p_increasing == pytest.approx(0.013745, abs=1e-5)
    assert test.tau == 1.0
    assert test.sen_slope == 1.0


def test_mann_kendall_corrects_the_variance_for_ties() -> None:
    test = mann_kendall([1, 1, 2])
    assert test.s == 2
    assert test.variance == pytest.approx((3 * 2 * 11 - 2 * 1 * 9) / 18)


def test_binomial_tail() -> None:
    assert binomial_upper_tail(2, 2, 0.5) == pytest.approx(0.25)
    assert binomial_upper_tail(0, 10, 0.3) == 1.0
    assert binomial_upper_tail(11, 10, 0.3) == 0.0
    exact = binomial_upper_tail(30, 100, 0.25)
    assert 0.1 < exact < 0.2
    big = binomial_upper_tail(25_500, 100_000, 0.25)  # normal approximation branch
    assert big < 1e-3


def test_rate_comparison_reports_the_ratio() -> None:
    rates = compare_rates([2, 2, 2, 2, 2, 2, 4, 4, 4, 4])
    assert (rates.recent_count, rates.earlier_count) == (16, 12)
    assert rates.rate_ratio == pytest.approx(2.0)
    assert 0 < rates.p_higher < 0.05


def test_a_rising_series_is_flagged() -> None:
    result = weekly_trend(RISING)
    assert result.rising is True
    assert result.mann_kendall is not None
    assert result.mann_kendall.p_increasing < 0.001


@pytest.mark.parametrize("series", [FLAT, NOISY_FLAT, list(reversed(RISING))])
def test_flat_noisy_and_falling_series_are_not_flagged(series: list[int]) -> None:
    result = weekly_trend(series)
    assert result.rising is False
    assert result.mann_kendall is not None
    assert result.mann_kendall.p_increasing > 0.05


def test_a_rise_that_has_passed_is_not_flagged() -> None:
    result = weekly_trend([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 4, 4, 4, 4])
    assert result.rising is False
    assert result.mann_kendall is not None
    assert result.mann_kendall.p_increasing < 0.05
    assert "not busier" in result.reason


def test_too_few_weeks_are_not_tested() -> None:
    result = weekly_trend([1, 5, 20])
    assert result.rising is False
    assert result.mann_kendall is None
    assert "fewer than" in result.reason


def test_contact_rising_signal_has_since_and_recent_evidence() -> None:
    kit = Kit()
    events = kit.weekly(RISING)
    now = START + timedelta(weeks=len(RISING))
    result = escalation(events, now)
    [signal] = signals(result, "contact_rising")
    assert signal.since == now - timedelta(weeks=4)
    recent = [event.id for event in events if event.at > now - timedelta(weeks=4)]
    assert list(signal.evidence) == recent
    assert "Mann-Kendall" in signal.description


@pytest.mark.parametrize("series", [FLAT, NOISY_FLAT])
def test_flat_contact_gives_no_rising_signal(series: list[int]) -> None:
    kit = Kit()
    result = escalation(kit.weekly(series), START + timedelta(weeks=len(series)))
    assert signals(result, "contact_rising") == []


def test_order_breaches_are_counted_with_dates() -> None:
    kit = Kit()
    events = [
        kit.event(START),
        kit.event(START + timedelta(days=10), breach_of="restraining order"),
        kit.event(START + timedelta(days=10, hours=2), breach_of="restraining order"),
        kit.event(START + timedelta(days=20), breach_of="restraining order"),
    ]
    result = escalation(events, START + timedelta(days=21))
    [signal] = signals(result, "order_breached")
    assert signal.since == START + timedelta(days=10)
    assert signal.evidence == tuple(event.id for event in events[1:])
    assert result.breaches.count == 3
    assert [day.isoformat() for day in result.breaches.days] == ["2026-01-15", "2026-01-25"]
    assert result.breaches.by_order == {"restraining order": signal.evidence}


def test_third_party_contact_is_found_by_tag_or_channel() -> None:
    kit = Kit()
    by_tag = kit.event(START + timedelta(days=4), tags=(Tag.THIRD_PARTY_CONTACT,))
    by_channel = kit.event(START + timedelta(days=2), channel="third_party", tags=())
    result = escalation([kit.event(START), by_tag, by_channel], START + timedelta(days=5))
    [signal] = signals(result, "third_party_contact")
    assert signal.since == START + timedelta(days=2)
    assert signal.evidence == (by_channel.id,)


def test_move_from_messages_to_loitering_is_found() -> None:
    kit = Kit()
    messages = [kit.event(START + timedelta(days=d)) for d in range(5)]
    loitering = kit.event(START + timedelta(days=8), channel="in_person", tags=(Tag.LOITERING,))
    result = escalation([*messages, loitering], START + timedelta(days=9))
    [signal] = signals(result, "online_to_physical")
    assert signal.since == START + timedelta(days=8)
    assert signal.evidence == (messages[0].id, loitering.id)
    assert signal.cues == ("loitering",)
    [new] = signals(result, "new_behaviour")
    assert new.cues == ("loitering",)
    assert new.since == loitering.at


def test_no_move_to_physical_when_it_started_in_person() -> None:
    kit = Kit()
    events = [
        kit.event(START, channel="in_person", tags=(Tag.FOLLOWING,)),
        kit.event(START + timedelta(days=3)),
    ]
    assert signals(escalation(events, START + timedelta(days=4)), "online_to_physical") == []


def test_first_threat_and_a_later_threat_naming_a_weapon() -> None:
    kit = Kit()
    vague = kit.event(
        START + timedelta(days=3), tags=(Tag.THREAT_OF_VIOLENCE,), text="you'll regret this"
    )
    specific = kit.event(
        START + timedelta(days=9),
        tags=(Tag.THREAT_OF_VIOLENCE,),
        text="I've got a knife and I know where you live",
    )
    result = escalation([kit.event(START), vague, specific], START + timedelta(days=10))
    [first] = signals(result, "first_threat")
    assert first.since == vague.at
    assert first.evidence == (vague.id,)
    [weapon] = signals(result, "threat_names_weapon")
    assert weapon.since == specific.at
    assert weapon.cues == ("weapon: knife",)
    assert "later than the first threat" in weapon.description
    assert signals(result, "threat_names_place") == []


def test_threat_cues_name_place_time_and_weapon() -> None:
    found = threat_cues("I'll be outside your house tomorrow at 8pm with a baseball bat")
    assert found == {"place": "your house", "time": "tomorrow", "weapon": "baseball bat"}
    assert threat_cues("you will be sorry") == {}


def test_cues_in_messages_that_are_not_threats_are_ignored() -> None:
    kit = Kit()
    event = kit.event(START, text="I bought a new knife for the kitchen tonight")
    result = escalation([event], START + timedelta(days=1))
    assert [signal.signal for signal in result.signals] == []


def test_signals_are_in_date_order_and_json_ready() -> None:
    kit = Kit()
    events = [
        kit.event(START),
        kit.event(START + timedelta(days=5), channel="third_party", tags=()),
        kit.event(START + timedelta(days=2), breach_of="non-molestation order"),
    ]
    result = escalation(events, START + timedelta(days=6))
    assert [s.since for s in result.signals] == sorted(s.since for s in result.signals)
    data = result.signals[0].to_json()
    assert set(data) >= {"signal", "since", "evidence"}
    assert isinstance(data["since"], str) and data["since"].endswith("+00:00")


def test_the_counting_pass_keeps_exactly_the_notable_entries() -> None:
    from safetrail.analysis.channels import is_notable
    from safetrail.analysis.tally import tally_conduct

    kit = Kit()
    events = [
        kit.event(START),
        kit.event(START + timedelta(hours=1), channel="in_person", tags=()),
        kit.event(START + timedelta(hours=2), tags=(Tag.THREAT_OF_SEXUAL_VIOLENCE,)),
        kit.event(START + timedelta(hours=3), tags=(Tag.WATCHING_OR_SPYING,)),
        kit.event(START + timedelta(hours=4), channel="third_party", tags=()),
        kit.event(START + timedelta(hours=5), breach_of="order"),
        kit.event(START + timedelta(hours=6), tags=(Tag.MONITORING,)),
        kit.event(START + timedelta(hours=7), channel="in_person", by_subject=False),
    ]
    tally = tally_conduct(build_timeline(events, LONDON))
    kept = [event.id for event, _ in tally.notable]
    assert kept == [e.id for e in events if e.by_subject and is_notable(e)]
    assert kept == [events[i].id for i in (1, 2, 3, 4, 5)]
