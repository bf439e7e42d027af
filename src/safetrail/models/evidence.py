"""Evidence items: original files, or records of physical items such as letters and gifts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from safetrail.models.enums import EvidenceKind
from safetrail.models.jsonvalue import JsonObject
from safetrail.models.timeutil import from_iso, opt_from_iso, to_iso


@dataclass(frozen=True, slots=True)
class EvidenceDescription:
    """What the person can change about an evidence item. The file itself never changes."""

    description: str = ""
    source: str = ""
    captured_at: datetime | None = None
    handling_notes: str = ""

    def to_data(self) -> JsonObject:
        return {
            "description": self.description,
            "source": self.source,
            "captured_at": to_iso(self.captured_at) if self.captured_at else None,
            "handling_notes": self.handling_notes,
        }

    @classmethod
    def from_data(cls, data: JsonObject) -> EvidenceDescription:
        return cls(
            description=str(data.get("description") or ""),
            source=str(data.get("source") or ""),
            captured_at=opt_from_iso(data.get("captured_at")),
            handling_notes=str(data.get("handling_notes") or ""),
        )


@dataclass(frozen=True, slots=True)
class FileFacts:
    """Facts about an original file fixed when it arrived."""

    sha256: str
    size: int
    original_filename: str
    media_type: str

    def to_data(self) -> JsonObject:
        return {
            "sha256": self.sha256,
            "size": self.size,
            "original_filename": self.original_filename,
            "media_type": self.media_type,
        }

    @classmethod
    def from_data(cls, data: JsonObject) -> FileFacts:
        return cls(
            sha256=str(data["sha256"]),
            size=int(str(data["size"])),
            original_filename=str(data["original_filename"]),
            media_type=str(data["media_type"]),
        )


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """A stored evidence item. The exhibit reference is assigned once and never reused."""

    id: int
    uid: str
    version: int
    kind: EvidenceKind
    exhibit_ref: str
    acquired_at: datetime
    file: FileFacts | None
    description: EvidenceDescription
    parent_id: int | None = None
    removed: bool = False

    def to_data(self) -> JsonObject:
        return {
            "kind": self.kind.value,
            "exhibit_ref": self.exhibit_ref,
            "acquired_at": to_iso(self.acquired_at),
            "file": self.file.to_data() if self.file else None,
            "parent_id": self.parent_id,
            **self.description.to_data(),
        }

    @staticmethod
    def fixed_from_data(
        data: JsonObject,
    ) -> tuple[EvidenceKind, str, datetime, FileFacts | None, int | None]:
        file_data = data.get("file")
        parent = data.get("parent_id")
        return (
            EvidenceKind(str(data["kind"])),
            str(data["exhibit_ref"]),
            from_iso(str(data["acquired_at"])),
            FileFacts.from_data(file_data) if isinstance(file_data, dict) else None,
            int(str(parent)) if parent is not None else None,
        )


def exhibit_ref(initials: str, number: int) -> str:
    return f"{initials}/{number}"


def check_initials(text: str) -> str:
    cleaned = text.strip().upper()
    if not (1 <= len(cleaned) <= 5) or not cleaned.isalpha() or not cleaned.isascii():
        raise ValueError("initials must be 1 to 5 letters, for example JS")
    return cleaned
