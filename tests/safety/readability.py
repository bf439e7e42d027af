"""Shared reading-ease check for content tests (textstat 0.7.3, offline)."""

from __future__ import annotations

import textstat

MIN_READING_EASE = 60.0


def reading_ease(text: str) -> float:
    score: float = textstat.flesch_reading_ease(text)
    return score
