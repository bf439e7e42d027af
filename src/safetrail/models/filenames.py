"""File names written by someone else are data: make them safe before they become paths."""

from __future__ import annotations

import unicodedata

MAX_NAME_CHARS = 180


def safe_filename(name: str, fallback: str) -> str:
    """One path component with no separators, control or direction-changing characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(
        ch for ch in base if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    cleaned = cleaned.strip().lstrip(".").strip()
    if not cleaned:
        cleaned = fallback.replace("/", "-")
    return cleaned[:MAX_NAME_CHARS]
