"""Finding records fast in a casebook of millions: filters, full-text search and paging.

Pages are read in the order of the time index (dated records first, oldest first), so a page
costs about the same whatever the casebook's size; records with no readable time follow. For a
text search, the plan depends on how many records hold the words: a few are fetched by id and
sorted; many are found by walking the time index and checking each against the matches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    TextClause,
    func,
    select,
    text,
)

from safetrail.models.timeutil import utc_key
from safetrail.services.errors import InvalidInput
from safetrail.storage.schema import records

FEW_MATCHES = 2000
Condition = ColumnElement[bool] | TextClause


def fts_query(text_query: str) -> str:
    """Each word becomes a quoted FTS5 term, so nothing a person types is read as syntax."""
    words = [w.replace('"', '""') for w in text_query.split() if w.strip()]
    if not words:
        raise InvalidInput("Please give some words to search for.")
    return " ".join(f'"{w}"' for w in words)


@dataclass(frozen=True, slots=True)
class RecordConditions:
    subject_id: int | None = None
    channel: str | None = None
    kind: str | None = None
    evidence_id: int | None = None
    start: datetime | None = None
    end: datetime | None = None
    tag: str | None = None
    text: str | None = None


def conditions_for(conn: Connection, wanted: RecordConditions) -> list[Condition] | None:
    """SQL conditions for these filters; None when the text search matches nothing at all."""
    found: list[Condition] = []
    if wanted.subject_id is not None:
        found.append(records.c.subject_id == wanted.subject_id)
    if wanted.channel:
        found.append(records.c.channel == wanted.channel)
    if wanted.kind:
        found.append(records.c.kind == wanted.kind)
    if wanted.evidence_id is not None:
        found.append(records.c.evidence_id == wanted.evidence_id)
    if wanted.start is not None:
        found.append(records.c.occurred_utc >= utc_key(wanted.start))
    if wanted.end is not None:
        found.append(records.c.occurred_utc < utc_key(wanted.end))
    if wanted.tag:
        found.append(
            text(
                "records.id + 0 IN (SELECT record_id FROM record_tags WHERE tag = :tag)"
            ).bindparams(tag=wanted.tag)
        )
    if wanted.text:
        matching = _text_condition(conn, fts_query(wanted.text))
        if matching is None:
            return None
        found.append(matching)
    return found


def _text_condition(conn: Connection, query: str) -> Condition | None:
    count = conn.execute(
        text("SELECT count(*) FROM records_fts WHERE records_fts MATCH :q"), {"q": query}
    ).scalar()
    if not count:
        return None
    if count <= FEW_MATCHES:
        ids = [
            row[0]
            for row in conn.execute(
                text("SELECT rowid FROM records_fts WHERE records_fts MATCH :q"), {"q": query}
            )
        ]
        return records.c.id.in_(ids)
    # "+ 0" keeps SQLite from looking the matches up one by one and sorting them all: it walks
    # the time index instead and stops after one page (13 ms against 520 ms on 1M records).
    return text(
        "records.id + 0 IN (SELECT rowid FROM records_fts WHERE records_fts MATCH :q)"
    ).bindparams(q=query)


def paged(
    conn: Connection,
    base: Select[Any],
    conditions: Sequence[Condition],
    offset: int,
    limit: int,
) -> list[Any]:
    """One page: dated records in time order, then those with no readable time."""
    dated_query = base.where(records.c.occurred_utc.is_not(None), *conditions)
    dated = conn.execute(
        dated_query.order_by(records.c.occurred_utc, records.c.id).offset(offset).limit(limit)
    ).all()
    if len(dated) == limit:
        return list(dated)
    if dated:
        dated_total = offset + len(dated)
    else:
        counted = (
            select(func.count())
            .select_from(records)
            .where(records.c.occurred_utc.is_not(None), *conditions)
        )
        dated_total = int(conn.execute(counted).scalar() or 0)
    undated = conn.execute(
        base.where(records.c.occurred_utc.is_(None), *conditions)
        .order_by(records.c.id)
        .offset(max(0, offset - dated_total))
        .limit(limit - len(dated))
    ).all()
    return [*dated, *undated]
