"""A forensic timeline for tools: JSON Lines that Timesketch (and plaso users) can ingest.

Each line has Timesketch's three required fields, `message`, `datetime` (ISO 8601 with the
offset) and `timestamp_desc`, and Safetrail's own `safetrail_entry`, `channel`, `tags`, `exhibit`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from safetrail.export.selection import (
    Selection,
    casebook_zone,
    entry_ref,
    is_record,
    redact,
    selected_entries,
    subject_identifiers,
)
from safetrail.models.jsonvalue import JsonObject
from safetrail.services.casebook import Casebook
from safetrail.services.timeline import TimelineEntry
from safetrail.storage.schema import records
from safetrail.vault.atomic import atomic_output

_CHUNK = 900


@dataclass(frozen=True, slots=True)
class TimesketchExport:
    written: int
    left_out_untimed: int


def timestamp_desc(entry: TimelineEntry, direction: str | None) -> str:
    """What the time of an entry means, in Timesketch's words."""
    if entry.kind == "incident":
        return "Incident occurred"
    if entry.kind == "evidence":
        return "Evidence acquired" if entry.approximate else "Evidence captured"
    if entry.kind == "call":
        return "Call"
    if entry.kind == "photo":
        return "Photo taken"
    noun = "Email" if entry.kind == "email" else "Message"
    if direction == "sent":
        return f"{noun} sent"
    if direction == "received":
        return f"{noun} received"
    return f"{noun} recorded"


def _directions(book: Casebook, ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    with book.read() as conn:
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            query = select(
                records.c.id, func.coalesce(records.c.direction_set, records.c.direction)
            ).where(records.c.id.in_(chunk))
            for record_id, direction in conn.execute(query):
                found[int(record_id)] = str(direction)
    return found


def _one_line(text: str) -> str:
    return " ".join(text.split())


def export_timesketch(book: Casebook, out: Path, selection: Selection) -> TimesketchExport:
    """Write one JSON object per line; entries with no known time are left out and counted."""
    _, zone = casebook_zone(book)
    keep = subject_identifiers(book)
    written = untimed = 0
    with atomic_output(out) as handle:
        batch: list[tuple[TimelineEntry, datetime]] = []

        def flush() -> None:
            directions = _directions(book, [e.id for e, _ in batch if is_record(e)])
            for entry, at in batch:
                text = entry.text
                if selection.redact_third_parties:
                    text = redact(text, keep)
                direction = directions.get(entry.id) if is_record(entry) else None
                line: JsonObject = {
                    "message": _one_line(f"{entry.kind} ({entry.channel}): {text}"),
                    "datetime": at.astimezone(zone).isoformat(),
                    "timestamp_desc": timestamp_desc(entry, direction),
                    "safetrail_entry": entry_ref(entry),
                    "channel": entry.channel,
                    "tags": list(entry.tags),
                    "exhibit": entry.exhibit_ref,
                    "approximate": entry.approximate,
                }
                handle.write(json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n")
            batch.clear()

        for entry in selected_entries(book, selection):
            if entry.at is None:
                untimed += 1
                continue
            batch.append((entry, entry.at))
            written += 1
            if len(batch) >= _CHUNK:
                flush()
        flush()
    return TimesketchExport(written, untimed)


def write_timesketch_jsonl(book: Casebook, out: Path, selection: Selection) -> int:
    """Write the JSONL timeline; returns how many lines were written."""
    return export_timesketch(book, out, selection).written
