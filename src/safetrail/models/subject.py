"""The person causing concern. Their name may be unknown."""

from __future__ import annotations

from dataclasses import dataclass, field

from safetrail.models.enums import Relationship
from safetrail.models.jsonvalue import JsonObject, JsonValue, opt_str, str_list


@dataclass(frozen=True, slots=True)
class SubjectDetails:
    """What the person knows about the subject. Everything is optional."""

    name: str | None = None
    relationship: Relationship = Relationship.UNKNOWN
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()
    vehicles: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    description: str = ""

    def to_data(self) -> JsonObject:
        return {
            "name": self.name,
            "relationship": self.relationship.value,
            "phones": list(self.phones),
            "emails": list(self.emails),
            "handles": list(self.handles),
            "vehicles": list(self.vehicles),
            "addresses": list(self.addresses),
            "description": self.description,
        }

    @classmethod
    def from_data(cls, data: JsonObject) -> SubjectDetails:
        return cls(
            name=opt_str(data.get("name")),
            relationship=Relationship(str(data.get("relationship", "unknown"))),
            phones=str_list(data.get("phones")),
            emails=str_list(data.get("emails")),
            handles=str_list(data.get("handles")),
            vehicles=str_list(data.get("vehicles")),
            addresses=str_list(data.get("addresses")),
            description=str(data.get("description") or ""),
        )

    def label(self, subject_id: int) -> str:
        return self.name or f"Unknown person {subject_id}"


@dataclass(frozen=True, slots=True)
class Subject:
    id: int
    uid: str
    version: int
    details: SubjectDetails
    removed: bool = False
    extra: dict[str, JsonValue] = field(default_factory=dict)
