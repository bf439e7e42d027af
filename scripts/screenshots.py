"""Screenshots of every page of the web app at 360 px and 1280 px wide, into
docs/screenshots/web/ (PNG, full page). Not part of `make test`; run it when pages change and
look at the pictures.

Usage: .venv/bin/python scripts/screenshots.py [--out DIR]

It starts the real app on a free loopback port with a casebook in a temporary folder, fills it
with the test samples (three diary entries, a WhatsApp export, an SMS backup, a photo, a named
person), and walks every page by following the app's own links (as the browser tests do), plus
the welcome, unlock and demo pages. Headless Debian Chromium (/usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import PASSPHRASE  # noqa: E402
from tests.web.conftest import CHROMIUM  # noqa: E402
from tests.web.e2e.conftest import open_page, serve, state  # noqa: E402
from tests.web.e2e.crawl import SAME_IN_EVERY_STATE, fill_casebook, page_paths  # noqa: E402

WIDTHS = (360, 1280)
MAX_BYTES = 250_000
MAX_HEIGHT = 6000  # px of a full-page picture kept; longer pages are cut there


def name_for(label: str, path: str, width: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
    return f"{label}{slug}-{width}.png"


def save_small(png: bytes, target: Path) -> None:
    """Keep each picture under MAX_BYTES: cut very long pages, then fewer colours, then smaller."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    if image.height > MAX_HEIGHT:
        image = image.crop((0, 0, image.width, MAX_HEIGHT))
    for scale in (1.0, 0.75, 0.5, 0.35):
        sized = image.resize((int(image.width * scale), int(image.height * scale)))
        out = io.BytesIO()
        sized.quantize(colors=64).save(out, "PNG", optimize=True)
        if out.tell() <= MAX_BYTES or scale == 0.35:
            target.write_bytes(out.getvalue())
            return


def shoot(page: object, out: Path, label: str, path: str) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        save_small(page.screenshot(full_page=True), out / name_for(label, path, width))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots" / "web")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory() as folder,
        serve(Path(folder) / "casebook") as server,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        page, _ = open_page(browser, server)
        shoot(page, out, "", "/welcome")
        page.goto(server.url + "/welcome/create")
        shoot(page, out, "", "/welcome/create")
        page.get_by_role("button", name="Make my casebook").click()
        shoot(page, out, "errors-", "/welcome/create")
        fill_casebook(state(server).create(PASSPHRASE, "AB", "Europe/London"))
        for path in page_paths(page, server.url):
            shoot(page, out, "", path)
        page.get_by_role("button", name="Lock").click()
        shoot(page, out, "", "/unlock")
        state(server).open_demo()
        page.goto(server.url + "/")
        for path in page_paths(page, server.url, skip=SAME_IN_EVERY_STATE, limit=12):
            shoot(page, out, "demo-", path)
        browser.close()
    sys.stdout.write(f"{len(list(out.glob('*.png')))} screenshots in {out}\n")


if __name__ == "__main__":
    main()
