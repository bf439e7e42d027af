"""Attribute values of SMS Backup & Restore elements: placeholders, addresses, epochs, extras.

The app writes a missing value as the literal text "null" and an unknown contact as "(Unknown)".
Those placeholders are format-level marks: they are left out of `extra` and never become a name.
Message text is never touched here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from safetrail.models.identifiers import try_normalise_phone

NULL_TEXT = "null"
UNKNOWN_CONTACT = "(Unknown)"
INSERT_ADDRESS_TOKEN = "insert-address-token"
GROUP_SEPARATOR = "~"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MAX_EPOCH_DIGITS = 18
_MAX_PHONE_CHARS = 40
_MAX_CACHED_ADDRESS_CHARS = 200
_SECONDS_BELOW = 10**11
"""An epoch under this is in seconds (it would be 1973 in ms, year 5138 in seconds)."""


def present(value: str | None) -> str | None:
    """The value, or None for an absent attribute, an empty one or the "null" placeholder."""
    if value is None or value == NULL_TEXT or not value.strip():
        return None
    return value


def contact_name(value: str | None) -> str | None:
    """The contact's name as found, or None when the app had no contact for the number."""
    name = present(value)
    return None if name is None or name.strip() == UNKNOWN_CONTACT else name


@lru_cache(maxsize=8192)
def _normalised_phone(raw: str) -> str | None:
    return try_normalise_phone(raw)


def normalise_address(raw: str) -> str:
    """E.164 when the address is a phone number; otherwise exactly as found (email, short code)."""
    if len(raw) > _MAX_PHONE_CHARS:
        return raw
    return _normalised_phone(raw) or raw


def split_addresses(raw: str | None) -> tuple[str, ...]:
    """A `~`-joined group address as its members, each normalised, in the order found."""
    value = present(raw)
    if value is None:
        return ()
    if len(value) > _MAX_CACHED_ADDRESS_CHARS:
        return _split(value)
    return _split_cached(value)


def _split(value: str) -> tuple[str, ...]:
    return tuple(normalise_address(part) for part in value.split(GROUP_SEPARATOR) if part.strip())


_split_cached = lru_cache(maxsize=4096)(_split)


def thread_key(members: tuple[str, ...]) -> str | None:
    """The conversation: its members' addresses, normalised, joined as the app joins them."""
    return GROUP_SEPARATOR.join(members) if members else None


def _epoch_value(text: str | None) -> int | None:
    if text is None:
        return None
    digits = text.strip()
    if not (0 < len(digits) <= _MAX_EPOCH_DIGITS and digits.isascii() and digits.isdigit()):
        return None
    return int(digits)


def epoch_ms(text: str | None) -> datetime | None:
    """A millisecond Unix epoch as an aware UTC time; None when it is not one."""
    value = _epoch_value(text)
    if value is None:
        return None
    try:
        return _EPOCH + timedelta(milliseconds=value)
    except OverflowError:
        return None


def epoch_any_unit(text: str | None) -> datetime | None:
    """`date_sent`: ms in <sms>, seconds in <mms> on real devices; told apart by size. 0 = none."""
    value = _epoch_value(text)
    if not value:
        return None
    try:
        if value < _SECONDS_BELOW:
            return _EPOCH + timedelta(seconds=value)
        return _EPOCH + timedelta(milliseconds=value)
    except OverflowError:
        return None


def clip(text: str, limit: int) -> tuple[str, bool]:
    """The text cut to `limit` characters, and whether it was cut."""
    return (text[:limit], True) if len(text) > limit else (text, False)


def attribute_extras(
    attributes: dict[str, str], skip: frozenset[str], limit: int
) -> tuple[list[tuple[str, str]], list[str]]:
    """Every attribute not mapped to a field, as found, except "null"; and the names cut short."""
    extras = [(k, v) for k, v in attributes.items() if v != NULL_TEXT and k not in skip]
    if sum(map(len, attributes.values())) <= limit:
        return extras, []
    cut = [key for key, value in extras if len(value) > limit]
    return [(key, value[:limit]) for key, value in extras], cut


class MeMatcher:
    """Does an address or name belong to the person (options.me)? Phones compare in E.164."""

    def __init__(self, me: Iterable[str]) -> None:
        keys: set[str] = set()
        for value in me:
            keys.add(value.strip().casefold())
            phone = try_normalise_phone(value)
            if phone is not None:
                keys.add(phone)
        self._keys = frozenset(keys)

    def __bool__(self) -> bool:
        return bool(self._keys)

    def matches(self, value: str | None) -> bool:
        if value is None or not self._keys:
            return False
        return value.strip().casefold() in self._keys or normalise_address(value) in self._keys
