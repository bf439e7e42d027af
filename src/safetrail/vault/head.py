"""The head record: the last custody-log entry, kept beside the database under a keyed MAC.

It lets `verify` notice a database that was swapped for an older copy of itself (a rollback),
which a hash chain alone cannot show.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path

from safetrail.vault.atomic import atomic_write_bytes


@dataclass(frozen=True, slots=True)
class Head:
    seq: int
    hash: str


def _mac(key: bytes, head: Head) -> str:
    return hmac.new(key, f"{head.seq}:{head.hash}".encode(), hashlib.sha256).hexdigest()


def write_head(path: Path, key: bytes, head: Head) -> None:
    record = {"seq": head.seq, "hash": head.hash, "mac": _mac(key, head)}
    atomic_write_bytes(path, (json.dumps(record, sort_keys=True) + "\n").encode())


class HeadError(Exception):
    pass


def read_head(path: Path, key: bytes) -> Head | None:
    """The recorded head, None if there is none yet; HeadError if it was tampered with."""
    try:
        record = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise HeadError("the head record cannot be read") from exc
    try:
        head = Head(seq=int(record["seq"]), hash=str(record["hash"]))
        mac = str(record["mac"])
    except (KeyError, TypeError, ValueError) as exc:
        raise HeadError("the head record is damaged") from exc
    if not hmac.compare_digest(mac, _mac(key, head)):
        raise HeadError("the head record was changed outside Safetrail")
    return head
