"""Hostile content in every place a stalker's words or files reach: messages (a WhatsApp export
written here), sender names, subject names, file names, EXIF fields of a photo, incident text,
and search boxes. Every page that shows them is opened in Chromium; no dialog opens, no script
runs (`window.__pwned` stays unset), no request leaves loopback, no CSP violation is reported
(escaped text causes none), and the words are shown as text.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, FilePayload, Page, expect

from safetrail.models.incident import IncidentDetails, Witness
from safetrail.models.subject import SubjectDetails
from safetrail.services.incidents import add_incident
from safetrail.services.subjects import add_subject
from tests.conftest import PASSPHRASE
from tests.web.conftest import LiveServer
from tests.web.e2e.conftest import Watch, open_page, state
from tests.web.e2e.crawl import SAME_IN_EVERY_STATE, visit_all

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "payloads.txt").read_text("utf-8").splitlines()
    if line.strip()
]
MIXED = " ".join(PAYLOADS[:12])
"""Several payloads in one value: for search boxes and single fields."""
EXIF_TAGS = (0x010E, 0x013B, 0x010F, 0x0110, 0x0131, 0x8298)
"""ImageDescription, Artist, Make, Model, Software, Copyright."""
MAX_FILES = 40  # per upload (the app takes 50)


def test_the_corpus_is_big_enough() -> None:
    assert len(PAYLOADS) >= 50
    assert len(set(PAYLOADS)) == len(PAYLOADS)


def whatsapp_chat() -> bytes:
    """An Android export: each payload as a message, and as a sender's name."""
    start = datetime(2024, 3, 1, 8, 0)
    lines = []
    for index, payload in enumerate(PAYLOADS):
        at = start + timedelta(minutes=7 * index)
        lines.append(f"{at:%d/%m/%Y, %H:%M} - +44 7700 900999: {payload}")
        safe_name = payload.replace(": ", " ").replace("\n", " ")
        lines.append(f"{at:%d/%m/%Y, %H:%M} - {safe_name}: message {index}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def photo_with_exif() -> bytes:
    image = Image.new("RGB", (32, 24), (200, 30, 30))
    exif = Image.Exif()
    ascii_payloads = [p for p in PAYLOADS if p.isascii()]
    for tag, payload in zip(EXIF_TAGS, ascii_payloads, strict=False):
        exif[tag] = payload
    exif[0x0132] = "2024:03:02 10:00:00"  # DateTime
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def uploads() -> list[list[FilePayload]]:
    files: list[FilePayload] = [
        {"name": PAYLOADS[3][:60] + ".txt", "mimeType": "text/plain", "buffer": whatsapp_chat()},
        {"name": PAYLOADS[8][:60] + ".jpg", "mimeType": "image/jpeg", "buffer": photo_with_exif()},
    ]
    for payload in PAYLOADS:
        files.append(
            {"name": payload[:120], "mimeType": "text/html", "buffer": payload.encode("utf-8")}
        )
    return [files[i : i + MAX_FILES] for i in range(0, len(files), MAX_FILES)]


@pytest.fixture(scope="module")
def hostile(server: LiveServer) -> LiveServer:
    """A casebook with a subject and an incident for each payload (through the services)."""
    book = state(server).create(PASSPHRASE, "AB", "Europe/London")
    now = datetime.now(UTC).replace(microsecond=0)
    for index, payload in enumerate(PAYLOADS):
        subject = add_subject(
            book, SubjectDetails(name=payload, handles=(payload,), description=payload)
        )
        add_incident(
            book,
            IncidentDetails(
                occurred_start=now - timedelta(hours=index + 1),
                what_happened=payload,
                location=payload,
                impact=payload,
                changes_made=payload,
                witnesses=(Witness(name=payload, contact=payload),),
                subject_id=subject.id,
                private_notes=payload,
            ),
        )
    return server


@pytest.fixture
def watched(chromium: Browser, hostile: LiveServer) -> Iterator[tuple[Page, Watch]]:
    page, watch = open_page(chromium, hostile)
    try:
        yield page, watch
    finally:
        page.context.close()


def assert_untouched(page: Page, watch: Watch, where: str) -> None:
    assert page.evaluate("() => window.__pwned") is None, f"a payload ran on {where}"
    assert watch.problems() == [], where


def test_hostile_files_are_added_and_shown_as_text(watched: tuple[Page, Watch]) -> None:
    page, watch = watched
    for batch in uploads():
        page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2] + "/evidence/add")
        page.get_by_label("Choose files").set_input_files(batch)
        page.get_by_role("button", name="Add the files").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("What was added")
        assert_untouched(page, watch, "the import summary")
        shown = page.inner_text("main")
        assert "script>" in shown  # file names appear, as text
    page.get_by_role("link", name="See all your evidence").click()
    assert_untouched(page, watch, "the evidence list")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your evidence")
    assert page.locator("tbody tr").count() > len(PAYLOADS)


def test_hostile_words_typed_into_the_forms(
    watched: tuple[Page, Watch], hostile: LiveServer
) -> None:
    page, watch = watched
    page.goto(hostile.url + "/diary/new")
    page.get_by_label("When did it happen?").fill("01/03/2024 10:00")
    page.get_by_label("What happened?").fill(MIXED)
    page.get_by_label("Where?").fill(PAYLOADS[6])
    page.get_by_role("button", name="Save this entry").click()
    expect(page.get_by_text("Saved. The time you wrote it is recorded")).to_be_visible()
    assert PAYLOADS[0] in page.inner_text("main")
    assert_untouched(page, watch, "a diary entry")
    page.goto(hostile.url + "/subjects/new")
    page.get_by_label("Name", exact=True).fill(PAYLOADS[4])
    page.get_by_label("Description").fill(MIXED)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name=PAYLOADS[4], exact=True)).to_have_count(2)
    assert_untouched(page, watch, "the people page")


def test_every_page_that_shows_them(watched: tuple[Page, Watch], hostile: LiveServer) -> None:
    page, watch = watched
    page.set_default_navigation_timeout(90_000)  # /pattern draws charts for 66 people

    def check(path: str) -> None:
        assert_untouched(page, watch, path)
        search_with_payloads(page)
        assert_untouched(page, watch, path + " searched")

    visited = visit_all(page, hostile.url, check, limit=150, skip=SAME_IN_EVERY_STATE)
    for must in ("/diary", "/subjects", "/timeline", "/evidence"):
        assert must in visited, must
    assert any(p.startswith("/timeline/record/") for p in visited), visited
    page.goto(hostile.url + "/subjects/unknown")  # the senders, named by the payloads
    assert_untouched(page, watch, "/subjects/unknown")
    for path in ("/diary", "/subjects", "/timeline"):
        page.goto(hostile.url + path)
        assert PAYLOADS[0] in page.inner_text("main"), path


def search_with_payloads(page: Page) -> None:
    """Reflected input: fill each search (GET) form's text boxes with payloads and send it."""
    forms = page.locator('main form[method="get"]')
    if not forms.count():
        return
    form = forms.first
    boxes = form.locator('input[type="text"], input[type="search"], input:not([type])')
    if not boxes.count():
        return
    for index in range(boxes.count()):
        boxes.nth(index).fill(MIXED)
    boxes.first.press("Enter")
    page.wait_for_load_state()
