"""Route tests for settings: case settings, app settings, passphrase change and backup."""

from __future__ import annotations

from pathlib import Path

from httpx import Response

from safetrail.services.backup import restore_backup
from safetrail.services.settings import passphrase_opens
from safetrail.services.verify import verify_casebook
from safetrail.web.preferences import load_preferences
from tests.conftest import PASSPHRASE
from tests.web.conftest import TestClient, book_of, csrf_of, state_of

NEW_PASSPHRASE = "a brand new passphrase for testing"


def post(client: TestClient, path: str, data: dict[str, str]) -> Response:
    token = csrf_of(client)
    response: Response = client.post(
        path, data={"csrf_token": token, **data}, follow_redirects=False
    )
    return response


def test_the_settings_page_shows_what_is_set(unlocked: TestClient) -> None:
    html = unlocked.get("/settings").text
    assert 'value="Europe/London"' in html
    assert 'value="england-wales" checked' in html
    assert "Download a backup" in html


def test_change_time_zone_and_jurisdiction(unlocked: TestClient) -> None:
    response = post(
        unlocked, "/settings/case", {"timezone": "Europe/Dublin", "jurisdiction": "scotland"}
    )
    assert response.status_code == 303
    assert "Your case settings are saved" in unlocked.get(response.headers["location"]).text
    book = book_of(unlocked)
    assert (book.setting("timezone"), book.setting("jurisdiction")) == ("Europe/Dublin", "scotland")
    assert verify_casebook(book).problems == []  # the change is in the custody log


def test_a_time_zone_or_jurisdiction_that_does_not_exist(unlocked: TestClient) -> None:
    bad_zone = post(unlocked, "/settings/case", {"timezone": "Mars/Olympus", "jurisdiction": ""})
    assert bad_zone.status_code == 400
    assert 'href="#timezone"' in bad_zone.text and 'href="#jurisdiction"' in bad_zone.text
    bad_place = post(
        unlocked, "/settings/case", {"timezone": "Europe/Paris", "jurisdiction": "atlantis"}
    )
    assert bad_place.status_code == 400 and 'href="#jurisdiction"' in bad_place.text
    assert 'value="Europe/Paris"' in bad_place.text
    assert book_of(unlocked).setting("timezone") == "Europe/London"
    assert book_of(unlocked).setting("jurisdiction") == "england-wales"


def test_change_the_app_settings(unlocked: TestClient) -> None:
    data = {"idle_minutes": "30", "discreet": "yes", "exit_url": "https://www.bbc.co.uk/weather"}
    assert post(unlocked, "/settings/app", data).status_code == 303
    saved = load_preferences(state_of(unlocked).config.casebook_root)
    assert (saved.idle_minutes, saved.discreet) == (30, True)
    assert saved.exit_url == "https://www.bbc.co.uk/weather"
    assert "<title>Notes</title>" in unlocked.get("/settings").text


def test_app_settings_that_are_refused(unlocked: TestClient) -> None:
    data = {"idle_minutes": "7", "discreet": "no", "exit_url": "javascript:alert(1)"}
    response = post(unlocked, "/settings/app", data)
    assert response.status_code == 400
    assert 'href="#idle_minutes"' in response.text and 'href="#exit_url"' in response.text
    assert load_preferences(state_of(unlocked).config.casebook_root).idle_minutes != 7


def test_change_the_passphrase(unlocked: TestClient) -> None:
    data = {
        "old_passphrase": PASSPHRASE,
        "new_passphrase": NEW_PASSPHRASE,
        "confirm_passphrase": NEW_PASSPHRASE,
    }
    response = post(unlocked, "/settings/passphrase", data)
    assert response.status_code == 303
    book = book_of(unlocked)
    assert passphrase_opens(book, NEW_PASSPHRASE)
    assert not passphrase_opens(book, PASSPHRASE)


def test_passphrase_problems_are_explained(unlocked: TestClient) -> None:
    cases = [
        ({"old_passphrase": "wrong one", "new_passphrase": NEW_PASSPHRASE}, "old_passphrase"),
        ({"old_passphrase": PASSPHRASE, "new_passphrase": ""}, "new_passphrase"),
        (
            {
                "old_passphrase": PASSPHRASE,
                "new_passphrase": NEW_PASSPHRASE,
                "confirm_passphrase": NEW_PASSPHRASE + "x",
            },
            "confirm_passphrase",
        ),
        (
            {
                "old_passphrase": PASSPHRASE,
                "new_passphrase": "short",
                "confirm_passphrase": "short",
            },
            "new_passphrase",
        ),
    ]
    for data, field in cases:
        response = post(unlocked, "/settings/passphrase", data)
        assert response.status_code == 400, field
        assert f'href="#{field}"' in response.text
        assert PASSPHRASE not in response.text  # never echoed back
    assert passphrase_opens(book_of(unlocked), PASSPHRASE)


def test_download_an_encrypted_backup(unlocked: TestClient, tmp_path: Path) -> None:
    response = post(unlocked, "/settings/backup", {})
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    assert b"SQLite format" not in response.content
    saved = tmp_path / "downloaded.backup"
    saved.write_bytes(response.content)
    book_root = book_of(unlocked).root
    leftovers = [p for p in book_root.parent.iterdir() if p.name.startswith(".safetrail-")]
    assert leftovers == []
    restored = restore_backup(saved, tmp_path / "restored", PASSPHRASE)
    try:
        assert restored.setting("initials") == "JS"
    finally:
        restored.close()


def test_settings_forms_need_the_token(unlocked: TestClient) -> None:
    for path in ("/settings/case", "/settings/app", "/settings/passphrase", "/settings/backup"):
        assert unlocked.post(path, data={"timezone": "UTC"}).status_code == 403
