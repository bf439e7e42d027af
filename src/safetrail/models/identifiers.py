"""Normalising the ways a person can be identified: phone numbers, emails, handles."""

from __future__ import annotations

import phonenumbers

DEFAULT_REGION = "GB"


class IdentifierError(ValueError):
    """An identifier could not be understood."""


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """Return the number in E.164 form (+447700900123), or raise IdentifierError."""
    text = raw.strip()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise IdentifierError(f"{text!r} does not look like a phone number") from exc
    if not phonenumbers.is_possible_number(number):
        raise IdentifierError(f"{text!r} does not look like a complete phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def try_normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """E.164 form when the text is a possible phone number, otherwise None."""
    try:
        return normalise_phone(raw, region)
    except IdentifierError:
        return None


def normalise_email(raw: str) -> str:
    text = raw.strip()
    local, at, domain = text.rpartition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in text):
        raise IdentifierError(f"{text!r} does not look like an email address")
    return f"{local}@{domain.lower()}"


def normalise_handle(raw: str) -> str:
    text = raw.strip()
    if not text:
        raise IdentifierError("a handle cannot be empty")
    return text
