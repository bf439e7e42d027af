"""The first-time journey of issue 7, in Debian's Chromium, with the mouse and by keyboard only:
make a casebook, log three incidents, import a WhatsApp export and an SMS backup, name the
unknown number as the subject, see the pattern and a chart, answer the risk questions, download
the report and check its hash list, quick exit, and unlock again.

Each journey gets its own server (the casebook is made from nothing). Every step's page must
exist: a missing route fails the journey, naming the step.
"""

from __future__ import annotations

import hashlib
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import PASSPHRASE
from tests.web.conftest import LiveServer, serve
from tests.web.e2e.actors import Actor, Keys, Mouse
from tests.web.e2e.conftest import NEUTRAL, Watch, has_route, open_page, state

SAMPLES = Path(__file__).parents[2] / "samples"
WHATSAPP = SAMPLES / "whatsapp" / "android_24h_dmy.txt"
SMS_BACKUP = SAMPLES / "sms_backup_restore" / "messages.xml"
UNKNOWN_NUMBER = "+447700900456"  # in the SMS backup, with no contact name
SUBJECT_NAME = "Sam Jones"
INCIDENTS = (
    (9, "08:15", "A bunch of flowers was left on my doorstep with no card."),
    (4, "21:00", "He rang eleven times in an hour from a withheld number."),
    (1, "18:40", "He was waiting outside the station when I got off the train."),
)
"""(days ago, time, what happened): typed as a person would, 'dd/mm/yyyy HH:MM'."""


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[LiveServer]:
    with serve(tmp_path / "casebook") as live:
        yield live


@pytest.mark.parametrize("how", ["mouse", "keyboard"])
def test_first_time_journey(
    how: str, chromium: Browser, own_server: LiveServer, tmp_path: Path
) -> None:
    page, watch = open_page(chromium, own_server)
    try:
        actor: Actor = Mouse(page) if how == "mouse" else Keys(page)
        missing = Journey(actor, own_server, watch, tmp_path).run()
        assert watch.problems() == []
        if isinstance(actor, Keys):
            assert actor.tabs > 0
        assert missing == [], "steps whose pages are missing: " + "; ".join(missing)
    finally:
        page.context.close()


class Journey:
    def __init__(self, actor: Actor, server: LiveServer, watch: Watch, downloads: Path) -> None:
        self.actor = actor
        self.page: Page = actor.page
        self.server = server
        self.watch = watch
        self.downloads = downloads
        self.missing: list[str] = []

    def run(self) -> list[str]:
        steps: list[tuple[str, str | None, Callable[[], None]]] = [
            ("create a casebook", None, self.create_casebook),
            ("log three incidents", None, self.log_incidents),
            ("import a WhatsApp export and an SMS backup", None, self.import_exports),
            ("name the unknown number", "/subjects", self.name_subject),
            ("see the pattern and a chart", "/pattern", self.see_pattern),
            ("answer the risk questions", "/safety", self.answer_risk_questions),
            ("download the report and check its hash list", "/report", self.download_report),
            ("quick exit", None, self.quick_exit),
            ("unlock again", None, self.unlock_again),
        ]
        for name, path, step in steps:
            if path is not None and not has_route(self.server, path):
                self.missing.append(f"{name} ({path})")
                continue
            step()
        return self.missing

    # -- helpers -------------------------------------------------------------------------

    def nav(self, label: str) -> None:
        nav = self.page.locator(".govuk-service-navigation")
        self.actor.follow(nav.get_by_role("link", name=label, exact=True))

    def h1(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text()

    # -- steps ---------------------------------------------------------------------------

    def create_casebook(self) -> None:
        page, actor = self.page, self.actor
        expect(page.get_by_role("heading", level=1)).to_have_text("Welcome")
        actor.follow(page.get_by_role("link", name="Make my casebook"))
        actor.fill(page.get_by_label("Your initials"), "AB")
        actor.fill(page.get_by_label("Choose a passphrase"), PASSPHRASE)
        actor.fill(page.get_by_label("Type the passphrase again"), PASSPHRASE)
        actor.press(page.get_by_role("button", name="Make my casebook"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Your case")

    def log_incidents(self) -> None:
        page, actor = self.page, self.actor
        for days_ago, clock, what in INCIDENTS:
            when = f"{date.today() - timedelta(days=days_ago):%d/%m/%Y} {clock}"
            self.nav("Diary")
            actor.follow(page.get_by_role("link", name="Write down what happened"))
            page.wait_for_url("**/diary/new")
            actor.fill(page.get_by_label("When did it happen?"), when)
            actor.fill(page.get_by_label("What happened?"), what)
            actor.tick(page.get_by_label("Hanging around near you"))
            actor.fill(page.get_by_label("How did it affect you?"), "I felt scared.")
            actor.press(page.get_by_role("button", name="Save this entry"))
            expect(page.get_by_text("Saved. The time you wrote it is recorded")).to_be_visible()
            expect(page.get_by_text(what)).to_be_visible()
        self.nav("Diary")
        for _, _, what in INCIDENTS:
            expect(page.get_by_text(what[:30])).to_be_visible()

    def import_exports(self) -> None:
        page, actor = self.page, self.actor
        self.nav("Evidence")
        actor.follow(page.get_by_role("link", name="Add files or exports"))
        actor.attach(page.get_by_label("Choose files"), [WHATSAPP, SMS_BACKUP])
        actor.press(page.get_by_role("button", name="Add the files"))
        expect(page.get_by_role("heading", level=1)).to_have_text("What was added")
        question = page.get_by_role("group", name="How are dates written in this file?")
        if question.count():
            actor.choose(page.get_by_label("Day first").first)
            actor.press(page.get_by_role("button", name="Continue").first)
        for sample in (WHATSAPP, SMS_BACKUP):
            expect(page.get_by_role("heading", name=sample.name)).to_be_visible()
        expect(page.get_by_text("messages or calls read")).to_have_count(2)
        self.nav("Evidence")
        for sample in (WHATSAPP, SMS_BACKUP):  # and the MMS pictures, kept as exhibits
            expect(page.get_by_role("cell", name=sample.name, exact=True)).to_be_visible()

    def name_subject(self) -> None:
        """Add the person, then say the unknown number in the WhatsApp chat is them."""
        page, actor = self.page, self.actor
        self.nav("People")
        actor.follow(page.get_by_role("link", name="Add a person"))
        actor.fill(page.get_by_label("Name", exact=True), SUBJECT_NAME)
        actor.press(page.get_by_role("button", name="Save", exact=True))
        expect(page.get_by_role("heading", name=SUBJECT_NAME)).to_be_visible()
        actor.follow(page.get_by_role("link", name="Say who they are"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Who is this?")
        sender = page.locator("form").filter(
            has=page.get_by_role("group", name=UNKNOWN_NUMBER, exact=True)
        )
        actor.choose(sender.get_by_label(f"This is {SUBJECT_NAME}"))
        actor.press(sender.get_by_role("button", name="Save"))
        expect(page.get_by_role("group", name=UNKNOWN_NUMBER, exact=True)).to_have_count(0)

    def see_pattern(self) -> None:
        page = self.page
        self.nav("Pattern")
        expect(page.get_by_role("heading", level=1)).to_have_text("The pattern")
        expect(page.get_by_role("heading", name=SUBJECT_NAME).first).to_be_visible()
        chart = page.get_by_role("img", name="Chart:").first
        expect(chart).to_be_visible()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
        )

    def answer_risk_questions(self) -> None:
        page, actor = self.page, self.actor
        self.nav("Safety")
        actor.follow(page.get_by_role("link", name="Questions about your safety").first)
        expect(page.get_by_role("heading", level=1)).to_have_text("Questions about your safety")
        groups = page.locator("fieldset")
        answered = min(3, groups.count())
        for index in range(answered):
            actor.choose(groups.nth(index).get_by_label("Yes", exact=True))
        actor.press(page.get_by_role("button", name="Save my answers"))
        page.wait_for_url("**/safety")
        assert answered >= 1

    def download_report(self) -> None:
        page, actor = self.page, self.actor
        self.nav("Report")
        actor.press(page.get_by_role("button", name="Update the preview"))
        expect(page.get_by_role("heading", name="Preview")).to_be_visible()
        button = page.get_by_role("button", name="Download the Evidence bundle (ZIP)")
        with page.expect_download() as downloading:
            actor.press(button)
        saved = self.downloads / "bundle.zip"
        downloading.value.save_as(saved)
        assert check_manifest(saved) >= 5
        pdf = page.get_by_role("button", name=re.compile(r"Download the .*PDF"))
        with page.expect_download() as downloading:
            actor.press(pdf.first)
        assert downloading.value.path().read_bytes().startswith(b"%PDF")

    def quick_exit(self) -> None:
        page = self.page
        if isinstance(self.actor, Keys):
            for _ in range(3):
                page.keyboard.press("Escape")
        else:
            page.get_by_role("button", name="Quick exit").click()
        page.wait_for_url(NEUTRAL)
        assert self.watch.left_for_neutral == 1
        assert "Safetrail" not in page.title()
        deadline = time.monotonic() + 5
        while state(self.server).book is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert state(self.server).book is None, "quick exit did not lock the casebook"

    def unlock_again(self) -> None:
        page, actor = self.page, self.actor
        page.goto(self.server.url + "/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Unlock your casebook")
        actor.fill(page.get_by_label("Passphrase"), PASSPHRASE)
        actor.press(page.get_by_role("button", name="Unlock"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Your case")
        expect(page.get_by_text("Your diary has 3 entries")).to_be_visible()


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_manifest(bundle: Path) -> int:
    """Every line of the bag's manifest-sha256.txt matches its file; returns how many."""
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        manifests = [n for n in names if n.endswith("manifest-sha256.txt")]
        assert manifests, f"no manifest-sha256.txt in {names[:10]}"
        manifest = manifests[0]
        root = manifest[: -len("manifest-sha256.txt")]
        lines = archive.read(manifest).decode("utf-8").splitlines()
        assert lines
        for line in lines:
            digest, _, name = line.partition(" ")
            name = name.strip().lstrip("*")
            assert sha256_of(archive.read(root + name)) == digest, name
        return len(lines)
