"""Guidance pages kept as data: one Markdown file with YAML front matter per topic and jurisdiction.

Every page must name its sources and the date it was last reviewed. A page that does not is
refused when loaded, so unsourced guidance can never reach the person using Safetrail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

JURISDICTIONS: tuple[str, ...] = ("england-wales", "scotland", "northern-ireland")
DEFAULT_JURISDICTION = "england-wales"
TOPICS: tuple[str, ...] = (
    "what-is-stalking",
    "forms",
    "types",
    "the-law",
    "diary-and-evidence",
    "contacting-police",
    "what-happens-next",
)
JURISDICTION_NAMES: dict[str, str] = {
    "england-wales": "England and Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}

_FRONT_MATTER = re.compile(r"\A---\n(?P<meta>.*?)\n---\n(?P<body>.*)\Z", re.DOTALL)
_URL = re.compile(r"\Ahttps?://\S+\Z")


class GuideError(ValueError):
    """A guidance page is missing, malformed, or lacks its sources or review date."""


@dataclass(frozen=True, slots=True)
class Source:
    title: str
    url: str
    what: str


@dataclass(frozen=True, slots=True)
class GuidePage:
    title: str
    topic: str
    jurisdiction: str
    summary: str
    reviewed: date
    sources: tuple[Source, ...]
    body: str


def guide_root() -> Traversable:
    """The folder of guidance pages shipped inside the package."""
    return resources.files("safetrail.safety").joinpath("content", "guide")


def list_topics() -> tuple[str, ...]:
    return TOPICS


def check_jurisdiction(jurisdiction: str) -> str:
    if jurisdiction not in JURISDICTIONS:
        raise GuideError(
            f"unknown jurisdiction {jurisdiction!r}; choose one of {', '.join(JURISDICTIONS)}"
        )
    return jurisdiction


def load_page(
    topic: str,
    jurisdiction: str = DEFAULT_JURISDICTION,
    root: Traversable | Path | None = None,
) -> GuidePage:
    """Load and check one page. Raises GuideError if it is missing or unsourced."""
    check_jurisdiction(jurisdiction)
    if topic not in TOPICS:
        raise GuideError(f"unknown topic {topic!r}; choose one of {', '.join(TOPICS)}")
    base = guide_root() if root is None else root
    page_file = base.joinpath(jurisdiction, f"{topic}.md")
    if not page_file.is_file():
        raise GuideError(f"no page for {topic!r} in {jurisdiction!r}")
    origin = f"{jurisdiction}/{topic}.md"
    page = parse_page(page_file.read_text(encoding="utf-8"), origin)
    if page.topic != topic or page.jurisdiction != jurisdiction:
        raise GuideError(f"{origin}: front matter names {page.jurisdiction}/{page.topic}")
    return page


def load_all(root: Traversable | Path | None = None) -> list[GuidePage]:
    return [
        load_page(topic, jurisdiction, root) for jurisdiction in JURISDICTIONS for topic in TOPICS
    ]


def validate_content(root: Traversable | Path | None = None) -> list[str]:
    """Every problem found across all pages; an empty list means the content is sound."""
    problems: list[str] = []
    for jurisdiction in JURISDICTIONS:
        for topic in TOPICS:
            try:
                load_page(topic, jurisdiction, root)
            except GuideError as error:
                problems.append(str(error))
    return problems


def parse_page(text: str, origin: str) -> GuidePage:
    import yaml

    match = _FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if match is None:
        raise GuideError(f"{origin}: no YAML front matter between '---' lines")
    try:
        meta = yaml.safe_load(match["meta"])
    except yaml.YAMLError as error:
        raise GuideError(f"{origin}: front matter is not valid YAML ({error})") from error
    if not isinstance(meta, dict):
        raise GuideError(f"{origin}: front matter must be a mapping")
    body = match["body"].strip()
    if not body:
        raise GuideError(f"{origin}: the page has no text")
    return GuidePage(
        title=_text(meta, "title", origin),
        topic=_text(meta, "topic", origin),
        jurisdiction=_text(meta, "jurisdiction", origin),
        summary=_text(meta, "summary", origin),
        reviewed=_review_date(meta.get("reviewed"), origin),
        sources=_sources(meta.get("sources"), origin),
        body=body,
    )


def _text(meta: dict[object, object], key: str, origin: str) -> str:
    value = meta.get(key)
    if not isinstance(value, str) or not value.strip():
        raise GuideError(f"{origin}: {key!r} must be non-empty text")
    return value.strip()


def _review_date(value: object, origin: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise GuideError(f"{origin}: 'reviewed' must be a date written YYYY-MM-DD")


def _sources(value: object, origin: str) -> tuple[Source, ...]:
    if not isinstance(value, list) or not value:
        raise GuideError(f"{origin}: every page needs at least one source")
    sources = tuple(_source(item, origin) for item in value)
    return sources


def _source(item: object, origin: str) -> Source:
    if not isinstance(item, dict):
        raise GuideError(f"{origin}: each source needs a title, url and what")
    source = Source(
        title=_text(item, "title", origin),
        url=_text(item, "url", origin),
        what=_text(item, "what", origin),
    )
    if not _URL.match(source.url):
        raise GuideError(f"{origin}: source url {source.url!r} is not a web address")
    return source


def page_to_dict(page: GuidePage) -> dict[str, object]:
    return {
        "title": page.title,
        "topic": page.topic,
        "jurisdiction": page.jurisdiction,
        "summary": page.summary,
        "reviewed": page.reviewed.isoformat(),
        "sources": [
            {"title": source.title, "url": source.url, "what": source.what}
            for source in page.sources
        ],
        "body": page.body,
    }
