"""Walk every page of the running app by following its own links, and fill a casebook with
realistic data through the services (fast, so the browser suites can spend their time on pages).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urlsplit

from safetrail.models.enums import Behaviour, Channel
from safetrail.models.incident import IncidentDetails
from safetrail.models.subject import SubjectDetails
from safetrail.services.casebook import Casebook
from safetrail.services.incidents import add_incident
from safetrail.services.ingest import IngestOptions, ingest
from safetrail.services.subjects import add_subject

if TYPE_CHECKING:
    from playwright.sync_api import Page

SAMPLES = Path(__file__).parents[2] / "samples"
WHATSAPP = SAMPLES / "whatsapp" / "android_24h_dmy.txt"
SMS_BACKUP = SAMPLES / "sms_backup_restore" / "messages.xml"
PHOTO = SAMPLES / "image" / "exif_offset.jpg"

NOT_PAGES = ("/lock", "/exit", "/exited", "/launch", "/static/", "/pattern/chart/")
"""Paths a crawl never opens: they lock, leave, or are not pages (the charts are SVG images)."""
SAME_IN_EVERY_STATE = ("/safety/guide/", "/safety/directory")
"""Pages whose content does not depend on the casebook: checked once, not in every state."""
PER_SHAPE = 2
"""Pages opened per shape of path (/diary/1 and /diary/2 have one shape): enough to see each."""


def shape(path: str) -> str:
    parts = urlsplit(path)
    keys = sorted(k.split("=")[0] for k in parts.query.split("&") if k)
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


def page_paths(
    page: Page, origin: str, start: str = "/", limit: int = 80, skip: tuple[str, ...] = ()
) -> Iterator[str]:
    """Open `start`, then every same-site page its links lead to (breadth first). Yields each
    path once `page` shows it. Downloads, non-HTML answers and paths starting with one of
    `skip` are passed over."""
    queue, seen, shapes = [start], {start}, dict[str, int]()
    opened = 0
    while queue and opened < limit:
        path = queue.pop(0)
        response = page.goto(origin + path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        opened += 1
        hrefs = page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map(a => a.getAttribute('href'))"
        )
        yield path  # the caller may act on the page (and leave it): its links are kept
        for href in hrefs:
            found = _same_site(str(href), origin)
            if found is None or found in seen or found.startswith(NOT_PAGES + skip):
                continue
            seen.add(found)
            key = shape(found)
            if shapes.get(key, 0) < PER_SHAPE:
                shapes[key] = shapes.get(key, 0) + 1
                queue.append(found)


def _same_site(href: str, origin: str) -> str | None:
    href = urldefrag(href)[0]
    if href.startswith(origin):
        href = href[len(origin) :]
    if not href.startswith("/") or href.startswith("//"):
        return None
    return href


def visit_all(
    page: Page,
    origin: str,
    check: Callable[[str], None],
    limit: int = 80,
    skip: tuple[str, ...] = (),
) -> list[str]:
    visited = []
    for path in page_paths(page, origin, limit=limit, skip=skip):
        check(path)
        visited.append(path)
    return visited


def fill_casebook(book: Casebook) -> None:
    """Three diary entries, a WhatsApp export, an SMS backup, a photo, and a named subject."""
    subject = add_subject(
        book,
        SubjectDetails(name="Sam Jones", phones=("+447700900123",), description="An ex-partner"),
    )
    now = datetime.now(UTC).replace(microsecond=0)
    for days, what in (
        (9, "A bunch of flowers was left on my doorstep with no card."),
        (4, "He rang eleven times in an hour from a withheld number."),
        (1, "He was waiting outside the station when I got off the train."),
    ):
        add_incident(
            book,
            IncidentDetails(
                occurred_start=now - timedelta(days=days),
                what_happened=what,
                location="Station Road",
                channel=Channel.IN_PERSON,
                behaviours=(Behaviour.LOITERING, Behaviour.WATCHING_OR_SPYING),
                impact="I felt scared and took a taxi home.",
                feared_violence=True,
                subject_id=subject.id,
            ),
        )
    for path in (WHATSAPP, SMS_BACKUP, PHOTO):
        ingest(book, path, IngestOptions(date_order="DMY"))
