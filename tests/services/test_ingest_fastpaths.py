"""The import's fast paths give exactly what the general code gives."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest

from safetrail.models.jsonvalue import canonical_json
from safetrail.models.record import Attachment, Locator, Record, RecordKind
from safetrail.models.timeutil import utc_key
from safetrail.services.ingest import (
    locator_data,
    locator_json,
    record_without_lone_surrogates,
    without_lone_surrogates,
)

LONE = "\ud800"


def _record(**changes: object) -> Record:
    base = Record(
        kind=RecordKind.MESSAGE,
        channel="sms",
        locator=Locator(line_start=1, line_end=2),
        timestamp_text="01/02/2024, 10:00",
        occurred_at=datetime(2024, 2, 1, 10, tzinfo=UTC),
        text="hello \U0001f600",
    )
    for name, value in changes.items():
        setattr(base, name, value)
    return base


def _lone_value(name: str, annotation: str) -> object:
    """A value for the field that holds a lone surrogate somewhere inside it."""
    if name == "locator":
        return Locator(row=LONE)
    if name == "attachments":
        return (Attachment(filename=LONE, media_type="image/jpeg"),)
    if name == "extra":
        return (("key", LONE),)
    if annotation == "tuple[str, ...]":
        return (LONE,)
    if annotation in {"str", "str | None"}:
        return LONE
    raise AssertionError(f"no lone-surrogate case for Record.{name}: {annotation}")


TEXT_FIELDS = [
    f
    for f in dataclasses.fields(Record)
    if "str" in str(f.type) or f.name in {"locator", "attachments"}
]


@pytest.mark.parametrize("spec", TEXT_FIELDS, ids=lambda f: f.name)
def test_fast_check_repairs_every_text_field(spec: dataclasses.Field[object]) -> None:
    record = _record(**{spec.name: _lone_value(spec.name, str(spec.type))})
    repaired = record_without_lone_surrogates(record)
    assert repaired is not record
    assert repaired == without_lone_surrogates(record)
    assert LONE not in repr(repaired)


@pytest.mark.parametrize(
    "locator",
    [
        Locator(line_start=3, line_end=5),
        Locator(byte_start=0, byte_end=120),
        Locator(line_start=1, line_end=1, byte_start=7, byte_end=80),
        Locator(row="12"),
        Locator(member="chat.txt", line_start=4),
        Locator(),
    ],
)
def test_locator_json_matches_canonical_json(locator: Locator) -> None:
    record = _record(locator=locator)
    assert locator_json(record) == canonical_json(locator_data(record))
    assert record_without_lone_surrogates(record) is record


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2024, 3, 31, 1, 30, tzinfo=UTC),
        datetime(2024, 10, 27, 1, 30, 15, 250, tzinfo=timezone(timedelta(hours=1))),
        datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-5))),
        datetime(999, 5, 6, 7, 8, 9, tzinfo=UTC),
    ],
)
def test_utc_key_text_is_unchanged(moment: datetime) -> None:
    assert utc_key(moment) == moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
