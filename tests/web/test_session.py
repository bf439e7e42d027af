"""Unlock, lock, idle lock, quick exit, first run, the demo case, and discreet mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from safetrail.services.incidents import list_incidents
from safetrail.web.config import WebConfig
from safetrail.web.preferences import (
    WebPreferences,
    check_exit_url,
    load_preferences,
    save_preferences,
)
from safetrail.web.templating import DISCREET_TITLE
from tests.conftest import PASSPHRASE
from tests.web.conftest import TestClient, book_of, csrf_of, state_of


def _create(client: TestClient, **overrides: str) -> TestClient:
    data = {
        "csrf_token": csrf_of(client),
        "initials": "AB",
        "passphrase": PASSPHRASE,
        "passphrase_again": PASSPHRASE,
        "timezone": "Europe/London",
        **overrides,
    }
    client.post("/welcome/create", data=data)
    return client


def test_first_run_offers_a_casebook_or_the_demo(session: TestClient) -> None:
    response = session.get("/")
    assert str(response.url).endswith("/welcome")
    assert "Make my casebook" in response.text
    assert "Open the demo case" in response.text


def test_creating_a_casebook_opens_it(session: TestClient, web_config: WebConfig) -> None:
    response = session.post(
        "/welcome/create",
        data={
            "csrf_token": csrf_of(session),
            "initials": "AB",
            "passphrase": PASSPHRASE,
            "passphrase_again": PASSPHRASE,
            "timezone": "Europe/London",
        },
    )
    assert response.status_code == 200
    assert "Your casebook is ready" in response.text
    assert (web_config.casebook_root / "keyfile.json").exists()
    assert book_of(session).setting("initials") == "AB"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"initials": ""}, "Please type your initials"),
        ({"passphrase": "short", "passphrase_again": "short"}, "at least 8 characters"),
        ({"passphrase_again": "something else"}, "The two passphrases are not the same."),
        ({"timezone": "Mars/Olympus"}, "is not a time zone"),
    ],
)
def test_first_run_mistakes_are_explained(
    session: TestClient, overrides: dict[str, str], message: str
) -> None:
    data = {
        "csrf_token": csrf_of(session),
        "initials": "AB",
        "passphrase": PASSPHRASE,
        "passphrase_again": PASSPHRASE,
        "timezone": "Europe/London",
        **overrides,
    }
    response = session.post("/welcome/create", data=data)
    assert response.status_code == 400
    assert message in response.text
    assert "There is a problem" in response.text
    assert state_of(session).book is None


def test_lock_then_unlock_with_the_passphrase(unlocked: TestClient) -> None:
    token = csrf_of(unlocked)
    locked = unlocked.post("/lock", data={"csrf_token": token})
    assert "Your casebook is locked" in locked.text
    assert state_of(unlocked).book is None
    wrong = unlocked.post("/unlock", data={"csrf_token": token, "passphrase": "not it at all"})
    assert wrong.status_code == 400
    assert "does not open this casebook" in wrong.text
    assert state_of(unlocked).book is None
    right = unlocked.post("/unlock", data={"csrf_token": token, "passphrase": PASSPHRASE})
    assert right.status_code == 200
    assert "Your case" in right.text
    assert state_of(unlocked).book is not None


def test_a_passphrase_keeps_its_spaces(session: TestClient) -> None:
    spaced = "  spaces around me  "
    _create(session, passphrase=spaced, passphrase_again=spaced)
    token = csrf_of(session)
    session.post("/lock", data={"csrf_token": token})
    trimmed = session.post("/unlock", data={"csrf_token": token, "passphrase": spaced.strip()})
    assert trimmed.status_code == 400
    session.post("/unlock", data={"csrf_token": token, "passphrase": spaced})
    assert state_of(session).book is not None


def test_every_unlocked_page_has_lock_quick_exit_and_help_now(unlocked: TestClient) -> None:
    for path in ("/", "/diary", "/diary/new", "/evidence", "/evidence/add"):
        html = unlocked.get(path).text
        assert 'action="/lock"' in html, path
        assert 'action="/exit"' in html, path
        assert "call <strong>999</strong>" in html, path
        assert "<strong>101</strong>" in html, path
        assert "National Stalking Helpline" in html, path


def test_quick_exit_locks_and_leaves_for_the_neutral_page(unlocked: TestClient) -> None:
    response = unlocked.post("/exit", data={"csrf_token": csrf_of(unlocked)})
    assert state_of(unlocked).book is None
    assert str(response.url).endswith("/exited")
    assert '<meta http-equiv="refresh" content="0;url=https://duckduckgo.com/">' in response.text
    assert "Safetrail" not in response.text


def test_quick_exit_goes_to_the_chosen_page(unlocked: TestClient, web_config: WebConfig) -> None:
    save_preferences(
        web_config.casebook_root, WebPreferences(exit_url="https://www.bbc.co.uk/weather")
    )
    html = unlocked.get("/").text
    assert 'data-exit-url="https://www.bbc.co.uk/weather"' in html
    response = unlocked.post("/exit", data={"csrf_token": csrf_of(unlocked)})
    assert "url=https://www.bbc.co.uk/weather" in response.text


def test_idle_time_locks_the_casebook(unlocked: TestClient) -> None:
    state = state_of(unlocked)
    state.last_activity -= 11 * 60
    response = unlocked.get("/diary", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/unlock"
    assert state.book is None


def test_activity_keeps_it_open(unlocked: TestClient) -> None:
    state = state_of(unlocked)
    state.last_activity -= 9 * 60
    assert unlocked.get("/diary").status_code == 200
    assert state.book is not None
    assert state.idle_seconds() < 5


def test_idle_time_does_not_lock_during_a_long_import(unlocked: TestClient) -> None:
    state = state_of(unlocked)
    with state.working():
        state.last_activity -= 11 * 60
        assert state.lock_if_idle() is False
        assert state.book is not None
    assert state.idle_seconds() < 5


def test_the_page_timer_gets_the_idle_time(unlocked: TestClient) -> None:
    assert 'data-idle-seconds="600"' in unlocked.get("/").text


def test_the_demo_is_fictional_marked_and_deleted_on_lock(session: TestClient) -> None:
    token = csrf_of(session)
    response = session.post("/welcome/demo", data={"csrf_token": token})
    assert "made-up case" in response.text
    state = state_of(session)
    folder = state.demo_dir
    assert folder is not None
    assert folder.exists()
    assert not state.casebook_exists
    incidents = list_incidents(book_of(session))
    assert incidents
    assert all("[Demo, fictional]" in i.details.what_happened for i in incidents)
    for path in ("/diary", "/evidence", "/diary/new"):
        assert "This is a made-up case" in session.get(path).text
    session.post("/lock", data={"csrf_token": token})
    assert not folder.exists()
    assert state.book is None


def test_discreet_mode_gives_a_neutral_title_and_icon(
    unlocked: TestClient, web_config: WebConfig
) -> None:
    save_preferences(web_config.casebook_root, WebPreferences(discreet=True))
    for path in ("/", "/diary"):
        html = unlocked.get(path).text
        assert f"<title>{DISCREET_TITLE}</title>" in html
        assert "icons/neutral.svg" in html
    unlocked.post("/lock", data={"csrf_token": csrf_of(unlocked)})
    assert f"<title>{DISCREET_TITLE}</title>" in unlocked.get("/unlock").text


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,hi",
        "file:///etc/passwd",
        "https://user:pw@example.com/",
        "https://exa mple.com/",
        "example.com",
        "https://" + "a" * 400 + ".com/",
    ],
)
def test_only_ordinary_web_addresses_can_be_the_exit_page(url: str) -> None:
    from safetrail.services.errors import InvalidInput

    with pytest.raises(InvalidInput):
        check_exit_url(url)


def test_damaged_preferences_fall_back_to_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "web.json").write_text('{"exit_url": "javascript:alert(1)", "idle_minutes": 3}')
    assert load_preferences(tmp_path) == WebPreferences()
    (tmp_path / "web.json").write_text("not json")
    assert load_preferences(tmp_path) == WebPreferences()


def test_home_warns_when_the_casebook_may_have_gone_back(unlocked: TestClient) -> None:
    book_of(unlocked).rollback_suspected = "the database ends at custody entry 1"
    assert "the database ends at custody entry 1" in unlocked.get("/").text


@pytest.mark.parametrize("path", ["/diary/abc", "/evidence/x1", "/nowhere"])
def test_odd_addresses_get_a_plain_page_not_found(unlocked: TestClient, path: str) -> None:
    response = unlocked.get(path)
    assert response.status_code == 404
    assert "There is no page at this address." in response.text
    assert "Quick exit" in response.text


def test_home_counts_files_that_came_with_exports_apart(unlocked: TestClient) -> None:
    from safetrail.services.ingest import IngestOptions, ingest

    export = Path(__file__).parents[1] / "samples" / "whatsapp" / "android_with_media.zip"
    ingest(book_of(unlocked), export, IngestOptions())
    html = unlocked.get("/").text
    assert "You have kept 1 evidence item (and " in html
    assert "that came with your exports)" in html
