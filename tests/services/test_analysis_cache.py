"""The kept analysis: reused while the casebook is unchanged, redone after any logged change."""

from __future__ import annotations

from pathlib import Path

from safetrail.services.analysis_cache import AnalysisCache
from safetrail.services.casebook import Casebook
from safetrail.services.incidents import add_incident
from tests.services.factories import full_incident
from tests.services.test_analysis_service import load


def test_unchanged_casebook_reuses_the_result(book: Casebook, tmp_path: Path) -> None:
    load(book, tmp_path)
    cache = AnalysisCache()
    first = cache.get(book)
    assert cache.get(book) is first
    assert cache.misses == 1


def test_a_new_incident_or_another_jurisdiction_is_analysed_again(
    book: Casebook, tmp_path: Path
) -> None:
    load(book, tmp_path)
    cache = AnalysisCache()
    before = cache.get(book)
    add_incident(book, full_incident())
    after = cache.get(book)
    assert after is not before
    assert sum(after.analysis.overall.frequency.daily.values()) == (
        sum(before.analysis.overall.frequency.daily.values()) + 1
    )
    assert cache.get(book, "scotland") is not after
    assert cache.misses == 3


def test_clear_forgets_the_result(book: Casebook, tmp_path: Path) -> None:
    load(book, tmp_path)
    cache = AnalysisCache()
    first = cache.get(book)
    cache.clear()
    assert cache.get(book) is not first
