"""The summary, exhibits, police and law sections, from the analysis and the casebook."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from safetrail.analysis.results import Analysis
from safetrail.analysis.words import label, label_text, plain_date
from safetrail.export.report.model import (
    Count,
    Exhibit,
    Law,
    Offence,
    OrderLine,
    PoliceLine,
    Quote,
    Summary,
)
from safetrail.models.evidence import EvidenceItem
from safetrail.models.incident import Incident
from safetrail.safety.factors import RiskFactor
from safetrail.services.police import CourtOrder, PoliceContact
from safetrail.services.prepare import MOST_SERIOUS_SHOWN, SERIOUS, seriousness

Clean = Callable[[str], str]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def human_size(size: int) -> str:
    """'2.4 MB (2,400,000 bytes)': the exact count always shown beside the rounded one."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            rounded = f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
            return rounded if unit == "bytes" else f"{rounded} ({size:,} bytes)"
        value /= 1000
    return f"{size:,} bytes"


def _duration(analysis: Analysis) -> str:
    conduct = analysis.overall.conduct
    if conduct.first_contact is None or conduct.last_contact is None:
        return "Nothing dated is in this report."
    days = (conduct.last_contact.date() - conduct.first_contact.date()).days + 1
    return (
        f"From {plain_date(conduct.first_contact)} to {plain_date(conduct.last_contact)}: "
        f"{_plural(days, 'day')}."
    )


def _frequency(analysis: Analysis) -> str:
    conduct = analysis.overall.conduct
    weekly = analysis.overall.frequency.weekly
    total = sum(weekly)
    if not total:
        return "No contact or conduct is logged in this period."
    per_week = total / max(1, len(weekly))
    course = (
        " Conduct on two or more occasions is logged (relevant to a course of conduct)."
        if conduct.course_of_conduct
        else ""
    )
    return (
        f"{_plural(total, 'contact or act')} on {_plural(conduct.occasions, 'separate day')}; "
        f"about {per_week:.1f} a week on average, {max(weekly)} in the busiest week.{course}"
    )


def _signals(analysis: Analysis, clean: Clean) -> tuple[str, ...]:
    several = len(analysis.subjects) > 1
    found: list[str] = []
    for subject in analysis.subjects:
        for signal in subject.escalation.signals:
            who = subject.name or "Entries not linked to a person"
            prefix = f"{who}: " if several else ""
            found.append(clean(f"{prefix}{signal.description}"))
    return tuple(found)


def _breaches(analysis: Analysis) -> str:
    count = sum(s.escalation.breaches.count for s in analysis.subjects)
    if not count:
        return "No breach of an order is logged."
    days = {day for s in analysis.subjects for day in s.escalation.breaches.days}
    return (
        f"{_plural(count, 'possible breach')} of an order logged, on {_plural(len(days), 'day')}."
    )


def serious_quotes(incidents: Iterable[Incident], when: Callable[[Incident], str]) -> list[Quote]:
    chosen = sorted(
        (i for i in incidents if any(b in SERIOUS for b in i.details.behaviours)), key=seriousness
    )
    return [
        Quote(f"incident:{i.id}", when(i), i.details.what_happened)
        for i in chosen[:MOST_SERIOUS_SHOWN]
    ]


def order_line(order: CourtOrder, subjects: dict[int, str]) -> OrderLine:
    parts = [f"court: {order.court}" if order.court else "", f"reference: {order.reference}"]
    if order.made_on:
        parts.append(f"made {plain_date(order.made_on)}")
    if order.expires_on:
        parts.append(f"expires {plain_date(order.expires_on)}")
    if order.subject_id is not None:
        parts.append(f"against {subjects.get(order.subject_id, 'person ' + str(order.subject_id))}")
    title = label_text(order.type.replace("-", "_")).capitalize()
    return OrderLine(
        title, "; ".join(p for p in parts if p and not p.endswith(": ")), order.conditions
    )


def summary(
    analysis: Analysis,
    contents: str,
    serious: list[Quote],
    factors: list[RiskFactor],
    orders: list[OrderLine],
    clean: Clean,
) -> Summary:
    behaviours = tuple(Count(label(seen.tag), seen.count) for seen in analysis.overall.tags)
    return Summary(
        overview=clean(analysis.summary),
        duration=_duration(analysis),
        frequency=_frequency(analysis),
        contents=contents,
        behaviours=tuple(sorted(behaviours, key=lambda c: (-c.count, c.label))),
        signals=_signals(analysis, clean),
        serious=tuple(Quote(q.ref, q.when, clean(q.words)) for q in serious),
        risk_factors=tuple(f.title for f in factors),
        orders=tuple(orders),
        breaches=_breaches(analysis),
    )


def exhibit(item: EvidenceItem, clean: Clean) -> Exhibit:
    file = item.file
    return Exhibit(
        ref=item.exhibit_ref,
        description=clean(item.description.description) or "(no description)",
        filename=file.original_filename if file else "(physical item)",
        sha256=file.sha256 if file else "",
        size=human_size(file.size) if file else "",
        acquired=item.acquired_at.isoformat(timespec="seconds"),
        source=clean(item.description.source),
    )


def police_line(contact: PoliceContact, clean: Clean) -> PoliceLine:
    officer = " ".join(p for p in (contact.officer_name, contact.officer_number) if p)
    return PoliceLine(
        when=contact.at.isoformat(timespec="minutes"),
        how=contact.how,
        officer=officer,
        crime_reference=contact.crime_reference,
        what_was_said=clean(contact.what_was_said),
        outcome=clean(contact.outcome),
    )


def law(analysis: Analysis, clean: Clean) -> Law:
    offences: list[Offence] = []
    several = len(analysis.subjects) > 1
    mapping = None
    for subject in analysis.subjects:
        mapping = subject.law
        for relevance in subject.law.offences:
            if not relevance.relevant:
                continue
            offence = relevance.offence
            who = subject.name or "entries not linked to a person"
            heading = f"{offence.title} ({who})" if several else offence.title
            offences.append(
                Offence(
                    heading=heading,
                    law=offence.law,
                    relevant=tuple(
                        clean(f"{f.wording}: {f.facts}")
                        for f in relevance.findings
                        if f.status == "facts_logged"
                    ),
                    not_yet_shown=relevance.not_yet_shown,
                    caution=offence.caution,
                    sources=offence.sources,
                )
            )
    if mapping is None:
        from safetrail.analysis.law import ADVICE, NOTICE

        return Law(label_text(analysis.jurisdiction), NOTICE, ADVICE, ())
    return Law(label_text(mapping.jurisdiction), mapping.notice, mapping.advice, tuple(offences))
