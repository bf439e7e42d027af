"""Drafts of web forms: kept in the encrypted database, replaced, bounded, and discarded."""

from __future__ import annotations

import pytest

from safetrail.services.casebook import Casebook
from safetrail.services.drafts import MAX_VALUE, discard_draft, load_draft, save_draft
from safetrail.services.errors import InvalidInput

MARKER = "ZQX-draft-marker-6613"


def test_a_draft_is_saved_replaced_and_discarded(book: Casebook) -> None:
    assert load_draft(book, "incident-new") is None
    save_draft(book, "incident-new", {"what_happened": "first"})
    save_draft(book, "incident-new", {"what_happened": "second", "impact": "tired"})
    assert load_draft(book, "incident-new") == {"what_happened": "second", "impact": "tired"}
    discard_draft(book, "incident-new")
    assert load_draft(book, "incident-new") is None


def test_drafts_are_kept_apart_by_key(book: Casebook) -> None:
    save_draft(book, "incident-new", {"a": "1"})
    save_draft(book, "incident-4", {"a": "2"})
    assert load_draft(book, "incident-4") == {"a": "2"}
    assert load_draft(book, "incident-new") == {"a": "1"}


def test_a_draft_is_bounded(book: Casebook) -> None:
    save_draft(book, "incident-new", {"long": "x" * (MAX_VALUE + 10)})
    draft = load_draft(book, "incident-new")
    assert draft is not None
    assert len(draft["long"]) == MAX_VALUE


@pytest.mark.parametrize("key", ["", "../x", "Incident", "a" * 65, "x y"])
def test_odd_keys_are_refused(book: Casebook, key: str) -> None:
    with pytest.raises(InvalidInput):
        save_draft(book, key, {})


def test_a_draft_never_reaches_the_disk_in_plain_text(book: Casebook) -> None:
    save_draft(book, "incident-new", {"what_happened": MARKER})
    with book.read() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")
    found = [
        path
        for path in book.root.rglob("*")
        if path.is_file()
        and (
            MARKER.encode() in path.read_bytes() or MARKER.encode("utf-16-le") in path.read_bytes()
        )
    ]
    assert found == []
    assert load_draft(book, "incident-new") == {"what_happened": MARKER}


def test_drafts_leave_no_custody_entry(book: Casebook) -> None:
    from safetrail.storage import repository

    with book.read() as conn:
        before = repository.last_head(conn)
    save_draft(book, "incident-new", {"a": "b"})
    with book.read() as conn:
        assert repository.last_head(conn) == before
