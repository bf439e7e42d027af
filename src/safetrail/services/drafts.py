"""Drafts of a form, kept as the person types so nothing is lost if the window closes.

A draft lives in the encrypted database (never in a plain file) and is not part of the record:
it has no versions and no custody-log entry, and it is deleted once the entry is saved.
"""

from __future__ import annotations

import json
import re

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from safetrail.services.casebook import Casebook
from safetrail.services.errors import InvalidInput
from safetrail.storage import repository
from safetrail.storage.schema import drafts

MAX_FIELDS = 50
MAX_VALUE = 100_000
_KEY = re.compile(r"\A[a-z][a-z0-9_:-]{0,63}\Z")


def _check_key(key: str) -> str:
    if not _KEY.match(key):
        raise InvalidInput("That draft name is not one Safetrail uses.")
    return key


def save_draft(book: Casebook, key: str, values: dict[str, str]) -> None:
    """Replace the draft under `key` with these form values (bounded in number and length)."""
    _check_key(key)
    kept = {str(k)[:100]: str(v)[:MAX_VALUE] for k, v in list(values.items())[:MAX_FIELDS]}
    row = {
        "key": key,
        "saved_at": repository.now_utc().isoformat(),
        "data": json.dumps(kept, ensure_ascii=False),
    }
    statement = sqlite_insert(drafts).values(**row)
    statement = statement.on_conflict_do_update(
        index_elements=[drafts.c.key], set_={"saved_at": row["saved_at"], "data": row["data"]}
    )
    with book.transaction() as conn:
        conn.execute(statement)


def load_draft(book: Casebook, key: str) -> dict[str, str] | None:
    with book.read() as conn:
        data = conn.execute(select(drafts.c.data).where(drafts.c.key == _check_key(key))).scalar()
    if data is None:
        return None
    parsed = json.loads(data)
    if not isinstance(parsed, dict):
        return None
    return {str(k): str(v) for k, v in parsed.items()}


def discard_draft(book: Casebook, key: str) -> None:
    with book.transaction() as conn:
        conn.execute(delete(drafts).where(drafts.c.key == _check_key(key)))
