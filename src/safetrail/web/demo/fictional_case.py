"""A made-up case for the demo. Every person, place and message here is fictional."""

from __future__ import annotations

from safetrail.services.casebook import Casebook


def fill(book: Casebook) -> None:
    """Add the fictional incidents, subject and messages to a fresh demo casebook."""
