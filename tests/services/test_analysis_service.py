"""The analysis service on a real casebook: rule tags, decisions, context tags, JSON keys."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from safetrail.analysis.model import Tag, TagStatus
from safetrail.models.enums import Behaviour
from safetrail.models.subject import SubjectDetails
from safetrail.services.analysis import AFTER_REQUEST_RULE, analyse_case
from safetrail.services.casebook import Casebook
from safetrail.services.errors import InvalidInput
from safetrail.services.incidents import add_incident
from safetrail.services.ingest import IngestOptions, ingest
from safetrail.services.subjects import add_subject
from safetrail.services.tagging import ADDED_BY_YOU, decide, tags_of_record
from safetrail.services.timeline import TimelineFilter, timeline
from safetrail.services.verify import verify_casebook
from tests.services.factories import LONDON, full_incident

CHAT = [
    "01/03/2026, 21:40 - Sam: Why are you ignoring me",
    "01/03/2026, 21:41 - Me: Please stop messaging me.",
    "02/03/2026, 08:00 - Sam: I know where you live",
    "05/03/2026, 08:00 - Sam: I'll make you pay for this",
    "13/03/2026, 09:00 - Sam: I saw you at the station today",
]


def load(book: Casebook, tmp_path: Path) -> int:
    sam = add_subject(book, SubjectDetails(name="Sam", handles=("Sam",)))
    path = tmp_path / "chat.txt"
    path.write_text("\n".join(CHAT) + "\n", encoding="utf-8")
    ingest(book, path, IngestOptions(me=("Me",)))
    return sam.id


def test_tags_and_context_rules(book: Casebook, tmp_path: Path) -> None:
    sam = load(book, tmp_path)
    result: Any = json.loads(json.dumps(analyse_case(book).to_json()))
    tags = result["tags"]
    assert isinstance(tags, list)
    by_record = {
        (t["record_id"], t["tag"], t["rule"])
        for t in tags
        if isinstance(t, dict) and "record_id" in t
    }
    assert any(tag == "threat_of_violence" for _, tag, _ in by_record)
    assert any(tag == "knowledge_of_whereabouts" for _, tag, _ in by_record)
    after = [t for t in tags if isinstance(t, dict) and t["rule"] == AFTER_REQUEST_RULE]
    assert len(after) == 3 and all(t["words"] == "Please stop messaging me" for t in after)
    subject = next(s for s in result["subjects"] if isinstance(s, dict) and s["subject_id"] == sam)
    assert subject["occasions"] == 4 and subject["course_of_conduct"] is True
    assert subject["first_contact"] == "2026-03-01T21:40:00+00:00"
    signals = {e["signal"] for e in subject["escalation"] if isinstance(e, dict)}
    assert "first_threat" in signals
    assert "information" in str(result["summary"]).lower() or "not legal advice" in str(
        result["summary"]
    )


def test_rejecting_a_tag_wins_and_is_logged(book: Casebook, tmp_path: Path) -> None:
    load(book, tmp_path)
    before = analyse_case(book)
    threat = next(
        v for v in before.tags if v.tag is Tag.THREAT_OF_VIOLENCE and v.target_kind == "record"
    )
    decide(book, "record", threat.target_id, "threat_of_violence", TagStatus.REJECTED)
    after = analyse_case(book)
    again = [
        v for v in after.tags if v.target_id == threat.target_id and v.tag is Tag.THREAT_OF_VIOLENCE
    ]
    assert [v.status for v in again] == [TagStatus.REJECTED]
    signals = {s.signal for subject in after.analysis.subjects for s in subject.escalation.signals}
    assert "first_threat" not in signals
    decide(book, "record", threat.target_id, "threat_of_violence", TagStatus.CONFIRMED)
    confirmed = analyse_case(book)
    assert any(
        v.status is TagStatus.CONFIRMED for v in confirmed.tags if v.target_id == threat.target_id
    )
    assert verify_casebook(book).ok
    with pytest.raises(InvalidInput):
        decide(book, "record", 99999, "following", TagStatus.CONFIRMED)
    with pytest.raises(InvalidInput):
        decide(book, "record", threat.target_id, "not-a-tag", TagStatus.CONFIRMED)


def test_a_threat_the_rules_missed_can_be_added_and_counts(book: Casebook, tmp_path: Path) -> None:
    sam = add_subject(book, SubjectDetails(name="Sam", handles=("Sam",))).id
    path = tmp_path / "chat.txt"
    path.write_text(
        "01/03/2026, 21:40 - Sam: Knock knock\n13/03/2026, 08:00 - Sam: hello again\n",
        encoding="utf-8",
    )
    ingest(book, path, IngestOptions(me=("Me",)))
    assert not tags_of_record(book, 1)
    decide(book, "record", 1, "threat_of_violence", TagStatus.CONFIRMED)
    [added] = tags_of_record(book, 1)
    assert (added.tag, added.rule, added.words, added.status) == (
        Tag.THREAT_OF_VIOLENCE,
        ADDED_BY_YOU,
        "",
        TagStatus.CONFIRMED,
    )
    result = analyse_case(book)
    assert [v.to_json() for v in result.tags if v.rule == ADDED_BY_YOU] == [
        {
            "record_id": 1,
            "tag": "threat_of_violence",
            "rule": ADDED_BY_YOU,
            "words": "",
            "status": "confirmed",
        }
    ]
    subject = next(s for s in result.analysis.subjects if s.subject_id == sam)
    first = [s for s in subject.escalation.signals if s.signal == "first_threat"]
    assert first and first[0].since.date().isoformat() == "2026-03-01"
    decide(book, "record", 1, "threat_of_violence", TagStatus.REJECTED)
    assert not tags_of_record(book, 1)
    assert verify_casebook(book).ok


def test_incident_tags_are_chosen_plus_suggestions(book: Casebook) -> None:
    incident = add_incident(
        book,
        replace(full_incident('He shouted "I\'ll kill you"'), behaviours=(Behaviour.LOITERING,)),
    )
    views = [
        v
        for v in analyse_case(book).tags
        if v.target_kind == "incident" and v.target_id == incident.id
    ]
    assert {(v.tag, v.status) for v in views} >= {
        (Tag.LOITERING, TagStatus.CHOSEN),
        (Tag.THREAT_OF_VIOLENCE, TagStatus.SUGGESTED),
    }


def test_timeline_merges_and_filters(book: Casebook, tmp_path: Path) -> None:
    sam = load(book, tmp_path)
    add_incident(
        book,
        replace(
            full_incident("He was outside"),
            behaviours=(),
            occurred_start=datetime(2026, 3, 3, 18, 0, tzinfo=LONDON),
            occurred_end=None,
            subject_id=sam,
        ),
    )
    entries = timeline(book, TimelineFilter(kinds=frozenset({"incident", "record"})))
    kinds = [e.kind for e in entries]
    assert kinds.index("incident") == 3, kinds
    assert all(a.at is None or b.at is None or a.at <= b.at for a, b in itertools.pairwise(entries))
    threats = timeline(book, TimelineFilter(tag="threat_of_violence"))
    assert [e.text for e in threats] == ["I'll make you pay for this"]
    assert [e.id for e in timeline(book, TimelineFilter(text="station"))] == [5]
    assert len(timeline(book, TimelineFilter(limit=2, offset=1))) == 2
