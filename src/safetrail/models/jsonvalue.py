"""JSON-shaped values and the one canonical encoding used for hashing."""

from __future__ import annotations

import json
from typing import TypeAlias

JsonValue: TypeAlias = "str | int | float | bool | list[JsonValue] | dict[str, JsonValue] | None"
JsonObject: TypeAlias = dict[str, JsonValue]


def canonical_json(value: JsonValue) -> str:
    """Sorted keys, no spaces, UTF-8 kept: the same value always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def as_object(value: JsonValue) -> JsonObject:
    if not isinstance(value, dict):
        raise ValueError("expected a JSON object")
    return value


def str_list(value: JsonValue) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("expected a list of strings")
    return tuple(str(v) for v in value)


def opt_str(value: JsonValue) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise ValueError("expected a string")
