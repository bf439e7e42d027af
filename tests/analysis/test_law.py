"""The law the facts touch: elements, evidence, sources, and never a conclusion."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from safetrail.analysis.law import Finding, LawMapping, OffenceRelevance, law_for
from safetrail.analysis.model import Event, Tag
from safetrail.analysis.offences import OFFENCES, Element, offences_for
from safetrail.analysis.results import analyse
from tests.analysis.eventkit import LONDON, START, Kit


def law(events: list[Event], jurisdiction: str = "england-wales") -> LawMapping:
    now = max(event.at for event in events) + timedelta(hours=1)
    return analyse(events, LONDON, jurisdiction, now).subjects[0].law


def offence(mapping: LawMapping, offence_id: str) -> OffenceRelevance:
    return next(item for item in mapping.offences if item.offence.id == offence_id)


def finding(mapping: LawMapping, offence_id: str, element: Element) -> Finding:
    return next(f for f in offence(mapping, offence_id).findings if f.element == element)


def test_course_of_conduct_needs_two_occasions() -> None:
    kit = Kit()
    one_day = [kit.event(START), kit.event(START + timedelta(hours=2))]
    single = finding(law(one_day), "pha-1997-s2a", Element.COURSE_OF_CONDUCT)
    assert single.status == "not_yet_shown"
    assert "1 occasion" in single.facts

    two_days = [kit.event(START), kit.event(START + timedelta(days=6))]
    shown = finding(law(two_days), "pha-1997-s2a", Element.COURSE_OF_CONDUCT)
    assert shown.status == "facts_logged"
    assert "2 separate days" in shown.facts
    assert shown.evidence == (two_days[0].id, two_days[1].id)


def test_stalking_behaviours_present_are_listed_with_their_first_entry() -> None:
    kit = Kit()
    events = [
        kit.event(START),
        kit.event(START + timedelta(days=2), channel="in_person", tags=(Tag.LOITERING,)),
        kit.event(START + timedelta(days=3), tags=(Tag.THREAT_OF_VIOLENCE,)),
    ]
    found = finding(law(events), "pha-1997-s2a", Element.STALKING_BEHAVIOURS)
    assert found.status == "facts_logged"
    assert "contacting (1)" in found.facts and "loitering (1)" in found.facts
    assert "threat" not in found.facts  # not one of the s.2A(3) examples
    assert found.evidence == (events[0].id, events[1].id)


def test_fear_of_violence_on_two_occasions_for_s4() -> None:
    kit = Kit()
    once = [kit.event(START, feared_violence=True), kit.event(START + timedelta(days=1))]
    assert finding(law(once), "pha-1997-s4", Element.FEAR_OF_VIOLENCE_TWICE).status == (
        "not_yet_shown"
    )
    twice = [
        kit.event(START, feared_violence=True),
        kit.event(START + timedelta(days=4), feared_violence=True),
    ]
    found = finding(law(twice), "pha-1997-s4", Element.FEAR_OF_VIOLENCE_TWICE)
    assert found.status == "facts_logged"
    assert "2 separate occasions" in found.facts
    assert found.evidence == (twice[0].id, twice[1].id)


def test_s4a_daily_life_changes_are_relevant_without_fear() -> None:
    kit = Kit()
    events = [kit.event(START), kit.event(START + timedelta(days=2), changes_made="new locks")]
    found = finding(law(events), "pha-1997-s4a", Element.FEAR_TWICE_OR_DAILY_LIFE)
    assert found.status == "facts_logged"
    assert "security at home" in found.facts


def test_what_is_not_yet_shown_is_listed() -> None:
    kit = Kit()
    s4 = offence(law([kit.event(START)]), "pha-1997-s4")
    assert any("two occasions" in item for item in s4.not_yet_shown)
    mind = finding(law([kit.event(START)]), "pha-1997-s4", Element.STATE_OF_MIND)
    assert mind.status == "not_for_a_log"


def test_contact_after_asking_for_none_is_offered_for_state_of_mind() -> None:
    kit = Kit()
    events = [kit.event(START), kit.event(START + timedelta(days=1), after_no_contact_request=True)]
    mind = finding(law(events), "pha-1997-s2", Element.STATE_OF_MIND)
    assert mind.evidence == (events[1].id,)
    assert "after you asked for no contact" in mind.facts


def test_threat_messages_for_the_communications_offences() -> None:
    kit = Kit()
    threat = kit.event(START, tags=(Tag.THREAT_OF_VIOLENCE,), text="I will hurt you")
    mapping = law([threat])
    assert finding(mapping, "osa-2023-s181", Element.THREAT_OF_SERIOUS_HARM).evidence == (
        threat.id,
    )
    assert finding(mapping, "mca-1988-s1", Element.THREAT_MESSAGE).status == "facts_logged"
    assert offence(mapping, "mca-1988-s1").offence.single_incident is True


def test_order_breach_offence() -> None:
    kit = Kit()
    breach = kit.event(START, breach_of="restraining order")
    found = finding(law([breach]), "pha-1997-s5-breach", Element.ORDER_BREACHED)
    assert found.status == "facts_logged"
    assert "restraining order" in found.facts


@pytest.mark.parametrize(
    ("jurisdiction", "expected", "absent"),
    [
        (
            "england-wales",
            {"pha-1997-s2", "pha-1997-s2a", "pha-1997-s4", "pha-1997-s4a", "mca-1988-s1"},
            {"cjl-2010-s39", "pfsa-ni-2022-s1"},
        ),
        ("scotland", {"cjl-2010-s39", "cjl-2010-s38", "ca-2003-s127"}, {"pha-1997-s2a"}),
        (
            "northern-ireland",
            {"pfsa-ni-2022-s1", "pfsa-ni-2022-s2", "osa-2023-s179", "osa-2023-s181"},
            {"pha-1997-s4a", "mca-1988-s1"},
        ),
    ],
)
def test_offences_per_jurisdiction(jurisdiction: str, expected: set[str], absent: set[str]) -> None:
    ids = {item.id for item in offences_for(jurisdiction)}
    assert expected <= ids
    assert not absent & ids


def test_unknown_jurisdiction_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown jurisdiction"):
        offences_for("narnia")


def test_every_offence_has_a_source_url_and_a_check_for_every_element() -> None:
    from safetrail.analysis.law import CHECKS

    for item in OFFENCES:
        assert item.sources
        assert all(re.match(r"https?://\S+$", source) for source in item.sources)
        assert all(spec.element in CHECKS for spec in item.elements)


def test_wording_is_information_never_a_conclusion() -> None:
    kit = Kit()
    events = [
        kit.event(START + timedelta(days=d), feared_violence=True, tags=(Tag.FOLLOWING,))
        for d in range(5)
    ]
    for jurisdiction in ("england-wales", "scotland", "northern-ireland"):
        mapping = law(events, jurisdiction)
        assert "not legal advice" in mapping.notice
        assert "National Stalking Helpline" in mapping.advice
        assert "police" in mapping.advice
        text = " ".join(f.facts for o in mapping.offences for f in o.findings).lower()
        for banned in ("is met", "are met", "has been committed", "guilty", "you have a case"):
            assert banned not in text


def test_law_json_is_plain_data() -> None:
    kit = Kit()
    data = law([kit.event(START), kit.event(START + timedelta(days=3))]).to_json()
    offences = data["offences"]
    assert isinstance(offences, list) and offences
    first = offences[0]
    assert isinstance(first, dict)
    assert set(first) >= {"id", "law", "sources", "elements", "not_yet_shown"}


def test_law_for_can_be_called_directly() -> None:
    from safetrail.analysis.escalation import escalation_of
    from safetrail.analysis.impact import impact_of
    from safetrail.analysis.pattern import pattern_of
    from safetrail.analysis.timeline import build_timeline

    kit = Kit()
    timeline = build_timeline([kit.event(START)], LONDON)
    pattern = pattern_of(timeline, START, 1)
    escalation = escalation_of(timeline, pattern, START)
    mapping = law_for("scotland", pattern, escalation, impact_of(timeline))
    assert mapping.jurisdiction == "scotland"
