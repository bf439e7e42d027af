"""The casebook's own settings (time zone, jurisdiction) and senders set aside as not relevant.

Each change is written to the custody log as the verifier expects: a "settings" entry holding
the new values, so `verify` can tell a change made here from one made behind Safetrail's back.
"""

from __future__ import annotations

import hmac
import json

from safetrail.analysis.offences import JURISDICTIONS
from safetrail.models.jsonvalue import JsonObject
from safetrail.services.casebook import KEYFILE, Casebook
from safetrail.services.errors import InvalidInput
from safetrail.services.when import zone
from safetrail.storage import repository
from safetrail.vault.keys import WrongPassphrase, read_keyfile, unwrap_master_key

JURISDICTION_NAMES: dict[str, str] = {
    "england-wales": "England and Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}
DISMISSED_KEY = "dismissed_senders"
MAX_KEY = 500


def change_settings(
    book: Casebook, timezone: str | None = None, jurisdiction: str | None = None
) -> dict[str, str]:
    """Set the time zone and/or jurisdiction; returns what changed (nothing is logged if none)."""
    wanted: dict[str, str] = {}
    if timezone is not None:
        zone(timezone)
        wanted["timezone"] = timezone
    if jurisdiction is not None:
        if jurisdiction not in JURISDICTIONS:
            raise InvalidInput(
                "Please choose one of: " + ", ".join(JURISDICTION_NAMES[j] for j in JURISDICTIONS)
            )
        wanted["jurisdiction"] = jurisdiction
    changed = {k: v for k, v in wanted.items() if book.setting(k) != v}
    if changed:
        with book.transaction() as conn:
            for key, value in changed.items():
                repository.set_meta(conn, key, value)
            details: JsonObject = dict(changed)
            repository.append_log(conn, "settings", "casebook", details)
    return changed


def dismissed_senders(book: Casebook) -> frozenset[str]:
    """Sender keys the person said are not relevant to the case."""
    raw = book.setting(DISMISSED_KEY)
    if not raw:
        return frozenset()
    try:
        found = json.loads(raw)
    except ValueError:
        return frozenset()
    return frozenset(str(k) for k in found) if isinstance(found, list) else frozenset()


def dismiss_sender(book: Casebook, key: str) -> None:
    """Set a sender aside as not relevant: they stop being asked about. Their records stay."""
    if not key or len(key) > MAX_KEY:
        raise InvalidInput("That sender could not be found.")
    kept = sorted(dismissed_senders(book) | {key})
    with book.transaction() as conn:
        repository.set_meta(conn, DISMISSED_KEY, json.dumps(kept))
        repository.append_log(conn, "dismiss_sender", "records", {"sender_key": key})


def passphrase_opens(book: Casebook, passphrase: str) -> bool:
    """Whether this passphrase opens the casebook now open (asked again before changing it)."""
    try:
        master = unwrap_master_key(read_keyfile(book.root / KEYFILE), passphrase)
    except WrongPassphrase:
        return False
    return hmac.compare_digest(master, book.master_key)
