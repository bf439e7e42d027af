"""The HTML: the same content, self-contained, no script, no request anywhere, escaped."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest
from markupsafe import escape

from safetrail.export.report.html import CSP, render_html
from safetrail.services.evidence import list_evidence
from tests.export.report.case_data import (
    ARABIC,
    EMOJI,
    SCRIPT,
    SECRET,
    SUBJECT_NUMBER,
    THIRD_EMAIL,
    THIRD_NUMBER,
    THREAT,
    TYPST,
)
from tests.export.report.conftest import Rendered

URL_ATTRIBUTES = frozenset({"src", "href", "action", "srcset", "poster", "data", "formaction"})


class _Tags(HTMLParser):
    """Every tag and every attribute that can make a browser fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.targets += [value or "" for name, value in attrs if name in URL_ATTRIBUTES]


def _tags(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def pages(rendered: Rendered) -> tuple[str, str]:
    return render_html(rendered.default), render_html(rendered.everything)


def test_no_external_reference_and_strict_csp(pages: tuple[str, str]) -> None:
    page = pages[0]
    found = _tags(page)
    assert found.targets, "the contents and charts use src/href"
    assert all(t.startswith(("#", "data:image/svg+xml;base64,")) for t in found.targets)
    assert not {"script", "iframe", "object", "embed", "link", "base"} & set(found.tags)
    assert "url(" not in page and "@import" not in page
    assert f'<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}">' in page
    assert "default-src 'none'" in CSP and "script-src" not in CSP


def test_hostile_text_is_escaped(pages: tuple[str, str]) -> None:
    page = pages[0]
    assert SCRIPT not in page
    assert str(escape(SCRIPT)) in page
    assert str(escape(TYPST)) in page
    assert _tags(page).tags.count("img") == 4  # the charts; not the hostile <img>


def test_same_content_as_the_pdf(rendered: Rendered, pages: tuple[str, str]) -> None:
    page = html.unescape(pages[0])
    for entry in rendered.default.chronology:
        assert entry.text in page
    for item in list_evidence(rendered.book):
        assert item.file is not None and item.file.sha256 in page
    for words in (THREAT, ARABIC, EMOJI, "Alex Example", "Private notes are NOT included"):
        assert words in page
    assert page.count('dir="auto"') >= len(rendered.default.chronology)


def test_private_notes_and_numbers(pages: tuple[str, str]) -> None:
    default, everything = (html.unescape(page) for page in pages)
    assert SECRET not in default and THIRD_NUMBER not in default and THIRD_EMAIL not in default
    assert SUBJECT_NUMBER in default and "[number removed]" in default
    assert SECRET in everything and THIRD_NUMBER in everything and THIRD_EMAIL in everything
    assert "Private notes ARE included" in everything
