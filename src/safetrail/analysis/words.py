"""Plain words for dates and behaviour names, the same everywhere Safetrail shows them.

Dates are written out ("12 March 2026") without the locale, so they read the same on every
computer and cannot be mistaken for the American day/month order.
"""

from __future__ import annotations

from datetime import date, datetime

from safetrail.analysis.model import Tag

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def plain_date(value: datetime | date) -> str:
    """'12 March 2026': no leading zero, no numeric-only dates that read differently abroad."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def label(tag: Tag) -> str:
    """'Watching or spying': a tag as a sentence would start it."""
    return label_text(tag.value).capitalize()


def label_text(name: str) -> str:
    """'watching or spying': a tag or channel name with spaces."""
    return name.replace("_", " ")
