"""`analyse` end to end: the JSON shape, the plain summary, several subjects."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from safetrail.analysis.model import Event, Tag
from safetrail.analysis.results import Analysis, analyse
from tests.analysis.eventkit import LONDON, START, Kit

RISING = [1, 1, 2, 2, 3, 3, 4, 5, 10, 12, 14, 16]
BANNED = re.compile(r"\b(score|risk|low|medium|high|band|level|rating)\b", re.IGNORECASE)


def rich_case() -> tuple[list[Event], datetime]:
    kit = Kit()
    events = kit.weekly(RISING)
    threat_day = datetime(2026, 3, 12, 20, 0, tzinfo=UTC)
    events += [
        kit.event(
            START + timedelta(weeks=6),
            channel="in_person",
            tags=(Tag.LOITERING,),
            feared_violence=True,
            changes_made="I changed my route to work",
        ),
        kit.event(
            threat_day,
            tags=(Tag.THREAT_OF_VIOLENCE,),
            text="I'll come to your house with a knife",
            feared_violence=True,
        ),
        kit.event(threat_day + timedelta(days=2), channel="third_party", tags=()),
        kit.event(threat_day + timedelta(days=3), breach_of="restraining order"),
        kit.event(threat_day + timedelta(days=4), after_no_contact_request=True),
    ]
    return events, START + timedelta(weeks=len(RISING))


def test_summary_is_plain_and_has_no_score_or_level() -> None:
    events, now = rich_case()
    result = analyse(events, LONDON, "england-wales", now)
    summary = result.summary
    assert "In the last 4 weeks contact has more than doubled" in summary
    assert "The first threat logged was on 12 March 2026." in summary
    assert "names a place and a weapon" in summary
    assert "Contact through other people was first logged on 14 March 2026." in summary
    assert "You recorded fearing violence on 2 separate days." in summary
    assert "not legal advice" in summary
    assert "999" in summary
    assert BANNED.search(summary) is None, BANNED.search(summary)


def test_flat_case_says_nothing_about_a_rise() -> None:
    kit = Kit()
    result = analyse(kit.weekly([3] * 10), LONDON, now=START + timedelta(weeks=10))
    assert "doubled" not in result.summary
    assert "risen" not in result.summary
    assert BANNED.search(result.summary) is None


def test_json_has_the_keys_the_cli_needs() -> None:
    events, now = rich_case()
    data = analyse(events, LONDON, "england-wales", now).to_json()
    text = json.dumps(data)  # must be JSON-ready
    assert json.loads(text) == data
    subjects = data["subjects"]
    assert isinstance(subjects, list)
    subject = subjects[0]
    assert isinstance(subject, dict)
    for key in ("subject_id", "occasions", "course_of_conduct", "first_contact", "last_contact"):
        assert key in subject
    assert subject["subject_id"] == 1
    assert subject["course_of_conduct"] is True
    assert subject["first_contact"] == "2026-01-05T10:00:00+00:00"
    escalation = subject["escalation"]
    assert isinstance(escalation, list) and escalation
    for signal in escalation:
        assert isinstance(signal, dict)
        assert {"signal", "since", "evidence"} <= set(signal)
        assert re.search(r"[+-]\d\d:\d\d$", str(signal["since"]))
    assert isinstance(data["tags"], list) and data["tags"]
    assert isinstance(data["summary"], str)


def test_several_subjects_are_analysed_apart_and_together() -> None:
    kit = Kit()
    events = [
        kit.event(START, subject_id=1),
        kit.event(START + timedelta(days=3), subject_id=1),
        kit.event(START + timedelta(days=1), subject_id=2),
        kit.event(START + timedelta(days=2), subject_id=None, tags=(Tag.GIFTS,)),
    ]
    result: Analysis = analyse(
        events, LONDON, now=START + timedelta(days=4), names={1: "Sam", 2: "the neighbour"}
    )
    by_id = {subject.subject_id: subject for subject in result.subjects}
    assert list(by_id) == [1, 2, None]
    assert by_id[1].pattern.conduct.course_of_conduct is True
    assert by_id[2].pattern.conduct.course_of_conduct is False
    assert result.overall.conduct.occasions == 4
    assert sum(result.overall.frequency.weekly) == 4
    assert {seen.tag for seen in result.tags} == {Tag.CONTACTING, Tag.GIFTS}
    assert "Sam" in result.summary and "the neighbour" in result.summary


def test_now_defaults_to_the_latest_entry_and_must_have_a_zone() -> None:
    kit = Kit()
    events = [kit.event(START), kit.event(START + timedelta(days=2))]
    assert analyse(events, LONDON).now == START + timedelta(days=2)
    with pytest.raises(ValueError, match="now"):
        analyse([], LONDON)


def test_empty_casebook_gives_a_kind_summary() -> None:
    result = analyse([], LONDON, now=START)
    assert result.subjects == ()
    assert result.summary.startswith("Nothing is logged yet.")


def test_unknown_jurisdiction_fails_early() -> None:
    kit = Kit()
    with pytest.raises(ValueError, match="jurisdiction"):
        analyse([kit.event(START)], LONDON, "atlantis")
