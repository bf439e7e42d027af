"""Fingerprints of recipient keys: stable, readable, and different for different keys."""

from __future__ import annotations

import re

import pytest
import segno
from hypothesis import given, settings
from hypothesis import strategies as st

from safetrail.share.age import BadRecipient, new_identity, normalise_recipient
from safetrail.share.fingerprint import (
    QR_PREFIX,
    fingerprint,
    qr_png,
    qr_svg,
    qr_terminal,
    same_fingerprint,
)

FORMAT = re.compile(r"^\d{4}( \d{4}){5}$")
KEYS = [new_identity()[1] for _ in range(40)]


@settings(max_examples=60, deadline=None)
@given(key=st.sampled_from(KEYS), spaces=st.lists(st.integers(0, 61), max_size=4))
def test_fingerprint_is_stable_and_ignores_case_and_spacing(key: str, spaces: list[int]) -> None:
    written = key
    for position in sorted(spaces, reverse=True):
        written = written[:position] + " " + written[position:]
    assert FORMAT.match(fingerprint(key))
    assert fingerprint(written.upper()) == fingerprint(key) == fingerprint(key)
    assert same_fingerprint(fingerprint(key).replace(" ", "-"), key)


@settings(max_examples=60, deadline=None)
@given(pair=st.lists(st.sampled_from(KEYS), min_size=2, max_size=2, unique=True))
def test_different_keys_have_different_fingerprints(pair: list[str]) -> None:
    first, second = pair
    assert fingerprint(first) != fingerprint(second)
    assert not same_fingerprint(fingerprint(first), second)


@given(text=st.text(max_size=80))
def test_anything_else_is_refused(text: str) -> None:
    if text.strip().lower().startswith("age1"):
        return
    with pytest.raises(BadRecipient):
        fingerprint(text)


def test_a_damaged_key_is_refused() -> None:
    key = KEYS[0]
    damaged = key[:-1] + ("q" if key[-1] != "q" else "p")
    with pytest.raises(BadRecipient):
        normalise_recipient(damaged)


def test_qr_codes_hold_the_key() -> None:
    key = KEYS[1]
    svg = qr_svg(key)
    assert svg.startswith("<svg") and "<script" not in svg
    assert qr_png(key).startswith(b"\x89PNG")
    drawn = qr_terminal(key)
    assert len(drawn.splitlines()) > 10
    assert qr_svg(key.upper()) == svg
    assert qr_svg(KEYS[2]) != svg


def test_the_qr_code_encodes_the_prefixed_key() -> None:
    key = KEYS[3]
    expected = segno.make_qr(QR_PREFIX + key, error="m")
    assert expected.designator == segno.make_qr(QR_PREFIX + key.upper().lower()).designator
    drawn = qr_terminal(key)
    assert drawn.count("\n") == (expected.symbol_size(scale=1)[1] + 1) // 2
