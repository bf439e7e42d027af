"""`analyse`: the whole pattern of the case, built from incidents and imported records.

Record tags come from the rules (stored at import, recomputed when the rules change), with the
person's confirmations and rejections applied. Two tags come from context rather than words:
contact after the person asked for no contact, and bursts of calls.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, func, select

from safetrail.analysis.model import THREAT_TAGS, Event, Tag, TagStatus
from safetrail.analysis.no_contact import find_request
from safetrail.analysis.results import Analysis, analyse
from safetrail.analysis.rules import tag_text
from safetrail.models.jsonvalue import JsonObject
from safetrail.services import tagging
from safetrail.services.casebook import Casebook
from safetrail.services.events import incident_events
from safetrail.services.subjects import list_subjects
from safetrail.storage.schema import record_tags, records

AFTER_REQUEST_RULE = "after-no-contact-request"
BURST_RULE = "burst-of-calls"
Decisions = dict[tuple[str, int, Tag], TagStatus]
NO_TAGS: frozenset[Tag] = frozenset()
AFTER_REQUEST_TAGS = frozenset({Tag.CONTACTING})


@dataclass
class CaseAnalysis:
    """The analysis, and every tag with why it is there.

    Context tags (contact after a no-contact request, bursts of calls) can cover most of a large
    casebook, so their entries are only built when asked for (`tags`, `to_json`).
    """

    analysis: Analysis
    found_tags: list[tagging.TagView]
    after_request: list[tuple[int, str]] = field(default_factory=list)
    undated_records: int = 0
    notes: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    """The events the analysis was built from (kept so the risk factors can reuse them)."""

    @property
    def tags(self) -> list[tagging.TagView]:
        after = [
            tagging.TagView(
                "record", record_id, Tag.CONTACTING, AFTER_REQUEST_RULE, words, TagStatus.SUGGESTED
            )
            for record_id, words in self.after_request
        ]
        return [*self.found_tags, *after, *_burst_views(self.analysis)]

    def suggested_count(self) -> int:
        found = sum(1 for view in self.found_tags if view.status is TagStatus.SUGGESTED)
        bursts = sum(
            len(burst.event_ids)
            for subject in self.analysis.subjects
            for burst in subject.pattern.bursts
        )
        return found + len(self.after_request) + bursts

    def to_json(self) -> JsonObject:
        out = self.analysis.to_json()
        out["tags_first_seen"] = out.pop("tags")
        out["tags"] = [view.to_json() for view in self.tags]
        out["undated_records"] = self.undated_records
        out["notes"] = list(self.notes)
        return out


@dataclass(frozen=True, slots=True)
class _Choices:
    """The person's decisions, indexed by entry, so applying them costs a lookup per entry."""

    rejected: dict[tuple[str, int], frozenset[Tag]]
    confirmed: dict[tuple[str, int], frozenset[Tag]]

    @classmethod
    def of(cls, decisions: Decisions) -> _Choices:
        rejected: dict[tuple[str, int], set[Tag]] = {}
        confirmed: dict[tuple[str, int], set[Tag]] = {}
        for (kind, entity_id, tag), status in decisions.items():
            target = rejected if status is TagStatus.REJECTED else confirmed
            target.setdefault((kind, entity_id), set()).add(tag)
        return cls(
            {k: frozenset(v) for k, v in rejected.items()},
            {k: frozenset(v) for k, v in confirmed.items()},
        )

    def apply(self, found: frozenset[Tag], kind: str, entity_id: int) -> frozenset[Tag]:
        """The tags in force: the rules' (or the person's) minus rejected, plus confirmed."""
        key = (kind, entity_id)
        rejected = self.rejected.get(key)
        confirmed = self.confirmed.get(key)
        if rejected is None and confirmed is None:
            return found
        return (found - (rejected or frozenset())) | (confirmed or frozenset())


_TAGS_BY_VALUE = {tag.value: tag for tag in Tag}


def _record_tags(conn: Connection) -> dict[int, frozenset[Tag]]:
    """Each tagged record's tags. Identical sets are shared: most records carry one of a few."""
    found: dict[int, set[str]] = {}
    for record_id, tag in conn.execute(select(record_tags.c.record_id, record_tags.c.tag)):
        found.setdefault(record_id, set()).add(tag)
    shared: dict[frozenset[str], frozenset[Tag]] = {}
    result: dict[int, frozenset[Tag]] = {}
    for record_id, values in found.items():
        key = frozenset(values)
        if key not in shared:
            shared[key] = frozenset(_TAGS_BY_VALUE[v] for v in key)
        result[record_id] = shared[key]
    return result


def _no_contact_requests(conn: Connection) -> dict[object, tuple[str, str]]:
    """When the person first asked for no contact, and the words, for each subject.

    A request belongs to the conversation it was sent in (same export, same chat); it applies to
    every person linked to that conversation, so later contact on any channel counts. Where no
    one is linked yet, it applies to the conversation itself.
    """
    direction = func.coalesce(records.c.direction_set, records.c.direction)
    query = (
        select(records.c.evidence_id, records.c.thread, records.c.occurred_utc, records.c.text)
        .where(direction == "sent", records.c.occurred_utc.is_not(None))
        .order_by(records.c.occurred_utc)
    )
    first: dict[object, tuple[str, str]] = {}
    for row in conn.execute(query):
        request = find_request(row.text or "")
        if request is None:
            continue
        first.setdefault(
            ("conversation", row.evidence_id, row.thread), (row.occurred_utc, request.words)
        )
        linked = conn.execute(
            select(records.c.subject_id)
            .where(
                records.c.evidence_id == row.evidence_id,
                records.c.thread.is_not_distinct_from(row.thread),
                records.c.subject_id.is_not(None),
            )
            .distinct()
        ).scalars()
        for subject_id in linked:
            first.setdefault(subject_id, (row.occurred_utc, request.words))
    return first


def _request_for(
    requests: dict[object, tuple[str, str]],
    subject_id: int | None,
    evidence_id: int,
    thread: str | None,
) -> tuple[str, str] | None:
    found = [
        r
        for r in (requests.get(subject_id), requests.get(("conversation", evidence_id, thread)))
        if r is not None
    ]
    return min(found) if found else None


def _record_events(
    conn: Connection, choices: _Choices, after_request: list[tuple[int, str]]
) -> Iterator[Event]:
    tags = _record_tags(conn)
    requests = _no_contact_requests(conn)
    threat_ids = [i for i, found in tags.items() if found & THREAT_TAGS]
    texts = _texts(conn, threat_ids)
    request_cache: dict[tuple[int | None, int, str | None], tuple[str, str] | None] = {}
    any_choices = bool(choices.rejected or choices.confirmed)
    # A million rows: read plain tuples from the driver, not SQLAlchemy rows.
    cursor = conn.connection.driver_connection.execute(EVENT_ROWS_SQL)  # type: ignore[union-attr]
    for (
        record_id,
        kind,
        channel,
        at,
        at_utc,
        ambiguity,
        subject_id,
        thread,
        evidence_id,
        direction,
    ) in cursor:
        by_subject = direction != "sent"
        in_force = tags.get(record_id, NO_TAGS)
        if any_choices:
            in_force = choices.apply(in_force, "record", record_id)
        where = (subject_id, evidence_id, thread)
        if where not in request_cache:
            request_cache[where] = _request_for(requests, subject_id, evidence_id, thread)
        request = request_cache[where]
        after = bool(by_subject and request and at_utc > request[0])
        if after and request:
            in_force = in_force | AFTER_REQUEST_TAGS
            after_request.append((record_id, request[1]))
        # Positional: a million calls with keywords cost half a second more.
        yield Event(
            kind,
            record_id,
            datetime.fromisoformat(at),
            subject_id,
            channel,
            texts.get(record_id, ""),
            bool(ambiguity),
            by_subject,
            in_force,
            after,
        )


EVENT_ROWS_SQL = (
    "SELECT id, kind, channel, occurred_at, occurred_utc, ambiguity, subject_id, thread, "
    "evidence_id, coalesce(direction_set, direction) FROM records "
    "WHERE occurred_utc IS NOT NULL ORDER BY occurred_utc"
)


def _texts(conn: Connection, ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for record_id, text in conn.execute(
            select(records.c.id, records.c.text).where(records.c.id.in_(chunk))
        ):
            found[record_id] = text
    return found


def _incident_events(
    book: Casebook, decisions: Decisions, views: list[tagging.TagView]
) -> list[Event]:
    """The person's chosen behaviours, plus the rules' suggestions on what they wrote."""
    from dataclasses import replace

    events, _ = incident_events(book)
    result = []
    for event in events:
        incident_id = -event.id
        suggested: set[Tag] = set()
        for tag in event.tags:
            views.append(
                tagging.TagView("incident", incident_id, tag, "chosen-by-you", "", TagStatus.CHOSEN)
            )
        for hit in tag_text(event.text):
            if hit.tag not in event.tags and hit.tag not in suggested:
                suggested.add(hit.tag)
                status = decisions.get(("incident", incident_id, hit.tag), TagStatus.SUGGESTED)
                views.append(
                    tagging.TagView("incident", incident_id, hit.tag, hit.rule, hit.words, status)
                )
        in_force = _Choices.of(decisions).apply(
            frozenset(event.tags | suggested), "incident", incident_id
        )
        result.append(replace(event, tags=in_force))
    return result


@dataclass
class CaseEvents:
    events: list[Event]
    views: list[tagging.TagView]
    after_request: list[tuple[int, str]]
    undated: int


def case_events(book: Casebook) -> CaseEvents:
    """Every incident and dated record as an Event, with the tags in force and why."""
    with book.transaction() as conn:
        tagging.ensure_current(conn)
    decisions = tagging.decisions(book)
    views: list[tagging.TagView] = []
    after_request: list[tuple[int, str]] = []
    events = _incident_events(book, decisions, views)
    with book.read() as conn:
        views += tagging.record_tag_views(conn, None, decisions)
        events += list(_record_events(conn, _Choices.of(decisions), after_request))
        undated = int(
            conn.execute(select(func.count()).where(records.c.occurred_at.is_(None))).scalar() or 0
        )
    return CaseEvents(events, views, after_request, undated)


def analyse_case(
    book: Casebook, jurisdiction: str | None = None, now: datetime | None = None
) -> CaseAnalysis:
    found = case_events(book)
    names = {s.id: s.details.label(s.id) for s in list_subjects(book)}
    zone = book.setting("timezone") or "Europe/London"
    chosen = jurisdiction or book.setting("jurisdiction") or "england-wales"
    if not found.events:
        empty = analyse([], zone, chosen, now or datetime.now().astimezone(), names=names)
        return CaseAnalysis(
            empty, found.views, [], found.undated, ["There is nothing to analyse yet."]
        )
    result = analyse(found.events, zone, chosen, now, names=names)
    notes = []
    if found.undated:
        notes.append(
            f"{found.undated} imported record(s) have no readable time and are not counted."
        )
    return CaseAnalysis(
        result, found.views, found.after_request, found.undated, notes, found.events
    )


def _burst_views(result: Analysis) -> list[tagging.TagView]:
    views = []
    for subject in result.subjects:
        for burst in subject.pattern.bursts:
            words = (
                f"{burst.count} contacts between {burst.start:%H:%M} and {burst.end:%H:%M} "
                f"on {burst.start:%d %b %Y}"
            )
            for event_id in burst.event_ids:
                kind, number = ("incident", -event_id) if event_id < 0 else ("record", event_id)
                views.append(
                    tagging.TagView(
                        kind, number, Tag.CONTACTING, BURST_RULE, words, TagStatus.SUGGESTED
                    )
                )
    return views
