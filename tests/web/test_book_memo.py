"""The memo of slow reads: kept while the case is unchanged, dropped when anything changes."""

from __future__ import annotations

from safetrail.models.subject import SubjectDetails
from safetrail.services.casebook import Casebook
from safetrail.services.subjects import add_subject
from safetrail.web.book_memo import BookMemo, log_head


def test_a_value_is_made_once_while_nothing_changes(book: Casebook) -> None:
    memo = BookMemo()
    made: list[int] = []

    def make() -> int:
        made.append(1)
        return len(made)

    assert memo.get(book, "count", make) == 1
    assert memo.get(book, "count", make) == 1
    assert memo.get(book, "other", make) == 2
    assert len(made) == 2


def test_any_change_to_the_case_drops_every_value(book: Casebook) -> None:
    memo = BookMemo()
    before = log_head(book)
    assert memo.get(book, "names", lambda: "before") == "before"
    add_subject(book, SubjectDetails(name="Alex"))
    assert log_head(book) > before
    assert memo.get(book, "names", lambda: "after") == "after"


def test_clear_forgets_everything(book: Casebook) -> None:
    memo = BookMemo()
    memo.get(book, "names", lambda: "kept")
    memo.clear()
    assert memo.get(book, "names", lambda: "new") == "new"
