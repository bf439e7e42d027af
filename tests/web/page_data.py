"""Test data for the page tests: a chat export written and imported, incidents, hostile text."""

from __future__ import annotations

from pathlib import Path

from safetrail.services.casebook import Casebook
from safetrail.services.ingest import IngestOptions, ingest

HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def import_chat(book: Casebook, folder: Path, lines: list[str], name: str = "chat.txt") -> None:
    """Import a WhatsApp-style export: lines like '01/03/2026, 10:00 - Sam: hello'."""
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest(book, path, IngestOptions(date_order="DMY"))


def chat_lines(count: int, sender: str = "Sam", text: str = "message") -> list[str]:
    """`count` messages, one a minute from 1 March 2026 10:00 (count up to 1440 a day)."""
    return [
        f"{1 + n // 1440:02d}/03/2026, {(n % 1440) // 60:02d}:{n % 60:02d} - {sender}: {text} {n}"
        for n in range(count)
    ]
