"""'Preparing to report': a short sheet to read from when calling 101."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from safetrail.models.enums import BEHAVIOUR_LABELS, Behaviour
from safetrail.models.incident import Incident
from safetrail.models.jsonvalue import JsonObject
from safetrail.safety.factors import RiskFactor
from safetrail.services.casebook import Casebook
from safetrail.services.incidents import list_incidents
from safetrail.services.police import CourtOrder, crime_references, orders
from safetrail.services.risk import evidence_factors
from safetrail.services.subjects import list_subjects

SERIOUS = (
    Behaviour.VIOLENCE,
    Behaviour.THREATS,
    Behaviour.SEXUAL_BEHAVIOUR,
    Behaviour.BREACH_OF_ORDER,
)
MOST_SERIOUS_SHOWN = 5


@dataclass
class ReportSheet:
    subjects: list[JsonObject]
    incident_count: int
    first: str | None
    last: str | None
    behaviours: list[tuple[str, int]]
    serious: list[Incident]
    crime_references: list[str]
    orders: list[CourtOrder]
    factors: list[RiskFactor]

    def to_json(self) -> JsonObject:
        return {
            "subjects": list(self.subjects),
            "incidents": self.incident_count,
            "first_incident": self.first,
            "last_incident": self.last,
            "behaviours": [{"behaviour": b, "incidents": n} for b, n in self.behaviours],
            "most_serious": [
                {
                    "incident_id": i.id,
                    "at": i.details.occurred_start.isoformat(),
                    "what_happened": i.details.what_happened,
                }
                for i in self.serious
            ],
            "crime_references": list(self.crime_references),
            "orders": [o.to_json() for o in self.orders],
            "factors": [f.to_json() for f in self.factors],
        }


def seriousness(incident: Incident) -> tuple[int, str]:
    rank = min((SERIOUS.index(b) for b in incident.details.behaviours if b in SERIOUS), default=99)
    return (rank, incident.details.occurred_start.isoformat())


def prepare_report(book: Casebook) -> ReportSheet:
    incidents = list_incidents(book)
    counts = Counter(b for i in incidents for b in i.details.behaviours)
    serious = sorted(
        (i for i in incidents if any(b in SERIOUS for b in i.details.behaviours)), key=seriousness
    )
    return ReportSheet(
        subjects=[{"id": s.id, **s.details.to_data()} for s in list_subjects(book)],
        incident_count=len(incidents),
        first=incidents[0].details.occurred_start.isoformat() if incidents else None,
        last=incidents[-1].details.occurred_start.isoformat() if incidents else None,
        behaviours=[(BEHAVIOUR_LABELS[b], n) for b, n in counts.most_common()],
        serious=serious[:MOST_SERIOUS_SHOWN],
        crime_references=crime_references(book),
        orders=orders(book),
        factors=evidence_factors(book),
    )


def _subject_lines(subject: JsonObject) -> list[str]:
    name = subject.get("name") or f"Unknown person {subject['id']}"
    relation = str(subject.get("relationship", "")).replace("_", " ")
    lines = [f"Person: {name} ({relation})"]
    for key in ("phones", "emails", "handles", "vehicles", "addresses"):
        values = subject.get(key)
        if isinstance(values, list) and values:
            lines.append(f"  {key}: {', '.join(str(v) for v in values)}")
    if subject.get("description"):
        lines.append(f"  description: {subject['description']}")
    return lines


def _pattern_lines(sheet: ReportSheet) -> list[str]:
    lines = [f"Incidents recorded: {sheet.incident_count}"]
    if sheet.first and sheet.last:
        lines.append(f"From {sheet.first[:10]} to {sheet.last[:10]}")
    lines += [f"  {label}: {count}" for label, count in sheet.behaviours]
    if sheet.serious:
        lines += ["", "The most serious incidents, in their words:"]
        lines += [
            f"  {i.details.occurred_start:%d %b %Y %H:%M}: {i.details.what_happened}"
            for i in sheet.serious
        ]
    return lines


def sheet_text(sheet: ReportSheet) -> str:
    lines = [
        "PREPARING TO REPORT",
        "Read from this when you call 101 (or 999 if you are in danger now).",
        "",
    ]
    for subject in sheet.subjects:
        lines += _subject_lines(subject)
    lines += ["", *_pattern_lines(sheet)]
    if sheet.crime_references:
        lines += ["", "Crime reference numbers: " + ", ".join(sheet.crime_references)]
    for order in sheet.orders:
        kind = order.type.replace("-", " ")
        lines.append(f"Order: {kind} ({order.court}), ref {order.reference or '-'}")
    if sheet.factors:
        lines += ["", "Things in your diary police may ask about:"]
        lines += [f"  {f.title}" for f in sheet.factors]
    return "\n".join(lines)
