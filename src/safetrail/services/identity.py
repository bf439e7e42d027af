"""Who sent a record: matching senders and numbers to the people in the casebook.

Phone numbers are compared in E.164, emails case-insensitively, names and handles by their
case-folded text. A sender matching nobody keeps `subject_id` empty until the person says who it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import Connection, select

from safetrail.models.identifiers import try_normalise_phone
from safetrail.storage.schema import subjects

_PHONE_CHARS = set("+0123456789 ()-.")


@lru_cache(maxsize=65536)
def address_key(text: str) -> str:
    """A comparable key for one identifier: E.164, a lower-case email, or 'name:' + text."""
    value = text.strip()
    if "@" in value and " " not in value:
        return value.lower()
    digits = sum(c.isdigit() for c in value)
    if digits >= 5 and set(value) <= _PHONE_CHARS:
        phone = try_normalise_phone(value)
        if phone:
            return phone
    return "name:" + value.casefold().lstrip("@")


def sender_key(sender: str | None, address: str | None) -> str | None:
    if address:
        return address_key(address)
    if sender:
        return address_key(sender)
    return None


@dataclass
class IdentityMap:
    keys: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, conn: Connection) -> IdentityMap:
        mapping: dict[str, int] = {}
        for subject_id, data in conn.execute(
            select(subjects.c.id, subjects.c.data).where(subjects.c.removed.is_(False))
        ):
            details = json.loads(data)["details"]
            for name in ("phones", "emails", "handles"):
                for value in details.get(name) or []:
                    mapping.setdefault(address_key(str(value)), int(subject_id))
        return cls(mapping)

    def subject_for(self, key: str | None, recipients: tuple[str, ...] = ()) -> int | None:
        if key is not None and key in self.keys:
            return self.keys[key]
        for recipient in recipients:
            found = self.keys.get(address_key(recipient))
            if found is not None:
                return found
        return None
