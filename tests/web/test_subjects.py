"""Route tests for people: add, edit, and the "who is this?" choices for unknown senders."""

from __future__ import annotations

from pathlib import Path

from httpx import Response

from safetrail.models.subject import SubjectDetails
from safetrail.services.records import RecordFilter, list_records, unknown_senders
from safetrail.services.subjects import add_subject, get_subject, list_subjects
from tests.web.conftest import TestClient, book_of, csrf_of
from tests.web.page_data import ESCAPED, HOSTILE, import_chat

NEW_PERSON = {
    "name": "Alex Example",
    "relationship": "ex_partner",
    "phones": "07700 900123\n+44 7700 900124",
    "emails": "alex@example.com",
    "handles": "@alex_x",
    "vehicles": "Blue Ford Fiesta",
    "addresses": "1 Example Road, Leeds",
    "description": "Tall, often wears a red cap",
}


def post(client: TestClient, path: str, data: dict[str, str]) -> Response:
    token = csrf_of(client)
    response: Response = client.post(
        path, data={"csrf_token": token, **data}, follow_redirects=False
    )
    return response


def test_no_one_yet(unlocked: TestClient) -> None:
    html = unlocked.get("/subjects").text
    assert "No one added yet" in html
    assert 'href="/subjects/new"' in html


def test_add_a_person_with_every_identifier(unlocked: TestClient) -> None:
    response = post(unlocked, "/subjects/new", NEW_PERSON)
    assert response.status_code == 303
    [subject] = list_subjects(book_of(unlocked))
    details = subject.details
    assert details.name == "Alex Example"
    assert details.relationship.value == "ex_partner"
    assert len(details.phones) == 2
    assert details.emails == ("alex@example.com",)
    assert details.vehicles == ("Blue Ford Fiesta",)
    html = unlocked.get("/subjects").text
    assert "Alex Example" in html and "Blue Ford Fiesta" in html and "Ex partner" in html


def test_a_person_with_nothing_known_is_fine(unlocked: TestClient) -> None:
    response = post(unlocked, "/subjects/new", {"relationship": "unknown"})
    assert response.status_code == 303
    assert "Unknown person 1" in unlocked.get("/subjects").text


def test_an_unknown_relationship_is_refused(unlocked: TestClient) -> None:
    response = unlocked.post(
        "/subjects/new",
        data={"csrf_token": csrf_of(unlocked), "name": "Kept", "relationship": "nemesis"},
    )
    assert response.status_code == 400
    assert 'href="#relationship"' in response.text
    assert 'value="Kept"' in response.text  # what was typed is kept
    assert list_subjects(book_of(unlocked)) == []


def test_hostile_names_are_escaped(unlocked: TestClient) -> None:
    add_subject(book_of(unlocked), SubjectDetails(name=HOSTILE, description=HOSTILE))
    for path in ("/subjects", "/subjects/1/edit"):
        html = unlocked.get(path).text
        assert "<script>alert(1)" not in html
        assert ESCAPED in html


def test_edit_a_person(unlocked: TestClient) -> None:
    add_subject(book_of(unlocked), SubjectDetails(name="Old name"))
    assert 'value="Old name"' in unlocked.get("/subjects/1/edit").text
    response = post(unlocked, "/subjects/1/edit", {**NEW_PERSON, "name": "New name"})
    assert response.status_code == 303
    assert get_subject(book_of(unlocked), 1).details.name == "New name"


def test_editing_someone_who_is_not_there(unlocked: TestClient) -> None:
    assert unlocked.get("/subjects/9/edit").status_code == 404
    assert post(unlocked, "/subjects/9/edit", NEW_PERSON).status_code == 404


def test_forms_without_the_token_are_refused(unlocked: TestClient) -> None:
    response = unlocked.post("/subjects/new", data=NEW_PERSON)
    assert response.status_code == 403
    assert list_subjects(book_of(unlocked)) == []
    response = unlocked.post("/subjects/unknown", data={"key": "x", "index": "1"})
    assert response.status_code == 403


def chat_from_two(unlocked: TestClient, tmp_path: Path) -> None:
    lines = [
        "01/03/2026, 10:00 - Sam: hello",
        "01/03/2026, 10:01 - Sam: answer me",
        "01/03/2026, 10:02 - Jo: leave me alone",
    ]
    import_chat(book_of(unlocked), tmp_path, lines)


def sender_key(unlocked: TestClient, shown: str) -> str:
    return next(s.key for s in unknown_senders(book_of(unlocked)) if s.shown_as == shown)


def choose(unlocked: TestClient, key: str, choice: str) -> Response:
    return post(unlocked, "/subjects/unknown", {"key": key, "index": "1", "choice-1": choice})


def test_unknown_senders_are_listed_with_the_choices(unlocked: TestClient, tmp_path: Path) -> None:
    chat_from_two(unlocked, tmp_path)
    add_subject(book_of(unlocked), SubjectDetails(name="Alex Example"))
    html = unlocked.get("/subjects/unknown").text
    assert "Sam" in html and "Jo" in html
    assert "2 messages, on 01 Mar 2026" in html
    assert "This is Alex Example" in html
    assert "A new person I want to add" in html and "This is me" in html
    assert "Not relevant to my case" in html
    assert "2 senders in your messages are not linked" in unlocked.get("/subjects").text


def test_saying_a_sender_is_a_known_person(unlocked: TestClient, tmp_path: Path) -> None:
    chat_from_two(unlocked, tmp_path)
    add_subject(book_of(unlocked), SubjectDetails(name="Alex Example"))
    response = choose(unlocked, sender_key(unlocked, "Sam"), "subject:1")
    assert response.status_code == 303
    linked = list_records(book_of(unlocked), RecordFilter(subject_id=1))
    assert len(linked) == 2
    assert "Sam" in get_subject(book_of(unlocked), 1).details.handles


def test_saying_a_sender_is_a_new_person(unlocked: TestClient, tmp_path: Path) -> None:
    chat_from_two(unlocked, tmp_path)
    choose(unlocked, sender_key(unlocked, "Jo"), "new")
    [subject] = list_subjects(book_of(unlocked))
    assert len(list_records(book_of(unlocked), RecordFilter(subject_id=subject.id))) == 1


def test_saying_a_sender_is_me(unlocked: TestClient, tmp_path: Path) -> None:
    chat_from_two(unlocked, tmp_path)
    choose(unlocked, sender_key(unlocked, "Jo"), "me")
    assert [s.shown_as for s in unknown_senders(book_of(unlocked))] == ["Sam"]
    assert ">Jo<" not in unlocked.get("/subjects/unknown").text


def test_setting_a_sender_aside_as_not_relevant(unlocked: TestClient, tmp_path: Path) -> None:
    chat_from_two(unlocked, tmp_path)
    choose(unlocked, sender_key(unlocked, "Sam"), "ignore")
    html = unlocked.get("/subjects/unknown").text
    assert "Jo" in html and "answer me" not in html
    assert "1 sender in your messages is not linked" in unlocked.get("/subjects").text


def test_no_choice_or_a_strange_one_is_explained(unlocked: TestClient, tmp_path: Path) -> None:
    chat_from_two(unlocked, tmp_path)
    key = sender_key(unlocked, "Sam")
    for choice in ("", "subject:99", "delete-everything"):
        response = choose(unlocked, key, choice)
        assert response.status_code == 400, choice
        assert 'href="#choice-1"' in response.text


def test_a_sender_key_that_is_not_there(unlocked: TestClient) -> None:
    response = choose(unlocked, "name:nobody", "new")
    assert response.status_code == 400
    assert list_subjects(book_of(unlocked)) == []


def test_removing_a_person_asks_first_and_keeps_them_in_the_casebook(
    unlocked: TestClient,
) -> None:
    book = book_of(unlocked)
    add_subject(book, SubjectDetails(name=HOSTILE))
    assert 'href="/subjects/1/remove"' in unlocked.get("/subjects").text
    question = unlocked.get("/subjects/1/remove").text
    assert "Yes, remove them" in question and "Nothing is deleted" in question
    assert ESCAPED in question and "<script>alert(1)" not in question
    token = csrf_of(unlocked)
    not_sure = unlocked.post(
        "/subjects/1/remove", data={"csrf_token": token}, follow_redirects=False
    )
    assert not_sure.status_code == 303 and not get_subject(book, 1).removed
    done = unlocked.post(
        "/subjects/1/remove",
        data={"csrf_token": token, "confirm": "yes", "reason": "Added twice"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/subjects"
    assert get_subject(book, 1).removed
    assert list_subjects(book) == []
    assert "No one added yet." in unlocked.get("/subjects").text
    assert unlocked.get("/subjects/1/remove").status_code == 404
    assert unlocked.get("/subjects/9/remove").status_code == 404


def test_removing_needs_the_token(unlocked: TestClient) -> None:
    add_subject(book_of(unlocked), SubjectDetails(name="Sam"))
    refused = unlocked.post("/subjects/1/remove", data={"confirm": "yes"}, follow_redirects=False)
    assert refused.status_code == 403
    assert not get_subject(book_of(unlocked), 1).removed
