"""The chronology section: every selected entry, in time order, with what matters about it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from safetrail.analysis.words import label_text, plain_date
from safetrail.export.report.model import Entry
from safetrail.export.selection import Selection, entry_ref, is_record, selected_entries
from safetrail.models.enums import Certainty
from safetrail.models.evidence import EvidenceItem
from safetrail.models.incident import Incident, IncidentDetails
from safetrail.services.casebook import Casebook
from safetrail.services.timeline import TimelineEntry

Clean = Callable[[str], str]


def when_text(at: datetime | None, zone: ZoneInfo, certainty: Certainty) -> tuple[str, str]:
    """('12 March 2026', '18:40') in the casebook's zone; approximate times say so."""
    if at is None:
        return "date not known", ""
    local = at.astimezone(zone)
    if certainty is Certainty.DATE_ONLY:
        return plain_date(local), "time not known"
    time = local.strftime("%H:%M")
    return plain_date(local), time if certainty is Certainty.EXACT else f"about {time}"


def _witnesses(details: IncidentDetails) -> str:
    return "; ".join(f"{w.name} ({w.contact})" if w.contact else w.name for w in details.witnesses)


class ChronologyBuilder:
    """Turns timeline entries into report entries, with the casebook's lookups done once."""

    def __init__(
        self,
        zone: ZoneInfo,
        subjects: dict[int, str],
        incidents: dict[int, Incident],
        evidence: dict[int, EvidenceItem],
        clean: Clean,
        include_private_notes: bool,
    ) -> None:
        self.zone = zone
        self.subjects = subjects
        self.incidents = incidents
        self.exhibits = {item.id: item.exhibit_ref for item in evidence.values()}
        self.clean = clean
        self.include_private_notes = include_private_notes

    def entry(self, item: TimelineEntry) -> Entry:
        incident = self.incidents.get(item.id) if item.kind == "incident" else None
        if incident is not None:
            return self._incident(item, incident.details)
        certainty = Certainty.APPROXIMATE if item.approximate else Certainty.EXACT
        date, time = when_text(item.at, self.zone, certainty)
        sender = item.detail.get("sender", "") if is_record(item) else ""
        who = sender or self.subjects.get(item.subject_id or 0, "")
        return Entry(
            ref=entry_ref(item),
            kind=label_text(item.kind),
            date=date,
            time=time,
            place="",
            channel=label_text(item.channel),
            who=self.clean(who),
            behaviours=", ".join(label_text(tag).capitalize() for tag in item.tags),
            text=self.clean(item.text),
            impact="",
            witnesses="",
            exhibits=item.exhibit_ref or "",
            crime_reference="",
            private_notes="",
        )

    def _incident(self, item: TimelineEntry, details: IncidentDetails) -> Entry:
        date, time = when_text(details.occurred_start, self.zone, details.certainty)
        impact = "\n".join(part for part in (details.impact, details.changes_made) if part)
        notes = details.private_notes if self.include_private_notes else ""
        return Entry(
            ref=entry_ref(item),
            kind="incident",
            date=date,
            time=time,
            place=self.clean(details.location),
            channel=label_text(details.channel.value),
            who=self.subjects.get(details.subject_id or 0, ""),
            behaviours=", ".join(label_text(b.value).capitalize() for b in details.behaviours),
            text=self.clean(details.what_happened),
            impact=self.clean(impact),
            witnesses=self.clean(_witnesses(details)),
            exhibits=", ".join(
                self.exhibits[e] for e in details.evidence_ids if e in self.exhibits
            ),
            crime_reference=details.police.crime_reference,
            private_notes=self.clean(notes),
        )


def chronology(book: Casebook, selection: Selection, builder: ChronologyBuilder) -> Iterator[Entry]:
    for item in selected_entries(book, selection):
        yield builder.entry(item)
