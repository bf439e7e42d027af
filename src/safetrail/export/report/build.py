"""Build the report model from the casebook, through the services, for one selection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from safetrail.analysis.model import Event
from safetrail.analysis.results import Analysis, analyse
from safetrail.analysis.words import plain_date
from safetrail.export.report.charts import charts
from safetrail.export.report.chronology import ChronologyBuilder, chronology, when_text
from safetrail.export.report.model import Cover, Report
from safetrail.export.report.sections import (
    exhibit,
    law,
    order_line,
    police_line,
    serious_quotes,
    summary,
)
from safetrail.export.report.verify_text import VERIFY_STEPS
from safetrail.export.selection import (
    Selection,
    casebook_zone,
    redact,
    subject_identifiers,
    subject_labels,
)
from safetrail.models.enums import Behaviour
from safetrail.models.incident import Incident
from safetrail.services.analysis import case_events
from safetrail.services.casebook import Casebook
from safetrail.services.evidence import list_evidence
from safetrail.services.incidents import list_incidents
from safetrail.services.police import crime_references, orders, police_contacts
from safetrail.services.risk import factors_from
from safetrail.storage import repository

KIND_NAMES = {"incident": "diary incidents", "record": "imported records", "evidence": "exhibits"}


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """What the cover says beyond the casebook: the person's name (initials if not given)."""

    person: str | None = None
    charts: bool = True
    produced: datetime | None = None


def _in_selection(event: Event, selection: Selection) -> bool:
    if selection.start is not None and event.at < selection.start:
        return False
    if selection.end is not None and event.at >= selection.end:
        return False
    if selection.subject_id is not None and event.subject_id != selection.subject_id:
        return False
    kind = "incident" if event.id < 0 else "record"
    return kind in selection.kinds


def selected_analysis(book: Casebook, selection: Selection) -> tuple[list[Event], Analysis]:
    """The incidents and dated records in the selection's period and subject, and their analysis.

    Every record in the period counts towards the pattern, also when only tagged messages are
    printed in full.
    """
    events = [e for e in case_events(book).events if _in_selection(e, selection)]
    zone_name, zone = casebook_zone(book)
    jurisdiction = book.setting("jurisdiction") or "england-wales"
    now = selection.end or (max(e.at for e in events) if events else datetime.now(zone))
    names = subject_labels(book)
    return events, analyse(events, zone_name, jurisdiction, now, names=names)


def _cleaner(book: Casebook, selection: Selection) -> Callable[[str], str]:
    if not selection.redact_third_parties:
        return str
    keep = subject_identifiers(book)
    return lambda text: redact(text, keep)


def _selection_lines(selection: Selection, subjects: dict[int, str]) -> tuple[str, ...]:
    lines = []
    if selection.start or selection.end:
        start = plain_date(selection.start) if selection.start else "the beginning"
        end = f"up to {plain_date(selection.end)}" if selection.end else "to the latest entry"
        lines.append(f"Period: from {start} {end}.")
    if selection.subject_id is not None:
        lines.append(f"Only entries linked to {subjects.get(selection.subject_id, 'one person')}.")
    kinds = ", ".join(KIND_NAMES[k] for k in sorted(selection.kinds))
    lines.append(f"Entries shown: {kinds}.")
    if not selection.full_text:
        lines.append("Messages: only those with a behaviour tag are printed.")
    return tuple(lines)


def _period(analysis: Analysis, selection: Selection) -> str:
    conduct = analysis.overall.conduct
    first = selection.start or conduct.first_contact
    last = conduct.last_contact if selection.end is None else selection.end
    if first is None or last is None:
        return "no dated entries"
    return f"{plain_date(first)} – {plain_date(last)}"


def build_report(
    book: Casebook, selection: Selection, options: ReportOptions | None = None
) -> Report:
    chosen = options or ReportOptions()
    zone_name, zone = casebook_zone(book)
    clean = _cleaner(book, selection)
    subjects = subject_labels(book)
    incidents = {i.id: i for i in list_incidents(book)}
    evidence = {item.id: item for item in list_evidence(book)}
    builder = ChronologyBuilder(
        zone, subjects, incidents, evidence, clean, selection.include_private_notes
    )
    entries = tuple(chronology(book, selection, builder))
    events, analysis = selected_analysis(book, selection)
    violent = frozenset(
        i.id for i in incidents.values() if Behaviour.VIOLENCE in i.details.behaviours
    )
    shown = [incidents[int(e.ref.split(":")[1])] for e in entries if e.kind == "incident"]

    def when(incident: Incident) -> str:
        d = incident.details
        return " ".join(p for p in when_text(d.occurred_start, zone, d.certainty) if p)

    with book.read() as conn:
        head = repository.last_head(conn).hash
    produced = chosen.produced or datetime.now(zone)
    notes_line = (
        "Private notes ARE included in this report, at the person's request."
        if selection.include_private_notes
        else "Private notes are NOT included in this report."
    )
    redaction_line = (
        "Phone numbers and email addresses of people other than the subject are removed."
        if selection.redact_third_parties
        else "Nothing is redacted: other people's phone numbers and emails are shown."
    )
    cover = Cover(
        person=chosen.person or (book.setting("initials") or ""),
        subjects=tuple(subjects[i] for i in sorted(subjects)),
        period=_period(analysis, selection),
        produced=produced.isoformat(timespec="seconds"),
        log_head=head,
        timezone=zone_name,
        private_notes=notes_line,
        redaction=redaction_line,
        selection=_selection_lines(selection, subjects),
    )
    incident_count = sum(1 for e in entries if e.kind == "incident")
    contents = (
        f"This report holds {len(entries)} entries: {incident_count} diary incidents and "
        f"{len(entries) - incident_count} records and exhibits."
    )
    order_lines = [order_line(o, subjects) for o in orders(book)]
    return Report(
        cover=cover,
        summary=summary(
            analysis,
            contents,
            serious_quotes(shown, when),
            factors_from(events, analysis, violent),
            order_lines,
            clean,
        ),
        chronology=entries,
        charts=charts(analysis) if chosen.charts else (),
        exhibits=tuple(exhibit(item, clean) for item in evidence.values()),
        police=tuple(police_line(c, clean) for c in police_contacts(book)),
        crime_references=tuple(crime_references(book)),
        law=law(analysis, clean),
        verify=VERIFY_STEPS,
        private_notes_included=selection.include_private_notes,
    )
