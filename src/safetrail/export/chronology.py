"""A chronology for people: one CSV row per timeline entry, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from safetrail.export.selection import (
    Selection,
    casebook_zone,
    entry_ref,
    redact,
    selected_entries,
    subject_identifiers,
    subject_labels,
)
from safetrail.models.enums import Certainty
from safetrail.models.incident import IncidentDetails
from safetrail.services.casebook import Casebook
from safetrail.services.evidence import list_evidence
from safetrail.services.incidents import list_incidents
from safetrail.services.timeline import TimelineEntry
from safetrail.vault.atomic import atomic_output

COLUMNS: tuple[str, ...] = (
    "entry",
    "date",
    "time",
    "timezone",
    "approximate",
    "kind",
    "channel",
    "subject",
    "behaviours",
    "text",
    "exhibit",
    "location",
    "impact",
    "witnesses",
    "crime_reference",
)
PRIVATE_NOTES = "private_notes"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """A leading quote on cells a spreadsheet would read as a formula (CSV injection)."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def columns(selection: Selection) -> tuple[str, ...]:
    return (*COLUMNS, PRIVATE_NOTES) if selection.include_private_notes else COLUMNS


def _witnesses(details: IncidentDetails) -> str:
    return "; ".join(f"{w.name} ({w.contact})" if w.contact else w.name for w in details.witnesses)


class _Rows:
    def __init__(self, book: Casebook, selection: Selection) -> None:
        self.selection = selection
        self.zone_name, self.zone = casebook_zone(book)
        self.subjects = subject_labels(book)
        self.incidents = {i.id: i.details for i in list_incidents(book)}
        self.exhibits = {item.id: item.exhibit_ref for item in list_evidence(book)}
        keep = subject_identifiers(book)
        self.clean: Callable[[str], str] = (
            (lambda text: redact(text, keep)) if selection.redact_third_parties else str
        )

    def row(self, entry: TimelineEntry) -> list[str]:
        details = self.incidents.get(entry.id) if entry.kind == "incident" else None
        local = entry.at.astimezone(self.zone) if entry.at else None
        day_only = details is not None and details.certainty is Certainty.DATE_ONLY
        exhibit = entry.exhibit_ref or ""
        if details is not None:
            exhibit = "; ".join(
                self.exhibits[e] for e in details.evidence_ids if e in self.exhibits
            )
        cells = {
            "entry": entry_ref(entry),
            "date": local.date().isoformat() if local else "",
            "time": local.strftime("%H:%M:%S") if local and not day_only else "",
            "timezone": self.zone_name,
            "approximate": "yes" if entry.approximate or entry.at is None else "no",
            "kind": entry.kind,
            "channel": entry.channel,
            "subject": self.subjects.get(entry.subject_id, "") if entry.subject_id else "",
            "behaviours": ";".join(entry.tags),
            "text": self.clean(entry.text),
            "exhibit": exhibit,
            "location": self.clean(details.location) if details else "",
            "impact": self.clean(details.impact) if details else "",
            "witnesses": self.clean(_witnesses(details)) if details else "",
            "crime_reference": details.police.crime_reference if details else "",
            PRIVATE_NOTES: self.clean(details.private_notes) if details else "",
        }
        return [safe_cell(cells[name]) for name in columns(self.selection)]


def write_chronology_csv(book: Casebook, out: Path, selection: Selection) -> int:
    """Write the chronology as UTF-8 CSV with a byte-order mark; returns the number of rows."""
    rows = _Rows(book, selection)
    count = 0
    with atomic_output(out) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(columns(selection))
        for entry in selected_entries(book, selection):
            writer.writerow(rows.row(entry))
            count += 1
        text.flush()
        text.detach()
    return count
