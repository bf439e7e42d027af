from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from safetrail.safety.guide import (
    JURISDICTIONS,
    TOPICS,
    GuideError,
    guide_root,
    list_topics,
    load_all,
    load_page,
    parse_page,
    validate_content,
)
from tests.safety.readability import MIN_READING_EASE, reading_ease

GOOD_PAGE = """---
title: A page
topic: forms
jurisdiction: england-wales
summary: A short summary.
reviewed: 2026-01-02
sources:
  - title: A source
    url: https://example.org/a
    what: What it supports.
---

## Heading

Some text.
"""


def test_every_jurisdiction_has_every_topic() -> None:
    for jurisdiction in JURISDICTIONS:
        for topic in TOPICS:
            assert guide_root().joinpath(jurisdiction, f"{topic}.md").is_file(), (
                jurisdiction,
                topic,
            )


def test_shipped_content_validates() -> None:
    assert validate_content() == []


def test_every_page_has_sources_and_a_review_date() -> None:
    pages = load_all()
    assert len(pages) == len(JURISDICTIONS) * len(TOPICS)
    for page in pages:
        assert page.sources, page.topic
        assert all(s.url.startswith(("https://", "http://")) and s.what for s in page.sources)
        assert isinstance(page.reviewed, date)
        assert page.reviewed <= date.today()


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
@pytest.mark.parametrize("topic", TOPICS)
def test_page_body_is_easy_to_read(topic: str, jurisdiction: str) -> None:
    page = load_page(topic, jurisdiction)
    assert reading_ease(page.body) >= MIN_READING_EASE


def test_default_jurisdiction_is_england_and_wales() -> None:
    assert load_page("the-law").jurisdiction == "england-wales"


def test_list_topics_is_the_fixed_order() -> None:
    assert list_topics()[0] == "what-is-stalking"
    assert set(list_topics()) == set(TOPICS)


def test_law_pages_say_information_not_advice_and_point_to_help() -> None:
    for jurisdiction in JURISDICTIONS:
        body = load_page("the-law", jurisdiction).body
        assert "not legal advice" in body
        assert "National Stalking Helpline" in body


def test_types_pages_never_label_the_person() -> None:
    body = load_page("types").body
    assert "Some people who stalk" in body
    assert "never sort" in body


def test_contacting_police_covers_999_55_and_101() -> None:
    for jurisdiction in JURISDICTIONS:
        body = load_page("contacting-police", jurisdiction).body
        for needed in ("999", "55", "101", "do not need evidence"):
            assert needed in body


def _write_page(root: Path, text: str) -> None:
    folder = root / "england-wales"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "forms.md").write_text(text, encoding="utf-8")


def test_loader_accepts_a_good_temporary_page(tmp_path: Path) -> None:
    _write_page(tmp_path, GOOD_PAGE)
    page = load_page("forms", "england-wales", root=tmp_path)
    assert page.reviewed == date(2026, 1, 2)
    assert page.sources[0].url == "https://example.org/a"


def test_loader_rejects_a_page_without_sources(tmp_path: Path) -> None:
    bad = GOOD_PAGE.split("sources:", maxsplit=1)[0] + "---\n\nText.\n"
    _write_page(tmp_path, bad)
    with pytest.raises(GuideError, match="source"):
        load_page("forms", "england-wales", root=tmp_path)


def test_loader_rejects_an_empty_source_list(tmp_path: Path) -> None:
    source_block = GOOD_PAGE[GOOD_PAGE.index("sources:") : GOOD_PAGE.index("---\n\n")]
    bad = GOOD_PAGE.replace(source_block, "sources: []\n")
    _write_page(tmp_path, bad)
    with pytest.raises(GuideError, match="source"):
        load_page("forms", "england-wales", root=tmp_path)


def test_loader_rejects_a_page_without_a_review_date(tmp_path: Path) -> None:
    _write_page(tmp_path, GOOD_PAGE.replace("reviewed: 2026-01-02\n", ""))
    with pytest.raises(GuideError, match="reviewed"):
        load_page("forms", "england-wales", root=tmp_path)


def test_loader_rejects_a_source_without_a_url() -> None:
    with pytest.raises(GuideError, match="url"):
        parse_page(GOOD_PAGE.replace("    url: https://example.org/a\n", ""), "test")


def test_loader_rejects_a_page_filed_under_the_wrong_topic(tmp_path: Path) -> None:
    _write_page(tmp_path, GOOD_PAGE.replace("topic: forms", "topic: types"))
    with pytest.raises(GuideError, match="front matter names"):
        load_page("forms", "england-wales", root=tmp_path)


def test_validate_content_reports_missing_pages(tmp_path: Path) -> None:
    _write_page(tmp_path, GOOD_PAGE)
    problems = validate_content(root=tmp_path)
    assert len(problems) == len(JURISDICTIONS) * len(TOPICS) - 1


def test_unknown_topic_and_jurisdiction_are_refused() -> None:
    with pytest.raises(GuideError):
        load_page("nope")
    with pytest.raises(GuideError):
        load_page("forms", "wales")
