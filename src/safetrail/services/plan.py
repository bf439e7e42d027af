"""The safety plan: the guidance's steps, each with a status, notes and a date; trusted contacts;
and a one-page emergency card to print."""

from __future__ import annotations

import html
from dataclasses import dataclass

from safetrail.models.jsonvalue import JsonObject
from safetrail.safety.help_now import build_help_now
from safetrail.safety.plan_content import PlanItem, load_safety_plan
from safetrail.services import simple_entities as store
from safetrail.services.casebook import Casebook
from safetrail.services.entities import Kind
from safetrail.services.errors import InvalidInput
from safetrail.storage.repository import now_utc

ITEM_KIND: Kind = "plan_item"
CONTACT_KIND: Kind = "trusted_contact"
STATUSES = ("not-started", "in-progress", "done", "not-for-me")


@dataclass(frozen=True, slots=True)
class PlanEntry:
    item: PlanItem
    status: str
    notes: str
    updated_at: str | None

    def to_json(self) -> JsonObject:
        return {
            "id": self.item.id,
            "title": self.item.title,
            "why": self.item.why,
            "caution": self.item.caution,
            "status": self.status,
            "notes": self.notes,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True, slots=True)
class TrustedContact:
    id: int
    name: str
    how_to_reach: str
    knows: bool
    can_help_with: str

    def to_json(self) -> JsonObject:
        return {
            "id": self.id,
            "name": self.name,
            "how_to_reach": self.how_to_reach,
            "knows": self.knows,
            "can_help_with": self.can_help_with,
        }


def _saved(book: Casebook) -> dict[str, store.Stored]:
    return {str(s.data["item_id"]): s for s in store.current(book, ITEM_KIND)}


def plan(book: Casebook) -> list[PlanEntry]:
    saved = _saved(book)
    entries = []
    for item in load_safety_plan().items:
        stored = saved.get(item.id)
        if stored is None:
            entries.append(PlanEntry(item, "not-started", "", None))
        else:
            data = stored.data
            entries.append(
                PlanEntry(
                    item, str(data["status"]), str(data.get("notes") or ""), str(data["updated_at"])
                )
            )
    return entries


def update_item(book: Casebook, item_id: str, status: str | None, notes: str | None) -> PlanEntry:
    items = {i.id: i for i in load_safety_plan().items}
    if item_id not in items:
        raise InvalidInput(f"There is no plan step {item_id!r}. Steps: {', '.join(items)}.")
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"Status must be one of: {', '.join(STATUSES)}.")
    saved = _saved(book).get(item_id)
    old_status = str(saved.data["status"]) if saved else "not-started"
    old_notes = str(saved.data.get("notes") or "") if saved else ""
    fields: JsonObject = {
        "item_id": item_id,
        "status": status if status is not None else old_status,
        "notes": notes if notes is not None else old_notes,
        "updated_at": now_utc().isoformat(),
    }
    if saved is None:
        store.create(book, ITEM_KIND, fields)
    else:
        store.change(book, ITEM_KIND, saved.id, fields)
    return next(e for e in plan(book) if e.item.id == item_id)


def add_contact(
    book: Casebook, name: str, how_to_reach: str, knows: bool, can_help_with: str
) -> TrustedContact:
    if not name.strip():
        raise InvalidInput("Please give the person's name.")
    fields: JsonObject = {
        "name": name.strip(),
        "how_to_reach": how_to_reach,
        "knows": knows,
        "can_help_with": can_help_with,
    }
    return _contact(store.create(book, CONTACT_KIND, fields))


def _contact(stored: store.Stored) -> TrustedContact:
    data = stored.data
    return TrustedContact(
        stored.id,
        str(data["name"]),
        str(data.get("how_to_reach") or ""),
        bool(data.get("knows")),
        str(data.get("can_help_with") or ""),
    )


def contacts(book: Casebook) -> list[TrustedContact]:
    return [_contact(s) for s in store.current(book, CONTACT_KIND)]


def remove_contact(book: Casebook, contact_id: int, reason: str) -> None:
    store.remove(book, CONTACT_KIND, contact_id, reason)


def emergency_card_text(book: Casebook) -> str:
    """The card's words: plain text for the terminal, and the body of the printable page."""
    screen = build_help_now()
    lines = ["IN AN EMERGENCY", ""]
    for entry in (*screen.emergency, *screen.helplines):
        lines.append(f"{entry.dial}  {entry.name}: {entry.detail}")
    people = [c for c in contacts(book) if c.knows]
    if people:
        lines += ["", "People who know and can help:"]
        lines += [
            f"{c.name}: {c.how_to_reach} ({c.can_help_with})".replace(" ()", "") for c in people
        ]
    emergency = next((e for e in plan(book) if e.item.id == "emergency-plan"), None)
    if emergency and emergency.notes:
        lines += ["", "My plan:", emergency.notes]
    return "\n".join(lines)


def emergency_card_html(book: Casebook) -> str:
    """A self-contained page that prints on one sheet. No scripts, fonts or links to load."""
    body = "".join(
        f"<p>{html.escape(line)}</p>" if line else "<hr>"
        for line in emergency_card_text(book).splitlines()
    )
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Emergency card</title>"
        "<style>body{font:14pt system-ui,sans-serif;max-width:16cm;margin:1cm auto}"
        "p{margin:.3em 0}hr{border:0;margin:.6em 0}@page{size:A4;margin:1.5cm}</style>"
        f"</head><body>{body}</body></html>\n"
    )
