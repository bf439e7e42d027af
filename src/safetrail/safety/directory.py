"""The support directory: emergency numbers and support services, each detail with its source.

A contact detail is shown only when its status is "checked" (checked against the operator's own
page, with the date of that check). Details marked "check-before-use" are kept apart in
`Service.held_back`, never in `Service.contacts`, so no display code can reach them by accident.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Literal

from safetrail.safety.guide import JURISDICTIONS

Status = Literal["checked", "check-before-use"]
ContactKind = Literal["phone", "email", "website", "text", "relay"]

STATUSES: tuple[Status, ...] = ("checked", "check-before-use")
CONTACT_KINDS: tuple[ContactKind, ...] = ("phone", "email", "website", "text", "relay")
_URL = re.compile(r"\Ahttps?://\S+\Z")


class DirectoryError(ValueError):
    """The support directory data is malformed or a detail lacks its source or check date."""


@dataclass(frozen=True, slots=True)
class CheckedFact:
    """A line such as opening hours or cost, with where it came from and when it was checked."""

    text: str
    source: str
    checked: date


@dataclass(frozen=True, slots=True)
class ContactDetail:
    kind: ContactKind
    value: str
    source: str
    checked: date
    status: Status
    note: str = ""


@dataclass(frozen=True, slots=True)
class EmergencyNumber:
    id: str
    dial: str
    label: str
    use: str
    source: str
    checked: date


@dataclass(frozen=True, slots=True)
class Service:
    id: str
    name: str
    run_by: str
    what: str
    who_for: str
    jurisdictions: tuple[str, ...]
    about: tuple[str, ...]
    main_helpline: bool
    hours: CheckedFact | None
    cost: CheckedFact | None
    contacts: tuple[ContactDetail, ...]
    held_back: tuple[ContactDetail, ...]

    def phones(self) -> tuple[ContactDetail, ...]:
        return tuple(contact for contact in self.contacts if contact.kind == "phone")


@dataclass(frozen=True, slots=True)
class Directory:
    emergency: tuple[EmergencyNumber, ...]
    services: tuple[Service, ...]

    def emergency_number(self, number_id: str) -> EmergencyNumber:
        for number in self.emergency:
            if number.id == number_id:
                return number
        raise KeyError(number_id)

    def service(self, service_id: str) -> Service:
        for service in self.services:
            if service.id == service_id:
                return service
        raise KeyError(service_id)

    def services_for(self, jurisdiction: str) -> tuple[Service, ...]:
        return tuple(s for s in self.services if jurisdiction in s.jurisdictions)


def load_directory(text: str | None = None) -> Directory:
    """Load the shipped directory, or parse `text` instead (used by tests)."""
    import yaml

    if text is None:
        text = (
            resources.files("safetrail.safety")
            .joinpath("content", "support.yaml")
            .read_text(encoding="utf-8")
        )
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DirectoryError(f"support.yaml is not valid YAML ({error})") from error
    if not isinstance(data, dict):
        raise DirectoryError("support.yaml must be a mapping")
    emergency = tuple(_emergency(item) for item in _list(data, "emergency", "support.yaml"))
    services = tuple(_service(item) for item in _list(data, "services", "support.yaml"))
    _check_unique([n.id for n in emergency] + [s.id for s in services])
    return Directory(emergency=emergency, services=services)


def _check_unique(ids: list[str]) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            raise DirectoryError(f"id {item_id!r} is used twice")
        seen.add(item_id)


def _emergency(item: object) -> EmergencyNumber:
    entry = _mapping(item, "emergency entry")
    where = f"emergency {entry.get('id')!r}"
    if _status(entry, where) != "checked":
        raise DirectoryError(f"{where}: emergency numbers must be checked")
    return EmergencyNumber(
        id=_text(entry, "id", where),
        dial=_text(entry, "dial", where),
        label=_text(entry, "label", where),
        use=_text(entry, "use", where),
        source=_url(entry, "source", where),
        checked=_date(entry, "checked", where),
    )


def _service(item: object) -> Service:
    entry = _mapping(item, "service")
    where = f"service {entry.get('id')!r}"
    details = [_contact(c, where) for c in _list(entry, "contacts", where)]
    return Service(
        id=_text(entry, "id", where),
        name=_text(entry, "name", where),
        run_by=str(entry.get("run_by") or ""),
        what=_text(entry, "what", where),
        who_for=_text(entry, "who_for", where),
        jurisdictions=_jurisdictions(entry, where),
        about=tuple(_checked_url(u, where) for u in _list(entry, "about", where)),
        main_helpline=entry.get("main_helpline") is True,
        hours=_fact(entry.get("hours"), f"{where} hours"),
        cost=_fact(entry.get("cost"), f"{where} cost"),
        contacts=tuple(d for d in details if d.status == "checked"),
        held_back=tuple(d for d in details if d.status != "checked"),
    )


def _contact(item: object, where: str) -> ContactDetail:
    entry = _mapping(item, f"{where} contact")
    kind = entry.get("kind")
    if kind not in CONTACT_KINDS:
        raise DirectoryError(f"{where}: contact kind must be one of {', '.join(CONTACT_KINDS)}")
    here = f"{where} {kind}"
    return ContactDetail(
        kind=kind,
        value=_text(entry, "value", here),
        source=_url(entry, "source", here),
        checked=_date(entry, "checked", here),
        status=_status(entry, here),
        note=str(entry.get("note") or ""),
    )


def _fact(item: object, where: str) -> CheckedFact | None:
    if item is None:
        return None
    entry = _mapping(item, where)
    return CheckedFact(
        text=_text(entry, "text", where),
        source=_url(entry, "source", where),
        checked=_date(entry, "checked", where),
    )


def _jurisdictions(entry: dict[str, object], where: str) -> tuple[str, ...]:
    values = _list(entry, "jurisdictions", where)
    if not values or any(value not in JURISDICTIONS for value in values):
        raise DirectoryError(f"{where}: jurisdictions must be from {', '.join(JURISDICTIONS)}")
    return tuple(str(value) for value in values)


def _status(entry: dict[str, object], where: str) -> Status:
    status = entry.get("status")
    if status == "checked":
        return "checked"
    if status == "check-before-use":
        return "check-before-use"
    raise DirectoryError(f"{where}: status must be one of {', '.join(STATUSES)}")


def _mapping(item: object, where: str) -> dict[str, object]:
    if not isinstance(item, dict):
        raise DirectoryError(f"{where} must be a mapping")
    return {str(key): value for key, value in item.items()}


def _list(entry: dict[str, object], key: str, where: str) -> list[object]:
    value = entry.get(key)
    if not isinstance(value, list):
        raise DirectoryError(f"{where}: {key!r} must be a list")
    return value


def _text(entry: dict[str, object], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DirectoryError(f"{where}: {key!r} must be non-empty text")
    return value.strip()


def _url(entry: dict[str, object], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DirectoryError(f"{where}: every detail needs a {key!r} (a web address)")
    return _checked_url(value, where)


def _checked_url(value: object, where: str) -> str:
    if not isinstance(value, str) or not _URL.match(value):
        raise DirectoryError(f"{where}: {value!r} is not a web address")
    return value


def _date(entry: dict[str, object], key: str, where: str) -> date:
    value = entry.get(key)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise DirectoryError(f"{where}: every detail needs a {key!r} date written YYYY-MM-DD")


def service_to_dict(service: Service) -> dict[str, object]:
    """A display-safe structure: held-back details are left out."""
    return {
        "id": service.id,
        "name": service.name,
        "run_by": service.run_by,
        "what": service.what,
        "who_for": service.who_for,
        "jurisdictions": list(service.jurisdictions),
        "hours": _fact_to_dict(service.hours),
        "cost": _fact_to_dict(service.cost),
        "contacts": [_contact_to_dict(contact) for contact in service.contacts],
    }


def emergency_to_dict(number: EmergencyNumber) -> dict[str, object]:
    return {
        "id": number.id,
        "dial": number.dial,
        "label": number.label,
        "use": number.use,
        "source": number.source,
        "checked": number.checked.isoformat(),
    }


def _fact_to_dict(fact: CheckedFact | None) -> dict[str, str] | None:
    if fact is None:
        return None
    return {"text": fact.text, "source": fact.source, "checked": fact.checked.isoformat()}


def _contact_to_dict(contact: ContactDetail) -> dict[str, str]:
    return {
        "kind": contact.kind,
        "value": contact.value,
        "source": contact.source,
        "checked": contact.checked.isoformat(),
    }
