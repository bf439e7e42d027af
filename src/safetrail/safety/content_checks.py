"""Checks shared by the content loaders: a YAML value must have the shape the content needs.

Each loader passes its own error class, so a broken file is reported as that kind of content.
"""

from __future__ import annotations


def mapping(item: object, error: type[ValueError]) -> dict[str, object]:
    if not isinstance(item, dict):
        raise error(f"expected a mapping, found {type(item).__name__}")
    return {str(key): value for key, value in item.items()}


def non_empty_list(data: dict[str, object], key: str, error: type[ValueError]) -> list[object]:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise error(f"{key!r} must be a non-empty list")
    return value


def text(entry: dict[str, object], key: str, where: str, error: type[ValueError]) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise error(f"{where}: {key!r} must be non-empty text")
    return value.strip()
