"""In Debian's Chromium: make a casebook, lock, unlock, write a diary entry (with its draft
saved as you type), then leave by pressing Escape three times."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Route, expect

from safetrail.services.drafts import load_draft
from safetrail.web.state import AppState
from tests.conftest import PASSPHRASE
from tests.web.conftest import LiveServer, launched_page

NEUTRAL = "https://duckduckgo.com/"


def _neutral_site(route: Route) -> None:
    """Stands in for the neutral site, so the test never leaves the machine."""
    route.fulfill(status=200, content_type="text/html", body="<title>Search</title>neutral")


def test_unlock_write_and_quick_exit(page: Page, live_server: LiveServer) -> None:
    state: AppState = live_server.app.state.safetrail
    problems: list[str] = []
    off_machine: list[str] = []
    page.on("console", lambda m: _note_console(m, problems))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: _note_request(r, live_server.url, off_machine))
    page.route(NEUTRAL + "**", _neutral_site)

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome")
    page.get_by_role("link", name="Make my casebook").click()
    page.get_by_label("Your initials").fill("AB")
    page.get_by_label("Choose a passphrase").fill(PASSPHRASE)
    page.get_by_label("Type the passphrase again").fill(PASSPHRASE)
    page.get_by_role("button", name="Make my casebook").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your case")

    page.get_by_role("button", name="Lock").click()
    expect(page.get_by_text("Your casebook is locked.")).to_be_visible()
    assert state.book is None
    page.get_by_label("Passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your case")

    page.get_by_role("link", name="Diary", exact=True).click()
    page.get_by_role("link", name="Write down what happened").click()
    page.wait_for_url("**/diary/new")  # and for the page's scripts, as a person would
    page.get_by_label("When did it happen?").fill("yesterday 18:40")
    page.get_by_label("What happened?").fill("He was waiting outside the station")
    expect(page.get_by_text("Draft saved (encrypted)")).to_be_visible()
    assert state.book is not None
    draft = load_draft(state.book, "incident-new")
    assert draft is not None
    assert draft["what_happened"] == "He was waiting outside the station"
    page.get_by_label("How did it affect you?").fill("I took a taxi home")
    page.get_by_role("button", name="Save this entry").click()
    expect(page.get_by_text("Saved. The time you wrote it is recorded")).to_be_visible()
    expect(page.get_by_text("He was waiting outside the station")).to_be_visible()

    for _ in range(3):
        page.keyboard.press("Escape")
    expect(page).to_have_url(NEUTRAL)
    assert "Safetrail" not in page.title()
    _wait_until_locked(state)
    page.go_back()  # as far back as the browser allows: the lock, never the diary
    expect(page.get_by_role("heading", level=1)).to_have_text("Unlock your casebook")
    expect(page.get_by_text("He was waiting outside the station")).to_have_count(0)
    assert problems == []
    assert set(off_machine) == {NEUTRAL}


def _wait_until_locked(state: AppState) -> None:
    import time

    deadline = time.monotonic() + 5
    while state.book is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert state.book is None, "quick exit did not lock the casebook"


def _note_console(message: ConsoleMessage, problems: list[str]) -> None:
    if message.type in ("error", "warning"):
        problems.append(message.text)


def _note_request(request: Request, origin: str, off_machine: list[str]) -> None:
    if not request.url.startswith(origin + "/"):
        off_machine.append(request.url)


def test_quick_exit_without_javascript(browser: Browser, live_server: LiveServer) -> None:
    state: AppState = live_server.app.state.safetrail
    state.create(PASSPHRASE, "JS", "Europe/London")
    page = launched_page(browser, live_server, java_script_enabled=False)
    try:
        page.route(NEUTRAL + "**", _neutral_site)
        expect(page.get_by_role("heading", level=1)).to_have_text("Your case")
        page.get_by_role("button", name="Quick exit").click()
        expect(page).to_have_url(NEUTRAL)
        assert state.book is None
    finally:
        page.context.close()


CHAT = Path(__file__).parents[1] / "samples" / "whatsapp" / "android_24h_dmy.txt"


def add_the_chat(page: Page, live_server: LiveServer) -> None:
    """Add the sample chat with the file picker, as a person would, and wait for the result."""
    page.goto(live_server.url + "/evidence/add")
    page.set_input_files("#files", str(CHAT))
    page.get_by_role("button", name="Add the files").click()
    page.wait_for_url("**/evidence/added/**")


def test_evidence_by_file_picker_and_by_drag_and_drop(page: Page, live_server: LiveServer) -> None:
    state: AppState = live_server.app.state.safetrail
    state.create(PASSPHRASE, "JS", "Europe/London")
    posted: list[str] = []
    page.on(
        "request",
        lambda r: posted.append(r.resource_type) if r.url.endswith("/evidence/add") else None,
    )
    add_the_chat(page, live_server)
    expect(page.get_by_text("messages or calls read")).to_be_visible()
    assert "xhr" in posted  # sent by uploads.js, with its progress bar

    page.goto(live_server.url + "/evidence/add")
    dropped = page.evaluate_handle(
        "() => { const dt = new DataTransfer();"
        " dt.items.add(new File(['a note'], 'dropped-note.txt', {type: 'text/plain'}));"
        " return dt; }"
    )
    page.dispatch_event("[data-drop-zone]", "drop", {"dataTransfer": dropped})
    assert page.evaluate("document.getElementById('files').files.length") == 1
    page.get_by_label("Just keep the files").check()
    page.get_by_role("button", name="Add the files").click()
    page.wait_for_url("**/evidence/added/**")
    expect(page.get_by_role("heading", name="dropped-note.txt")).to_be_visible()
    assert state.book is not None


def test_an_upload_without_a_file_shows_the_error_with_javascript(
    page: Page, live_server: LiveServer
) -> None:
    state: AppState = live_server.app.state.safetrail
    state.create(PASSPHRASE, "JS", "Europe/London")
    page.goto(live_server.url + "/evidence/add")
    page.get_by_role("button", name="Add the files").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Please choose at least one file.")).to_be_visible()


def test_a_refused_upload_shows_the_servers_page(page: Page, live_server: LiveServer) -> None:
    state: AppState = live_server.app.state.safetrail
    state.create(PASSPHRASE, "JS", "Europe/London")
    page.goto(live_server.url + "/evidence/add")
    page.evaluate("document.querySelector('form[data-upload] [name=csrf_token]').value = 'old'")
    page.set_input_files("#files", str(CHAT))
    page.get_by_role("button", name="Add the files").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Please try that again")
    assert state.book is not None


def test_a_behaviour_the_rules_missed_is_added_from_the_message(
    page: Page, live_server: LiveServer
) -> None:
    state: AppState = live_server.app.state.safetrail
    state.create(PASSPHRASE, "JS", "Europe/London")
    add_the_chat(page, live_server)
    page.goto(live_server.url + "/timeline/record/1")
    page.get_by_label("Add a behaviour you see in it").select_option(label="Following")
    page.get_by_role("button", name="Add it").click()
    page.wait_for_url("**/timeline/record/1")
    expect(page.get_by_text("You added this.")).to_be_visible()
    expect(page.get_by_role("button", name="Take it off")).to_contain_text("Following")
