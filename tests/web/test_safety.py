"""Route tests for safety: risk questions, plan, trusted contacts, police and orders, support
directory and guidance."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from httpx import Response

from safetrail.analysis import results
from safetrail.models.incident import PossibleBreach
from safetrail.models.subject import SubjectDetails
from safetrail.safety.guide import TOPICS
from safetrail.services import plan as safety_plan
from safetrail.services.incidents import add_incident
from safetrail.services.police import orders, police_contacts
from safetrail.services.risk import current_answers, evidence_factors, reviews
from safetrail.services.subjects import add_subject
from safetrail.web.analysis_cache import ANALYSIS_CACHE
from safetrail.web.pages.safety import guide_html
from tests.services.factories import full_incident
from tests.web.conftest import TestClient, book_of, csrf_of
from tests.web.page_data import ESCAPED, HOSTILE, import_chat


def post(client: TestClient, path: str, data: dict[str, str]) -> Response:
    token = csrf_of(client)
    response: Response = client.post(
        path, data={"csrf_token": token, **data}, follow_redirects=False
    )
    return response


def test_the_safety_page_shows_next_steps_and_no_rating(unlocked: TestClient) -> None:
    html = unlocked.get("/safety").text
    assert "Next steps" in html
    assert "0 of" in html
    assert "score" not in html.lower()


def test_factors_found_in_the_evidence(unlocked: TestClient, tmp_path: Path) -> None:
    import_chat(book_of(unlocked), tmp_path, ["03/03/2026, 22:00 - Sam: I will kill you"])
    html = unlocked.get("/safety").text
    assert "This is not a rating" in html


def test_answer_and_review_the_risk_questions(unlocked: TestClient) -> None:
    form = unlocked.get("/safety/risk").text
    assert 'name="answer-fear"' in form
    response = post(unlocked, "/safety/risk", {"answer-fear": "yes", "note-fear": HOSTILE})
    assert response.status_code == 303
    book = book_of(unlocked)
    assert current_answers(book)["fear"][1].answer == "yes"
    assert len(reviews(book)) == 1
    again = unlocked.get("/safety/risk").text
    assert "You last saved your answers" in again
    assert ESCAPED in again and "<script>alert(1)" not in again
    assert "1 of" in unlocked.get("/safety").text


def test_saving_no_answers_is_explained(unlocked: TestClient) -> None:
    response = post(unlocked, "/safety/risk", {})
    assert response.status_code == 400
    assert "Please answer at least one question" in response.text
    assert reviews(book_of(unlocked)) == []


def test_an_answer_that_is_not_offered_is_refused(unlocked: TestClient) -> None:
    response = post(unlocked, "/safety/risk", {"answer-fear": "definitely", "note-fear": "kept"})
    assert response.status_code == 400
    assert "kept" in response.text
    assert current_answers(book_of(unlocked)) == {}


def test_work_through_the_safety_plan(unlocked: TestClient) -> None:
    html = unlocked.get("/safety/plan").text
    assert 'id="step-do-not-engage"' in html
    response = post(
        unlocked,
        "/safety/plan/do-not-engage",
        {"status-do-not-engage": "done", "notes-do-not-engage": "Blocked on every app"},
    )
    assert response.status_code == 303
    entry = next(e for e in safety_plan.plan(book_of(unlocked)) if e.item.id == "do-not-engage")
    assert (entry.status, entry.notes) == ("done", "Blocked on every app")
    page = unlocked.get("/safety/plan").text
    assert "Blocked on every app" in page
    assert page.count("Last changed") == 1


def test_a_plan_step_or_status_that_does_not_exist(unlocked: TestClient) -> None:
    assert post(unlocked, "/safety/plan/fly-away", {"status-fly-away": "done"}).status_code == 400
    bad = post(unlocked, "/safety/plan/do-not-engage", {"status-do-not-engage": "finished"})
    assert bad.status_code == 400
    assert 'href="#plan"' in bad.text


def test_trusted_contacts_add_and_remove(unlocked: TestClient) -> None:
    response = post(
        unlocked,
        "/safety/contacts",
        {"name": HOSTILE, "how_to_reach": "07700 900999", "knows": "yes", "can_help_with": "Lifts"},
    )
    assert response.status_code == 303
    [contact] = safety_plan.contacts(book_of(unlocked))
    assert contact.knows
    html = unlocked.get("/safety/contacts").text
    assert ESCAPED in html and "<script>alert(1)" not in html
    assert post(unlocked, f"/safety/contacts/{contact.id}/remove", {}).status_code == 303
    assert safety_plan.contacts(book_of(unlocked)) == []


def test_a_contact_needs_a_name(unlocked: TestClient) -> None:
    response = post(unlocked, "/safety/contacts", {"name": "", "how_to_reach": "kept number"})
    assert response.status_code == 400
    assert 'href="#name"' in response.text and "kept number" in response.text


def test_safety_forms_need_the_token(unlocked: TestClient) -> None:
    for path in ("/safety/risk", "/safety/contacts", "/safety/plan/do-not-engage"):
        assert unlocked.post(path, data={"name": "x"}).status_code == 403
    assert safety_plan.contacts(book_of(unlocked)) == []


def test_log_a_police_contact(unlocked: TestClient) -> None:
    response = post(
        unlocked,
        "/safety/police/contact",
        {
            "when": "12/03/2026 14:30",
            "how": "101",
            "officer_name": "PC Smith",
            "crime_reference": "CRN 1",
            "what_was_said": HOSTILE,
            "follow_up_due": "19/03/2026",
        },
    )
    assert response.status_code == 303
    [contact] = police_contacts(book_of(unlocked))
    assert contact.how == "101" and contact.crime_reference == "CRN 1"
    html = unlocked.get("/safety/police").text
    assert "Called 101" in html and "19 Mar 2026" in html
    assert ESCAPED in html and "<script>alert(1)" not in html


def test_a_police_contact_with_problems(unlocked: TestClient) -> None:
    response = post(
        unlocked,
        "/safety/police/contact",
        {"when": "the day after", "how": "pigeon", "follow_up_due": "soon"},
    )
    assert response.status_code == 400
    for field in ("when", "how", "follow_up_due"):
        assert f'href="#{field}"' in response.text
    assert '<details class="govuk-details" open>' in response.text  # the form is shown
    only_how = post(unlocked, "/safety/police/contact", {"how": ""})
    assert only_how.status_code == 400
    assert '<details class="govuk-details" open>' in only_how.text
    assert police_contacts(book_of(unlocked)) == []


def test_add_a_court_order_and_see_possible_breaches(unlocked: TestClient) -> None:
    book = book_of(unlocked)
    add_subject(book, SubjectDetails(name="Alex"))
    response = post(
        unlocked,
        "/safety/police/order",
        {
            "type": "restraining-order",
            "court": "Leeds Magistrates",
            "made_on": "01/02/2026",
            "expires_on": "01/02/2027",
            "subject": "1",
            "conditions": "No contact\nNot to enter Example Road",
        },
    )
    assert response.status_code == 303
    [order] = orders(book)
    assert order.conditions == ("No contact", "Not to enter Example Road")
    details = full_incident("Came to my road", subject_id=1)
    add_incident(
        book,
        replace(details, possible_breach=PossibleBreach(order.id, "Not to enter Example Road")),
    )
    html = unlocked.get("/safety/police").text
    assert "Restraining order" in html and "Not to enter Example Road" in html
    assert "Possible breaches" in html and "Alex: 1 entry" in html


def test_an_order_with_problems(unlocked: TestClient) -> None:
    response = post(
        unlocked,
        "/safety/police/order",
        {"type": "banning", "made_on": "yesterday-ish", "subject": "7"},
    )
    assert response.status_code == 400
    for field in ("type", "made_on", "subject"):
        assert f'href="#{field}"' in response.text
    ends_first = post(
        unlocked,
        "/safety/police/order",
        {"type": "other", "made_on": "01/02/2026", "expires_on": "01/01/2026"},
    )
    assert ends_first.status_code == 400
    assert orders(book_of(unlocked)) == []


def test_the_support_directory(unlocked: TestClient) -> None:
    html = unlocked.get("/safety/directory").text
    assert "999" in html
    assert "National Stalking Helpline" in html


def test_every_guidance_page_opens(unlocked: TestClient) -> None:
    index = unlocked.get("/safety/guide").text
    for topic in TOPICS:
        assert f'href="/safety/guide/{topic}"' in index
        page = unlocked.get(f"/safety/guide/{topic}")
        assert page.status_code == 200
        assert "Last reviewed" in page.text
    assert unlocked.get("/safety/guide/not-a-topic").status_code == 404


def test_guidance_markdown_never_passes_html_through() -> None:
    html = str(guide_html(f"## Heading\n\nText {HOSTILE}\n\n[link](javascript:alert(1))"))
    assert "<h2>Heading</h2>" in html
    assert "<script>" not in html and "<img" not in html
    assert 'href="javascript:' not in html


def test_the_safety_pages_reuse_the_shared_analysis(
    unlocked: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = book_of(unlocked)
    import_chat(book, tmp_path, ["03/03/2026, 22:00 - Sam: I will kill you"])
    case = ANALYSIS_CACHE.get(book)
    assert case.events
    assert evidence_factors(book, case) == evidence_factors(book)

    def analysis_run_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("the analysis was run again")

    monkeypatch.setattr(results, "analyse", analysis_run_again)
    assert "This is not a rating" in unlocked.get("/safety").text
    assert post(unlocked, "/safety/risk", {"answer-fear": "yes"}).status_code == 303
    assert len(reviews(book)) == 1
