"""Diary pages: write with guidance, drafts, edit with earlier versions, attach evidence."""

from __future__ import annotations

import re
from pathlib import Path

from safetrail.services.drafts import load_draft
from safetrail.services.evidence import add_file
from safetrail.services.incidents import get_incident, list_incidents
from tests.web.conftest import TestClient, book_of, csrf_of


def _entry(token: str, **values: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "when": "yesterday 18:40",
        "channel": "in_person",
        "what_happened": "He was outside my work",
        **values,
    }


def test_the_form_shows_guidance_for_each_field(unlocked: TestClient) -> None:
    html = unlocked.get("/diary/new").text
    assert "the law looks at the effect on you" in html
    assert "Put their exact words in quotes" in html
    assert 'data-draft-url="/diary/draft"' in html
    assert "Following you" in html


def test_writing_an_entry_saves_it_and_shows_it(unlocked: TestClient) -> None:
    token = csrf_of(unlocked)
    response = unlocked.post(
        "/diary/new",
        data={
            **_entry(token, impact="I was shaking", feared_violence="yes"),
            "behaviours": ["loitering", "following"],
            "witnesses": "Sam Patel - 07700 900123",
        },
    )
    assert response.status_code == 200
    assert re.search(r"/diary/\d+\?saved=1$", str(response.url))
    assert "He was outside my work" in response.text
    [incident] = list_incidents(book_of(unlocked))
    assert incident.details.impact == "I was shaking"
    assert incident.details.feared_violence is True
    assert [b.value for b in incident.details.behaviours] == ["loitering", "following"]
    assert incident.details.witnesses[0].contact == "07700 900123"


def test_a_missing_account_and_bad_date_are_explained_and_nothing_is_lost(
    unlocked: TestClient,
) -> None:
    token = csrf_of(unlocked)
    response = unlocked.post(
        "/diary/new",
        data=_entry(token, when="the thirty-first of never", what_happened="", impact="keep me"),
    )
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert 'href="#when"' in response.text
    assert 'href="#what_happened"' in response.text
    assert "keep me" in response.text
    assert list_incidents(book_of(unlocked)) == []


def test_a_draft_is_saved_encrypted_and_comes_back(unlocked: TestClient) -> None:
    token = csrf_of(unlocked)
    response = unlocked.post(
        "/diary/draft",
        data={"csrf_token": token, "draft_key": "incident-new", "what_happened": "half writ"},
    )
    assert response.status_code == 204
    draft = load_draft(book_of(unlocked), "incident-new")
    assert draft is not None
    assert draft["what_happened"] == "half writ"
    page = unlocked.get("/diary/new").text
    assert "Your draft from earlier is back" in page
    assert "half writ" in page
    unlocked.post("/diary/new", data=_entry(token, what_happened="half written, now done"))
    assert load_draft(book_of(unlocked), "incident-new") is None


def test_a_draft_needs_the_csrf_token(unlocked: TestClient) -> None:
    response = unlocked.post(
        "/diary/draft", data={"draft_key": "incident-new", "what_happened": "x"}
    )
    assert response.status_code == 403
    assert load_draft(book_of(unlocked), "incident-new") is None


def test_editing_keeps_the_earlier_version_visible(unlocked: TestClient) -> None:
    token = csrf_of(unlocked)
    first = unlocked.post("/diary/new", data=_entry(token, what_happened="First account"))
    incident_id = int(str(first.url).rsplit("/", 1)[1].split("?")[0])
    form = unlocked.get(f"/diary/{incident_id}/edit").text
    assert "First account" in form
    response = unlocked.post(
        f"/diary/{incident_id}/edit", data=_entry(token, what_happened="Fuller account")
    )
    assert response.status_code == 200
    assert "Fuller account" in response.text
    assert "Earlier versions" in response.text
    assert "First account" in response.text
    assert get_incident(book_of(unlocked), incident_id).version == 2


def test_attaching_evidence_links_it(unlocked: TestClient, tmp_path: Path) -> None:
    token = csrf_of(unlocked)
    photo = tmp_path / "card.txt"
    photo.write_text("a card")
    item = add_file(book_of(unlocked), photo).item
    created = unlocked.post("/diary/new", data=_entry(token))
    incident_id = int(str(created.url).rsplit("/", 1)[1].split("?")[0])
    unlocked.post(
        f"/diary/{incident_id}/attach", data={"csrf_token": token, "evidence_id": str(item.id)}
    )
    assert get_incident(book_of(unlocked), incident_id).details.evidence_ids == (item.id,)
    assert item.exhibit_ref in unlocked.get(f"/diary/{incident_id}").text


def test_hostile_text_is_shown_as_text(unlocked: TestClient) -> None:
    token = csrf_of(unlocked)
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    created = unlocked.post("/diary/new", data=_entry(token, what_happened=payload))
    assert "<script>alert(1)" not in created.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in created.text
    assert "<img src=x" not in unlocked.get("/diary").text


def test_a_locked_casebook_sends_the_diary_to_the_unlock_page(unlocked: TestClient) -> None:
    unlocked.post("/lock", data={"csrf_token": csrf_of(unlocked)})
    response = unlocked.get("/diary/new", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/unlock"


def test_no_text_box_lets_the_browser_keep_what_was_typed(unlocked: TestClient) -> None:
    """Chromium saves form state in its session file unless autocomplete is off (issue 9)."""
    html = unlocked.get("/diary/new").text
    boxes = re.findall(r"<(?:textarea|input)\b[^>]*>", html)
    typed = [box for box in boxes if not re.search(r'type="(hidden|radio|checkbox|submit)"', box)]
    assert any(box.startswith("<textarea") for box in typed)
    assert [box for box in typed if "autocomplete=" not in box] == []
