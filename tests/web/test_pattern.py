"""Route tests for the pattern: summary, charts, tag decisions, the law, and the shared cache."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from httpx import Response
from markupsafe import escape

from safetrail.analysis.charts import escalation_chart
from safetrail.analysis.model import Tag, TagStatus
from safetrail.models.subject import SubjectDetails
from safetrail.services.analysis_cache import AnalysisCache
from safetrail.services.incidents import add_incident
from safetrail.services.subjects import add_subject
from safetrail.services.tagging import decisions
from safetrail.web.analysis_cache import ANALYSIS_CACHE
from tests.services.factories import full_incident
from tests.web.conftest import TestClient, book_of, csrf_of
from tests.web.page_data import ESCAPED, HOSTILE, import_chat

THREATS = [
    "01/03/2026, 10:00 - Sam: I know where you live",
    "03/03/2026, 22:00 - Sam: I will kill you",
    "05/03/2026, 23:00 - Sam: I am watching you",
    f"06/03/2026, 23:30 - Sam: {HOSTILE} answer me",
]


def chart_sources(html: str) -> list[str]:
    return re.findall(r'<img class="st-chart" src="([^"]+)"', html)


def decide(client: TestClient, data: dict[str, str]) -> Response:
    token = csrf_of(client)
    response: Response = client.post(
        "/pattern/tags", data={"csrf_token": token, **data}, follow_redirects=False
    )
    return response


def test_an_empty_case_says_there_is_nothing_yet(unlocked: TestClient) -> None:
    html = unlocked.get("/pattern").text
    assert "There is nothing to analyse yet." in html
    assert "<img" not in html
    assert "There is nothing logged yet" in unlocked.get("/pattern/law").text


def test_the_summary_and_its_charts(unlocked: TestClient, tmp_path: Path) -> None:
    import_chat(book_of(unlocked), tmp_path, THREATS)
    html = unlocked.get("/pattern").text
    assert ESCAPED not in html and "<script>alert(1)" not in html
    assert "Occasions logged" in html
    charts = chart_sources(html)
    assert "/pattern/chart/unlinked/weekly.svg" in charts
    assert "/pattern/chart/unlinked/escalation.svg" in charts
    for src in charts:
        chart = unlocked.get(src)
        assert chart.status_code == 200
        assert chart.headers["content-type"] == "image/svg+xml"
        assert chart.text.lstrip().startswith("<?xml")
        assert "<script" not in chart.text


def test_a_chart_that_does_not_exist(unlocked: TestClient) -> None:
    assert unlocked.get("/pattern/chart/42/weekly.svg").status_code == 404
    assert unlocked.get("/pattern/chart/all/pie.svg").status_code == 404


def test_found_behaviours_can_be_confirmed_or_rejected(
    unlocked: TestClient, tmp_path: Path
) -> None:
    import_chat(book_of(unlocked), tmp_path, THREATS)
    html = unlocked.get("/pattern/tags").text
    assert "Threat of violence" in html and "I will kill you" in html
    assert "<script>alert(1)" not in html
    record = 2  # "I will kill you"
    confirmed = decide(
        unlocked,
        {
            "kind": "record",
            "target": str(record),
            "tag": "threat_of_violence",
            "decision": "confirm",
        },
    )
    assert confirmed.status_code == 303
    assert confirmed.headers["location"] == "/pattern/tags?page=1"
    rejected = decide(
        unlocked,
        {"kind": "record", "target": "3", "tag": "watching_or_spying", "decision": "reject"},
    )
    assert rejected.status_code == 303
    chosen = decisions(book_of(unlocked))
    assert chosen[("record", record, Tag.THREAT_OF_VIOLENCE)] is TagStatus.CONFIRMED
    assert chosen[("record", 3, Tag.WATCHING_OR_SPYING)] is TagStatus.REJECTED
    after = unlocked.get("/pattern/tags").text
    assert "You already checked" in after


def test_a_decision_that_cannot_be_made_is_explained(unlocked: TestClient, tmp_path: Path) -> None:
    import_chat(book_of(unlocked), tmp_path, THREATS)
    for data in (
        {"kind": "record", "target": "2", "tag": "threat_of_violence", "decision": "maybe"},
        {"kind": "record", "target": "999", "tag": "threat_of_violence", "decision": "confirm"},
        {"kind": "nothing", "target": "2", "tag": "threat_of_violence", "decision": "confirm"},
        {"kind": "record", "target": "x", "tag": "threat_of_violence", "decision": "confirm"},
    ):
        response = decide(unlocked, data)
        assert response.status_code == 400, data
        assert 'href="#tags"' in response.text
    assert decisions(book_of(unlocked)) == {}


def test_decisions_need_the_token(unlocked: TestClient, tmp_path: Path) -> None:
    import_chat(book_of(unlocked), tmp_path, THREATS)
    response = unlocked.post(
        "/pattern/tags",
        data={"kind": "record", "target": "2", "tag": "threat_of_violence", "decision": "reject"},
    )
    assert response.status_code == 403
    assert decisions(book_of(unlocked)) == {}


def test_the_law_page_is_information_not_advice(unlocked: TestClient, tmp_path: Path) -> None:
    import_chat(book_of(unlocked), tmp_path, THREATS)
    html = unlocked.get("/pattern/law").text
    assert "This is information, not legal advice." in html
    assert "Where to get advice" in html
    assert "Protection from Harassment Act 1997" in html


def test_a_second_visit_uses_the_cached_analysis(unlocked: TestClient, tmp_path: Path) -> None:
    import_chat(book_of(unlocked), tmp_path, THREATS)
    unlocked.get("/pattern")
    analysed = ANALYSIS_CACHE.misses
    assert unlocked.get("/pattern").status_code == 200
    assert ANALYSIS_CACHE.misses == analysed, "the second visit analysed the case again"
    book = book_of(unlocked)
    assert ANALYSIS_CACHE.get(book) is ANALYSIS_CACHE.get(book)


def test_the_cache_follows_every_change(unlocked: TestClient, tmp_path: Path) -> None:
    book = book_of(unlocked)
    cache = AnalysisCache()
    empty = cache.get(book)
    assert cache.get(book) is empty
    import_chat(book, tmp_path, THREATS)
    fuller = cache.get(book)
    assert fuller is not empty
    assert fuller.analysis.subjects
    assert cache.get(book, "scotland").analysis.jurisdiction == "scotland"
    cache.clear()
    assert cache.get(book) is not fuller


def test_hostile_names_in_charts_stay_text(unlocked: TestClient, tmp_path: Path) -> None:
    book = book_of(unlocked)
    add_subject(book, SubjectDetails(name=HOSTILE))
    add_incident(book, full_incident("Outside again", subject_id=1))
    html = unlocked.get("/pattern").text
    assert ESCAPED in html and "<script>alert(1)" not in html
    for name in ("weekly", "behaviours", "heatmap", "escalation"):
        chart = unlocked.get(f"/pattern/chart/1/{name}.svg").text
        assert "<script" not in chart and "<img" not in chart


def weekly_messages(weeks: int) -> list[str]:
    """One message a day for `weeks` weeks from 5 January 2026, a few a day nearer the end."""
    start = date(2026, 1, 5)
    lines = []
    for day in range(weeks * 7):
        when = start + timedelta(days=day)
        for n in range(1 + day // 21):
            lines.append(f"{when:%d/%m/%Y}, 1{n}:00 - Sam: where are you {day}-{n}")
    return lines


def test_the_trend_is_told_in_plain_words(unlocked: TestClient, tmp_path: Path) -> None:
    import_chat(book_of(unlocked), tmp_path, weekly_messages(10))
    html = unlocked.get("/pattern").text
    assert "Mann-Kendall" not in html and "In the last 4 weeks" in html
    assert "Contacts in each 7 days: rising" in html
    assert "/pattern/chart/unlinked/escalation.svg" in chart_sources(html)
    plain = unlocked.get("/pattern/chart/unlinked/escalation.svg").content
    result = ANALYSIS_CACHE.get(book_of(unlocked)).analysis
    subject = result.subjects[0]
    report = escalation_chart(subject.pattern, subject.escalation, result.now.date())
    assert plain != report  # the report keeps the statistic in its title


def test_one_person_summary_is_not_repeated(unlocked: TestClient, tmp_path: Path) -> None:
    import_chat(book_of(unlocked), tmp_path, THREATS)
    html = unlocked.get("/pattern").text
    result = ANALYSIS_CACHE.get(book_of(unlocked)).analysis
    assert html.count(str(escape(result.summary))) == 1
    assert html.count(str(escape(result.subjects[0].summary))) <= 1


def test_only_the_people_with_most_conduct_are_charted(unlocked: TestClient) -> None:
    book = book_of(unlocked)
    for number in range(1, 6):
        add_subject(book, SubjectDetails(name=f"Person {number}"))
        for day in range(number):
            incident = full_incident("Outside again", subject_id=number)
            start = incident.occurred_start - timedelta(days=day)
            add_incident(book, replace(incident, occurred_start=start, occurred_end=None))
    html = unlocked.get("/pattern").text
    charted = {src.split("/")[3] for src in chart_sources(html)}
    assert charted == {"3", "4", "5", "all"}
    assert 'href="/pattern/person/1"' in html and 'href="/pattern/person/2"' in html
    assert 'href="/pattern/person/5"' not in html
    page = unlocked.get("/pattern/person/1").text
    assert "The pattern: Person 1" in page
    assert {src.split("/")[3] for src in chart_sources(page)} == {"1"}
    assert len(chart_sources(page)) == 4
    assert unlocked.get("/pattern/person/99").status_code == 404


def skipped_heading_levels(html: str) -> list[tuple[int, int]]:
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]
    return [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]


def test_the_law_page_headings_skip_no_level(unlocked: TestClient, tmp_path: Path) -> None:
    book = book_of(unlocked)
    import_chat(book, tmp_path, THREATS)
    assert skipped_heading_levels(unlocked.get("/pattern/law").text) == []
    add_subject(book, SubjectDetails(name="Sam"))
    add_incident(book, full_incident("Outside again", subject_id=1))
    html = unlocked.get("/pattern/law").text
    assert "<h3" in html and skipped_heading_levels(html) == []
