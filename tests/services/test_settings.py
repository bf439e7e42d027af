"""Casebook settings (time zone, jurisdiction), dismissed senders and the passphrase check."""

from __future__ import annotations

import pytest

from safetrail.services.casebook import Casebook
from safetrail.services.errors import InvalidInput
from safetrail.services.settings import (
    change_settings,
    dismiss_sender,
    dismissed_senders,
    passphrase_opens,
)
from safetrail.services.verify import verify_casebook
from tests.conftest import PASSPHRASE


def test_change_the_time_zone_and_jurisdiction(book: Casebook) -> None:
    changed = change_settings(book, "America/New_York", "northern-ireland")
    assert changed == {"timezone": "America/New_York", "jurisdiction": "northern-ireland"}
    assert book.setting("timezone") == "America/New_York"
    assert book.setting("jurisdiction") == "northern-ireland"
    assert verify_casebook(book).problems == []


def test_nothing_is_logged_when_nothing_changes(book: Casebook) -> None:
    assert change_settings(book, book.setting("timezone"), book.setting("jurisdiction")) == {}


@pytest.mark.parametrize(
    ("timezone", "jurisdiction"), [("Nowhere/Land", None), (None, "atlantis"), ("", None)]
)
def test_unknown_values_are_refused(
    book: Casebook, timezone: str | None, jurisdiction: str | None
) -> None:
    with pytest.raises(InvalidInput):
        change_settings(book, timezone, jurisdiction)
    assert book.setting("jurisdiction") == "england-wales"


def test_dismissed_senders_are_remembered(book: Casebook) -> None:
    assert dismissed_senders(book) == frozenset()
    dismiss_sender(book, "name:sam")
    dismiss_sender(book, "+447700900123")
    dismiss_sender(book, "name:sam")
    assert dismissed_senders(book) == {"name:sam", "+447700900123"}
    with pytest.raises(InvalidInput):
        dismiss_sender(book, "")


def test_the_passphrase_check(book: Casebook) -> None:
    assert passphrase_opens(book, PASSPHRASE)
    assert not passphrase_opens(book, PASSPHRASE + " ")
