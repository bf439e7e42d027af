"""Behaviour tags on records: found by the rules, kept with the words that fired them, and
confirmed or rejected by the person (their choice wins, and is logged).

The rules' findings are derived data: they are stored for speed and recomputed whenever the rules
change. The person's decisions are versioned entities in the custody log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from safetrail.analysis import rules_weighted
from safetrail.analysis.model import Tag, TagStatus
from safetrail.analysis.rules import RULES, SCORED_RULES, tag_text
from safetrail.models.jsonvalue import JsonObject
from safetrail.services import simple_entities as store
from safetrail.services.casebook import Casebook
from safetrail.services.entities import Kind
from safetrail.services.errors import InvalidInput
from safetrail.storage import repository
from safetrail.storage.schema import record_tags, records

DECISION_KIND: Kind = "tag_decision"
TAGGER_VERSION = "1"
TAGGED_KINDS = frozenset({"message", "email", "post"})
META_KEY = "tag_rules_version"
BATCH = 5000
# The rule named on a tag the person added to a record that the rules did not find.
ADDED_BY_YOU = "added-by-you"


def rules_version() -> str:
    """Changes whenever any rule's name, tag, phrases or negation handling changes, any
    scoring rule's word lists, weights or threshold, or the published word weights."""
    digest = hashlib.sha256(TAGGER_VERSION.encode())
    for rule in RULES:
        digest.update(
            repr((rule.name, rule.tag.value, rule.pattern.pattern, rule.negatable)).encode()
        )
    for scored in SCORED_RULES:
        digest.update(scored.fingerprint().encode())
    digest.update(rules_weighted.load().fingerprint.encode())
    return digest.hexdigest()[:16]


def tag_rows(conn: Connection, rows: Iterable[Mapping[str, object]]) -> int:
    """Run the rules over freshly stored records (those the person did not send)."""
    found: list[dict[str, object]] = []
    for row in rows:
        if row["kind"] not in TAGGED_KINDS or row["direction"] == "sent" or not row["text"]:
            continue
        seen: set[tuple[str, str, int]] = set()
        for hit in tag_text(str(row["text"])):
            key = (hit.tag.value, hit.rule, hit.start)
            if key not in seen:
                seen.add(key)
                found.append(
                    {
                        "record_id": row["id"],
                        "tag": hit.tag.value,
                        "rule": hit.rule,
                        "words": hit.words,
                        "start": hit.start,
                        "end": hit.end,
                    }
                )
    if found:
        conn.execute(insert(record_tags), found)
    return len(found)


def ensure_current(conn: Connection) -> int:
    """If the rules changed since the records were tagged, tag them all again. Returns how many
    records were re-read (0 when already current)."""
    version = rules_version()
    if repository.get_meta(conn, META_KEY) == version:
        return 0
    conn.execute(delete(record_tags))
    columns = (records.c.id, records.c.kind, records.c.direction, records.c.text)
    last_id, done = 0, 0
    while True:
        batch = conn.execute(
            select(*columns).where(records.c.id > last_id).order_by(records.c.id).limit(BATCH)
        ).all()
        if not batch:
            break
        tag_rows(conn, [dict(r._mapping) for r in batch])
        last_id, done = batch[-1].id, done + len(batch)
    repository.set_meta(conn, META_KEY, version)
    return done


@dataclass(frozen=True, slots=True)
class Decision:
    target_kind: str
    target_id: int
    tag: Tag
    status: TagStatus

    def to_json(self) -> JsonObject:
        return {
            "target_kind": self.target_kind,
            "target_id": self.target_id,
            "tag": self.tag.value,
            "status": self.status.value,
        }


def decisions(book: Casebook) -> dict[tuple[str, int, Tag], TagStatus]:
    found: dict[tuple[str, int, Tag], TagStatus] = {}
    for item in store.current(book, DECISION_KIND):
        data = item.data
        key = (str(data["target_kind"]), int(str(data["target_id"])), Tag(str(data["tag"])))
        found[key] = TagStatus(str(data["status"]))
    return found


def decide(
    book: Casebook, target_kind: str, target_id: int, tag: str, status: TagStatus
) -> Decision:
    """Confirm or reject a tag on a record or incident. A later decision replaces an earlier one;
    both stay in the log."""
    if target_kind not in ("record", "incident"):
        raise InvalidInput("Tags are decided on a record or an incident.")
    if status not in (TagStatus.CONFIRMED, TagStatus.REJECTED):
        raise InvalidInput("A tag can be confirmed or rejected.")
    try:
        chosen = Tag(tag)
    except ValueError:
        raise InvalidInput(
            f"{tag!r} is not a tag. Tags: {', '.join(t.value for t in Tag)}."
        ) from None
    _check_target(book, target_kind, target_id)
    fields: JsonObject = {
        "target_kind": target_kind,
        "target_id": target_id,
        "tag": chosen.value,
        "status": status.value,
    }
    existing = [
        s
        for s in store.current(book, DECISION_KIND)
        if (s.data["target_kind"], s.data["target_id"], s.data["tag"])
        == (target_kind, target_id, chosen.value)
    ]
    if existing:
        store.change(book, DECISION_KIND, existing[0].id, fields)
    else:
        store.create(book, DECISION_KIND, fields)
    return Decision(target_kind, target_id, chosen, status)


def _check_target(book: Casebook, target_kind: str, target_id: int) -> None:
    from safetrail.services.incidents import get_incident

    if target_kind == "incident":
        get_incident(book, target_id)
        return
    with book.read() as conn:
        found = conn.execute(select(func.count()).where(records.c.id == target_id)).scalar()
    if not found:
        raise InvalidInput(f"There is no record {target_id}.")


@dataclass(slots=True)
class TagView:
    """One tag on one entry, as shown to the person. Treat as immutable (not frozen, because
    a large casebook builds a million of these)."""

    target_kind: str
    target_id: int
    tag: Tag
    rule: str
    words: str
    status: TagStatus

    def to_json(self) -> JsonObject:
        key = "record_id" if self.target_kind == "record" else "incident_id"
        return {
            key: self.target_id,
            "tag": self.tag.value,
            "rule": self.rule,
            "words": self.words,
            "status": self.status.value,
        }


def record_tag_views(
    conn: Connection, ids: Sequence[int] | None, chosen: Mapping[tuple[str, int, Tag], TagStatus]
) -> list[TagView]:
    """The rules' findings (for these records, or all), with the person's decisions applied,
    then the tags the person added that the rules did not find."""
    query = select(record_tags).order_by(record_tags.c.record_id, record_tags.c.start)
    rows: list[Any] = []
    if ids is None:
        rows = list(conn.execute(query))
    else:
        for start in range(0, len(ids), 900):
            rows += conn.execute(
                query.where(record_tags.c.record_id.in_(ids[start : start + 900]))
            ).all()
    added = _added_by_person(ids, chosen)
    views = []
    for row in rows:
        tag = Tag(row.tag)
        if added:
            added.pop((row.record_id, tag), None)
        status = chosen.get(("record", row.record_id, tag), TagStatus.SUGGESTED)
        views.append(TagView("record", row.record_id, tag, row.rule, row.words, status))
    views += added.values()
    return views


def _added_by_person(
    ids: Sequence[int] | None, chosen: Mapping[tuple[str, int, Tag], TagStatus]
) -> dict[tuple[int, Tag], TagView]:
    """The tags the person confirmed on these records (or all), by record and tag; those the
    rules also found are dropped by the caller, leaving the ones the person added."""
    wanted = None if ids is None else set(ids)
    return {
        (record_id, tag): TagView("record", record_id, tag, ADDED_BY_YOU, "", TagStatus.CONFIRMED)
        for (kind, record_id, tag), status in sorted(chosen.items())
        if kind == "record"
        and status is TagStatus.CONFIRMED
        and (wanted is None or record_id in wanted)
    }


def tags_of_record(book: Casebook, record_id: int) -> list[TagView]:
    """The behaviours the rules found in one record, why (the words), and the person's decision;
    then any the person added."""
    chosen = decisions(book)
    with book.read() as conn:
        return record_tag_views(conn, [record_id], chosen)
