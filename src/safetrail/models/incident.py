"""A diary entry: what happened, when, and how it affected the person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from safetrail.models.enums import Behaviour, Certainty, Channel
from safetrail.models.jsonvalue import JsonObject, JsonValue, as_object, opt_str
from safetrail.models.timeutil import from_iso, opt_from_iso, to_iso


@dataclass(frozen=True, slots=True)
class Witness:
    name: str
    contact: str = ""

    def to_data(self) -> JsonObject:
        return {"name": self.name, "contact": self.contact}

    @classmethod
    def from_data(cls, data: JsonValue) -> Witness:
        obj = as_object(data)
        return cls(name=str(obj.get("name") or ""), contact=str(obj.get("contact") or ""))


@dataclass(frozen=True, slots=True)
class PoliceContact:
    """Whether this incident was reported, and the references the person was given."""

    reported: bool = False
    crime_reference: str = ""
    officer: str = ""

    def to_data(self) -> JsonObject:
        return {
            "reported": self.reported,
            "crime_reference": self.crime_reference,
            "officer": self.officer,
        }

    @classmethod
    def from_data(cls, data: JsonValue) -> PoliceContact:
        obj = as_object(data) if data is not None else {}
        return cls(
            reported=bool(obj.get("reported", False)),
            crime_reference=str(obj.get("crime_reference") or ""),
            officer=str(obj.get("officer") or ""),
        )


@dataclass(frozen=True, slots=True)
class PossibleBreach:
    """The person thinks this incident may break a condition of a court order."""

    order_id: int
    condition: str = ""

    def to_data(self) -> JsonObject:
        return {"order_id": self.order_id, "condition": self.condition}

    @classmethod
    def from_data(cls, data: JsonValue) -> PossibleBreach | None:
        if data is None:
            return None
        obj = as_object(data)
        return cls(order_id=int(str(obj["order_id"])), condition=str(obj.get("condition") or ""))


@dataclass(frozen=True, slots=True)
class IncidentDetails:
    """Everything the person can write or change about an incident."""

    occurred_start: datetime
    what_happened: str
    certainty: Certainty = Certainty.EXACT
    occurred_end: datetime | None = None
    location: str = ""
    channel: Channel = Channel.OTHER
    behaviours: tuple[Behaviour, ...] = ()
    impact: str = ""
    changes_made: str = ""
    feared_violence: bool | None = None
    witnesses: tuple[Witness, ...] = ()
    police: PoliceContact = PoliceContact()
    evidence_ids: tuple[int, ...] = ()
    subject_id: int | None = None
    private_notes: str = ""
    possible_breach: PossibleBreach | None = None

    def __post_init__(self) -> None:
        to_iso(self.occurred_start)
        if self.occurred_end is not None:
            to_iso(self.occurred_end)
            if self.occurred_end < self.occurred_start:
                raise ValueError("the end of an incident cannot be before its start")

    def to_data(self) -> JsonObject:
        return {
            "occurred_start": to_iso(self.occurred_start),
            "occurred_end": to_iso(self.occurred_end) if self.occurred_end else None,
            "certainty": self.certainty.value,
            "location": self.location,
            "channel": self.channel.value,
            "behaviours": [b.value for b in self.behaviours],
            "what_happened": self.what_happened,
            "impact": self.impact,
            "changes_made": self.changes_made,
            "feared_violence": self.feared_violence,
            "witnesses": [w.to_data() for w in self.witnesses],
            "police": self.police.to_data(),
            "evidence_ids": list(self.evidence_ids),
            "subject_id": self.subject_id,
            "private_notes": self.private_notes,
            "possible_breach": self.possible_breach.to_data() if self.possible_breach else None,
        }

    @classmethod
    def from_data(cls, data: JsonObject) -> IncidentDetails:
        behaviours = data.get("behaviours") or []
        witnesses = data.get("witnesses") or []
        evidence_ids = data.get("evidence_ids") or []
        subject_id = data.get("subject_id")
        feared = data.get("feared_violence")
        if not isinstance(behaviours, list) or not isinstance(witnesses, list):
            raise ValueError("behaviours and witnesses must be lists")
        if not isinstance(evidence_ids, list):
            raise ValueError("evidence_ids must be a list")
        return cls(
            occurred_start=from_iso(str(data["occurred_start"])),
            occurred_end=opt_from_iso(data.get("occurred_end")),
            certainty=Certainty(str(data.get("certainty", "exact"))),
            location=str(data.get("location") or ""),
            channel=Channel(str(data.get("channel", "other"))),
            behaviours=tuple(Behaviour(str(b)) for b in behaviours),
            what_happened=str(data.get("what_happened") or ""),
            impact=str(data.get("impact") or ""),
            changes_made=str(data.get("changes_made") or ""),
            feared_violence=feared if isinstance(feared, bool) else None,
            witnesses=tuple(Witness.from_data(w) for w in witnesses),
            police=PoliceContact.from_data(data.get("police")),
            evidence_ids=tuple(int(str(e)) for e in evidence_ids),
            subject_id=int(str(subject_id)) if subject_id is not None else None,
            private_notes=opt_str(data.get("private_notes")) or "",
            possible_breach=PossibleBreach.from_data(data.get("possible_breach")),
        )


@dataclass(frozen=True, slots=True)
class Incident:
    """A stored incident. `recorded_at` is when it was first written and never changes."""

    id: int
    uid: str
    version: int
    recorded_at: datetime
    written_at: datetime
    details: IncidentDetails
    removed: bool = False
