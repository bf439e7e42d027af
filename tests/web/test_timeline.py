"""Route tests for the timeline: merged entries, filters, search, paging and hostile text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from safetrail.analysis.model import Tag, TagStatus
from safetrail.analysis.rules import tag_text
from safetrail.services.incidents import add_incident
from safetrail.services.tagging import decisions
from safetrail.web.pages import timeline as timeline_page
from tests.services.factories import full_incident
from tests.web.conftest import TestClient, book_of, csrf_of
from tests.web.page_data import ESCAPED, HOSTILE, chat_lines, import_chat


def entries_on(html: str) -> int:
    return html.count('class="moj-timeline__item"')


def decide_on_record(client: TestClient, record_id: int, tag: str, decision: str) -> Any:
    """Post a tag decision from a record's page, as its buttons do."""
    return client.post(
        "/pattern/tags",
        data={
            "csrf_token": csrf_of(client),
            "kind": "record",
            "target": str(record_id),
            "tag": tag,
            "decision": decision,
            "back": "record",
        },
        follow_redirects=False,
    )


def test_an_empty_timeline_says_so_kindly(unlocked: TestClient) -> None:
    page = unlocked.get("/timeline")
    assert page.status_code == 200
    assert "Nothing here yet" in page.text
    assert entries_on(page.text) == 0


def test_incidents_and_messages_appear_together_in_time_order(
    unlocked: TestClient, tmp_path: Path
) -> None:
    book = book_of(unlocked)
    add_incident(book, full_incident("He was outside my work again"))
    import_chat(book, tmp_path, ["13/03/2026, 09:00 - Sam: Saw you last night"])
    html = unlocked.get("/timeline").text
    assert entries_on(html) == 3  # the diary entry, the message, and the chat file itself
    assert html.index("He was outside my work again") < html.index("Saw you last night")
    assert 'href="/diary/1"' in html
    assert 'href="/timeline/record/1"' in html
    assert 'href="/evidence/1"' in html
    assert "Message (WhatsApp)" in html


def test_hostile_message_text_is_shown_as_text(unlocked: TestClient, tmp_path: Path) -> None:
    book = book_of(unlocked)
    import_chat(book, tmp_path, [f"13/03/2026, 09:00 - Sam{HOSTILE}: {HOSTILE}"])
    for path in ("/timeline", "/timeline/record/1"):
        html = unlocked.get(path).text
        assert "<script>alert(1)" not in html
        assert "<img src=x" not in html
        assert ESCAPED in html


def test_long_text_is_cut_short_on_the_list_and_whole_on_the_record(
    unlocked: TestClient, tmp_path: Path
) -> None:
    long_text = "word " * 400 + "THE-END"
    import_chat(book_of(unlocked), tmp_path, [f"13/03/2026, 09:00 - Sam: {long_text}"])
    listed = unlocked.get("/timeline").text
    assert "THE-END" not in listed
    assert "(shortened)" in listed
    assert "THE-END" in unlocked.get("/timeline/record/1").text


def test_search_finds_only_matching_words(unlocked: TestClient, tmp_path: Path) -> None:
    lines = ["13/03/2026, 09:00 - Sam: the red car again", "13/03/2026, 10:00 - Sam: hello"]
    import_chat(book_of(unlocked), tmp_path, lines)
    html = unlocked.get("/timeline", params={"q": "red car"}).text
    assert entries_on(html) == 1
    assert "the red car again" in html
    none = unlocked.get("/timeline", params={"q": "bicycle"}).text
    assert entries_on(none) == 0
    assert "Nothing matches these filters" in none


def test_search_words_are_never_read_as_query_syntax(unlocked: TestClient, tmp_path: Path) -> None:
    import_chat(book_of(unlocked), tmp_path, ['13/03/2026, 09:00 - Sam: a "quoted" NEAR word'])
    for query in ('"quoted', "NEAR(", "a OR", "*", ")("):
        assert unlocked.get("/timeline", params={"q": query}).status_code == 200


def test_date_range_and_kind_filters(unlocked: TestClient, tmp_path: Path) -> None:
    book = book_of(unlocked)
    add_incident(book, full_incident("On the twelfth"))
    lines = ["10/03/2026, 09:00 - Sam: tenth", "20/03/2026, 09:00 - Sam: twentieth"]
    import_chat(book, tmp_path, lines)
    html = unlocked.get("/timeline", params={"from": "11/03/2026", "to": "2026-03-20"}).text
    assert "On the twelfth" in html and "twentieth" in html and "tenth<" not in html
    only_diary = unlocked.get("/timeline", params={"kind": "incident"}).text
    assert entries_on(only_diary) == 1
    assert "On the twelfth" in only_diary


def test_a_date_that_cannot_be_read_is_explained(unlocked: TestClient) -> None:
    html = unlocked.get("/timeline", params={"from": "next tuesday"}).text
    assert "There is a problem" in html
    assert 'href="#from"' in html


def test_unknown_filter_values_are_refused(unlocked: TestClient) -> None:
    html = unlocked.get("/timeline", params={"subject": "999", "channel": "x", "tag": "y"}).text
    for field in ("subject", "channel", "tag"):
        assert f'href="#{field}"' in html


def test_behaviour_and_person_filters(unlocked: TestClient) -> None:
    book = book_of(unlocked)
    add_incident(book, full_incident("Loitering entry"))
    html = unlocked.get("/timeline", params={"tag": "loitering"}).text
    assert "Loitering entry" in html
    html = unlocked.get("/timeline", params={"tag": "gifts"}).text
    assert "Loitering entry" not in html


def test_pages_of_fifty_join_up(unlocked: TestClient, tmp_path: Path) -> None:
    import_chat(book_of(unlocked), tmp_path, chat_lines(120))
    first = unlocked.get("/timeline", params={"kind": "record"}).text
    assert entries_on(first) == 50
    later = re.search(r'href="/timeline\?([^"]+)" rel="next"', first)
    assert later is not None
    second = unlocked.get("/timeline?" + later.group(1).replace("&amp;", "&")).text
    assert "message 50 " in second or "message 50<" in second
    third = unlocked.get("/timeline", params={"page": "3", "kind": "record"}).text
    assert entries_on(third) == 20
    assert 'rel="next"' not in third
    assert 'rel="prev"' in third


def test_a_missing_record_is_a_kind_404(unlocked: TestClient) -> None:
    page = unlocked.get("/timeline/record/4242")
    assert page.status_code == 404
    assert "We could not find that" in page.text


def test_the_timeline_needs_the_casebook_open(session: TestClient) -> None:
    page = session.get("/timeline", follow_redirects=False)
    assert page.status_code in (302, 303, 307)


def test_deep_pages_stop_and_point_to_the_date_filter(
    unlocked: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timeline_page, "MAX_PAGE_NUMBER", 2)
    import_chat(book_of(unlocked), tmp_path, chat_lines(120))
    second = unlocked.get("/timeline", params={"page": "2", "kind": "record"}).text
    assert 'rel="next"' not in second
    assert 'put a date in "From"' in second
    clamped = unlocked.get("/timeline", params={"page": "99", "kind": "record"}).text
    assert "Page 2" in clamped


def test_a_record_shows_its_behaviours_and_they_can_be_checked(
    unlocked: TestClient, tmp_path: Path
) -> None:
    book = book_of(unlocked)
    import_chat(
        book,
        tmp_path,
        ["01/03/2026, 10:00 - Sam: hello", "02/03/2026, 22:00 - Sam: I will kill you"],
    )
    page = unlocked.get("/timeline/record/1").text
    assert "did not match anything" in page and "miss many threats" in page
    html = unlocked.get("/timeline/record/2").text
    assert "Threat of violence" in html and "Because of: " in html and "Not checked yet." in html
    answer = decide_on_record(unlocked, 2, "threat_of_violence", "reject")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/timeline/record/2"
    assert decisions(book)[("record", 2, Tag.THREAT_OF_VIOLENCE)] is TagStatus.REJECTED
    assert "You said this is not right." in unlocked.get("/timeline/record/2").text


def test_a_tag_from_the_word_weights_says_where_it_came_from(
    unlocked: TestClient, tmp_path: Path
) -> None:
    book = book_of(unlocked)
    text = "made a new account since you blocked the last one"
    hits = [hit for hit in tag_text(text) if hit.rule.startswith("weighted.")]
    assert hits, "the published weights should find contact in this message"
    import_chat(book, tmp_path, [f"01/03/2026, 10:00 - Sam: {text}"])
    page = unlocked.get("/timeline/record/1").text
    for hit in hits:
        assert f"Because of: {hit.words}" in page
    assert "example messages Safetrail learned from" in page


def test_a_behaviour_the_rules_missed_can_be_added_and_taken_off(
    unlocked: TestClient, tmp_path: Path
) -> None:
    book = book_of(unlocked)
    import_chat(book, tmp_path, ["01/03/2026, 10:00 - Sam: Knock knock"])
    page = unlocked.get("/timeline/record/1").text
    assert "Add a behaviour you see in it" in page
    assert '<option value="threat_of_violence">Threat of violence</option>' in page

    def answer(tag: str, decision: str) -> tuple[int, str]:
        sent = decide_on_record(unlocked, 1, tag, decision)
        return sent.status_code, sent.headers.get("location", "") or sent.text

    status, body = answer("", "confirm")
    assert status == 400
    assert "Please choose a behaviour to add." in body and "Knock knock" in body
    assert answer("threat_of_violence", "confirm") == (303, "/timeline/record/1")
    assert decisions(book)[("record", 1, Tag.THREAT_OF_VIOLENCE)] is TagStatus.CONFIRMED
    page = unlocked.get("/timeline/record/1").text
    assert "You added this." in page and "Take it off" in page
    assert '<option value="threat_of_violence">' not in page
    checked = unlocked.get("/pattern/tags").text
    assert "hinted at rather than said" in checked
    assert 'you added it to <a class="govuk-link" href="/timeline/record/1">' in checked
    assert answer("threat_of_violence", "reject") == (303, "/timeline/record/1")
    page = unlocked.get("/timeline/record/1").text
    assert "You added this." not in page
    assert '<option value="threat_of_violence">Threat of violence</option>' in page
