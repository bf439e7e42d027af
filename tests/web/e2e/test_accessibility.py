"""axe-core on every page and state of the app, in Debian's Chromium: the first-run pages, a
form with errors, an empty casebook, the locked screen, a casebook with data, and the demo case.
No violation of serious or critical impact is allowed; lesser ones are printed (run with -s).

The tests of this module share one server and run in order (each builds on the last state).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Browser, Page, expect

from tests.conftest import PASSPHRASE
from tests.web.conftest import LiveServer
from tests.web.e2e.conftest import open_page, state
from tests.web.e2e.crawl import SAME_IN_EVERY_STATE, fill_casebook, visit_all

BLOCKING = frozenset({"serious", "critical"})
AXE = Axe()
MINOR: list[str] = []


@pytest.fixture
def page(chromium: Browser, server: LiveServer) -> Iterator[Page]:
    opened, watch = open_page(chromium, server)
    try:
        yield opened
        assert watch.problems() == []
    finally:
        opened.context.close()


@pytest.fixture(scope="module", autouse=True)
def minor_report() -> Iterator[None]:
    yield
    if MINOR:
        print("\naxe: violations of minor or moderate impact:\n" + "\n".join(sorted(set(MINOR))))


def violations(page: Page, where: str) -> list[str]:
    """Serious or critical violations on the page as it is now; lesser ones go to MINOR."""
    found: list[dict[str, Any]] = AXE.run(page).response["violations"]
    blocking: list[str] = []
    for violation in found:
        targets = [str(node["target"]) for node in violation["nodes"]][:3]
        line = f"{where}: {violation['id']} ({violation['impact']}) {', '.join(targets)}"
        (blocking if violation["impact"] in BLOCKING else MINOR).append(line)
    return blocking


def check_every_page(
    page: Page, server: LiveServer, label: str, skip: tuple[str, ...] = SAME_IN_EVERY_STATE
) -> list[str]:
    problems: list[str] = []
    visited = visit_all(
        page, server.url, lambda p: problems.extend(violations(page, label + p)), skip=skip
    )
    assert len(visited) >= 2, visited
    return problems


def submit_empty(page: Page, url: str, button: str) -> list[str]:
    """Open a form, send it empty (or wrong), and check the page that shows the errors."""
    page.goto(url)
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    return violations(page, f"{url} with errors")


def test_first_run_pages(page: Page, server: LiveServer) -> None:
    problems = check_every_page(page, server, "no casebook ")
    problems += submit_empty(page, server.url + "/welcome/create", "Make my casebook")
    assert problems == []


def test_an_empty_casebook(page: Page, server: LiveServer) -> None:
    state(server).create(PASSPHRASE, "AB", "Europe/London")
    problems = check_every_page(page, server, "empty ")
    problems += submit_empty(page, server.url + "/diary/new", "Save this entry")
    # form.submit() skips the upload script, which loses the error page (web-bugs.md 1);
    # axe cannot run on a page with JavaScript off (its promise never settles).
    page.goto(server.url + "/evidence/add")
    page.locator("form[data-upload]").evaluate("form => form.submit()")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    problems += violations(page, "/evidence/add with errors")
    assert problems == []


def test_the_locked_screen(page: Page, server: LiveServer) -> None:
    page.get_by_role("button", name="Lock").click()
    expect(page.get_by_text("Your casebook is locked.")).to_be_visible()
    problems = violations(page, "locked")
    page.get_by_label("Passphrase").fill("not the passphrase at all")
    page.get_by_role("button", name="Unlock").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    problems += violations(page, "unlock with a wrong passphrase")
    assert problems == []


def test_a_casebook_with_data(page: Page, server: LiveServer) -> None:
    fill_casebook(state(server).unlock(PASSPHRASE))
    problems = check_every_page(page, server, "with data ")
    problems += submit_empty(page, server.url + "/safety/risk", "Save my answers")
    page.goto(server.url + "/report")
    page.get_by_label("From").fill("the thirty-second of never")
    page.get_by_role("button", name="Update the preview").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    problems += violations(page, "/report with a date it cannot read")
    assert problems == []


def test_the_demo_case(page: Page, server: LiveServer) -> None:
    state(server).open_demo()
    assert check_every_page(page, server, "demo ") == []
