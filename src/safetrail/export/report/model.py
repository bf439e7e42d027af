"""The report as data: every section the PDF and the HTML show, as plain strings and numbers.

The model holds no markup. Text that came from messages, the diary or the subject is carried
as it is (after redaction) and escaped by each renderer: the PDF receives it as JSON data, the
HTML through Jinja2's autoescape.
"""

from __future__ import annotations

from dataclasses import dataclass

from safetrail.models.jsonvalue import JsonObject, JsonValue


@dataclass(frozen=True, slots=True)
class Cover:
    person: str
    subjects: tuple[str, ...]
    period: str
    produced: str
    log_head: str
    timezone: str
    private_notes: str
    redaction: str
    selection: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Count:
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Quote:
    ref: str
    when: str
    words: str


@dataclass(frozen=True, slots=True)
class OrderLine:
    title: str
    details: str
    conditions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    overview: str
    duration: str
    frequency: str
    contents: str
    behaviours: tuple[Count, ...]
    signals: tuple[str, ...]
    serious: tuple[Quote, ...]
    risk_factors: tuple[str, ...]
    orders: tuple[OrderLine, ...]
    breaches: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One chronology entry: an incident, a record (message, call, email, post) or an exhibit."""

    ref: str
    kind: str
    date: str
    time: str
    place: str
    channel: str
    who: str
    behaviours: str
    text: str
    impact: str
    witnesses: str
    exhibits: str
    crime_reference: str
    private_notes: str

    def to_json(self) -> list[JsonValue]:
        """A compact row (see ENTRY_FIELDS): long chronologies pass to Typst as arrays."""
        return [getattr(self, name) for name in ENTRY_FIELDS]


ENTRY_FIELDS: tuple[str, ...] = tuple(Entry.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    caption: str
    svg: str


@dataclass(frozen=True, slots=True)
class Exhibit:
    ref: str
    description: str
    filename: str
    sha256: str
    size: str
    acquired: str
    source: str


@dataclass(frozen=True, slots=True)
class PoliceLine:
    when: str
    how: str
    officer: str
    crime_reference: str
    what_was_said: str
    outcome: str


@dataclass(frozen=True, slots=True)
class Offence:
    heading: str
    law: str
    relevant: tuple[str, ...]
    not_yet_shown: tuple[str, ...]
    caution: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Law:
    jurisdiction: str
    notice: str
    advice: str
    offences: tuple[Offence, ...]


@dataclass(frozen=True, slots=True)
class Report:
    cover: Cover
    summary: Summary
    chronology: tuple[Entry, ...]
    charts: tuple[Chart, ...]
    exhibits: tuple[Exhibit, ...]
    police: tuple[PoliceLine, ...]
    crime_references: tuple[str, ...]
    law: Law
    verify: tuple[str, ...]
    private_notes_included: bool

    @property
    def running_header(self) -> str:
        return f"Safetrail report · {self.cover.period}"

    def to_json(self, with_chronology: bool = True) -> JsonObject:
        """The report as JSON; chronology entries are compact rows, charts without their SVG."""
        return {
            "header": self.running_header,
            "cover": _plain(self.cover),
            "summary": _plain(self.summary),
            "entry_fields": list(ENTRY_FIELDS),
            "chronology": [e.to_json() for e in self.chronology] if with_chronology else [],
            "chronology_note": "",
            "charts": [{"title": c.title, "caption": c.caption} for c in self.charts],
            "exhibits": [_plain(e) for e in self.exhibits],
            "police": [_plain(p) for p in self.police],
            "crime_references": list(self.crime_references),
            "law": _plain(self.law),
            "verify": list(self.verify),
            "private_notes_included": self.private_notes_included,
        }


def _plain(value: object) -> JsonValue:
    """A model dataclass (or tuple of them) as JSON values, field by field."""
    if isinstance(value, str | int | bool) or value is None:
        return value
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    fields = getattr(value, "__dataclass_fields__", None)
    if fields is None:
        raise TypeError(f"not part of the report model: {type(value).__name__}")
    return {name: _plain(getattr(value, name)) for name in fields}
