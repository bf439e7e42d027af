"""The web leak scan (issue 9): the first-time journey in Chromium, with marker strings planted
in the diary, a WhatsApp export, an SMS backup, a picture's EXIF and the subject's name, then a
search for those markers everywhere the run wrote in plaintext.

Scanned, after the browser is closed and the server stopped: the casebook folder and the folder
around it (downloads are staged beside the casebook, then deleted), the temp folder
the server and browser were given (TMPDIR and `tempfile.tempdir`), the browser's persistent
profile (disk cache, session storage, history), and everything printed or logged meanwhile.
Not scanned: the downloads folder, where the person chose to save an unencrypted export (the
evidence bundle and the PDF report hold the markers on purpose), and the folder holding the files
the test imports (they are the person's own copies).
"""

from __future__ import annotations

import io
import logging
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Playwright, expect

import tests.web.e2e.test_journey as journey
from tests.reliability.leakscan import scan
from tests.web.conftest import CHROMIUM, serve
from tests.web.e2e.actors import Mouse
from tests.web.e2e.conftest import watch_page

MARKERS = {
    "diary": "ZQW-diary-marker-5521",
    "chat": "ZQW-chat-marker-1184",
    "sms": "ZQW-sms-marker-6630",
    "exif": "ZQW-exif-marker-9042",
    "subject": "Zqwsubjectmarker",
}
SMS_LINE = "If you come to my work again I will call the police"


def _exports(folder: Path) -> tuple[Path, Path, Path]:
    """The journey's samples with markers planted, under their own names, and a picture."""
    chat = folder / journey.WHATSAPP.name
    text = journey.WHATSAPP.read_text(encoding="utf-8")
    chat.write_text(text.replace("Please stop messaging me.", MARKERS["chat"]), encoding="utf-8")
    sms = folder / journey.SMS_BACKUP.name
    backup = journey.SMS_BACKUP.read_text(encoding="utf-8")
    assert SMS_LINE in backup
    # Over Starlette's 1 MiB in-memory limit, so the upload is spooled to the temp folder.
    padding = f"<!-- {'padding ' * 160_000} -->\n"
    planted = backup.replace(SMS_LINE, MARKERS["sms"]).replace("</smses>", padding + "</smses>", 1)
    sms.write_text(planted, encoding="utf-8")
    assert sms.stat().st_size > 1 << 20 and padding in planted
    picture = folder / "doorstep.jpg"
    exif = Image.Exif()
    exif[0x010E] = MARKERS["exif"]  # ImageDescription
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, "JPEG", exif=exif.tobytes())
    picture.write_bytes(buffer.getvalue())
    assert MARKERS["exif"].encode() in picture.read_bytes()
    return chat, sms, picture


class LeakJourney(journey.Journey):
    """The mouse journey, plus a picture added after the two exports."""

    picture: Path

    def import_exports(self) -> None:
        super().import_exports()
        page, actor = self.page, self.actor
        self.nav("Evidence")
        actor.follow(page.get_by_role("link", name="Add files or exports"))
        actor.attach(page.get_by_label("Choose files"), [self.picture])
        actor.press(page.get_by_role("button", name="Add the files"))
        expect(page.get_by_role("heading", level=1)).to_have_text("What was added")
        self.nav("Evidence")
        expect(page.get_by_role("cell", name=self.picture.name, exact=True)).to_be_visible()


@pytest.fixture
def owned_temp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temp folder the test owns, for the server (uploads spool there) and the browser.

    A short path: Chromium's profile lock is a Unix socket under TMPDIR, and those are limited
    to about 100 characters (pytest's tmp_path is too deep).
    """
    folder = Path(tempfile.mkdtemp(prefix="leakweb-"))
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_web_journey_leaves_no_plaintext(
    playwright: Playwright,
    tmp_path: Path,
    owned_temp: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    mine, profile, downloads = tmp_path / "mine", tmp_path / "profile", tmp_path / "downloads"
    for folder in (mine, profile, downloads):
        folder.mkdir()
    chat, sms, picture = _exports(mine)
    monkeypatch.setattr(journey, "WHATSAPP", chat)
    monkeypatch.setattr(journey, "SMS_BACKUP", sms)
    monkeypatch.setattr(journey, "SUBJECT_NAME", f"{MARKERS['subject']} Jones")
    planted = tuple((d, t, f"{what} {MARKERS['diary']}") for d, t, what in journey.INCIDENTS)
    monkeypatch.setattr(journey, "INCIDENTS", planted)

    made: list[Path] = []
    mkdtemp = tempfile.mkdtemp

    def spy(*args: Any, **kwargs: Any) -> str:
        made.append(Path(mkdtemp(*args, **kwargs)))
        return str(made[-1])

    monkeypatch.setattr(tempfile, "mkdtemp", spy)
    casebook = tmp_path / "casebook"
    with serve(casebook) as live:
        context = playwright.chromium.launch_persistent_context(
            user_data_dir=str(profile),
            executable_path=CHROMIUM,
            headless=True,
            downloads_path=str(downloads),
            viewport={"width": 1280, "height": 900},
        )
        try:
            page, watch = watch_page(context, live)
            run = LeakJourney(Mouse(page), live, watch, downloads)
            run.picture = picture
            missing = run.run()
            assert watch.problems() == []
        finally:
            context.close()

    assert any(owned_temp in folder.parents for folder in made), "uploads went elsewhere"
    printed = capfd.readouterr()
    output = {"stdout": printed.out, "stderr": printed.err, "log": caplog.text}
    sessions = profile / "Default" / "Sessions"
    assert any(sessions.iterdir()), "the browser profile was not written where the test said"
    # tmp_path holds the casebook folder, the profile and the downloads' staging folders.
    leaks = scan(MARKERS, [tmp_path, owned_temp], output, exclude=[downloads, mine])
    assert not leaks, "\n".join(str(leak) for leak in leaks)
    assert scan(MARKERS, [downloads]), (
        "the markers never reached the pages: the scan proves nothing"
    )
    assert missing == [], "steps whose pages are missing: " + "; ".join(missing)
