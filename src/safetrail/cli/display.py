"""Showing text in a terminal when that text may have been written by the person causing harm.

Control characters and direction-changing marks could rewrite the screen or disguise text, so
they are shown as visible escapes instead of being passed to the terminal.
"""

from __future__ import annotations

import json
import unicodedata

import click

_KEEP = {"\n", "\t"}


def inert(text: str) -> str:
    out: list[str] = []
    for ch in text:
        if ch in _KEEP:
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co"):
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)


def line(text: str) -> str:
    """One line: newlines shown as spaces too."""
    return inert(text).replace("\n", " ").replace("\t", " ")


def echo_json(value: object) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False))


def field(label: str, value: str, width: int = 18) -> None:
    if value:
        body = inert(value).replace("\n", "\n" + " " * (width + 2))
        click.echo(f"{label:<{width}}  {body}")
