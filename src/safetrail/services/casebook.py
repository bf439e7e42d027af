"""Creating, opening and closing a casebook: the encrypted database, blob store and key file."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, select

from safetrail import __version__
from safetrail.models.evidence import check_initials
from safetrail.services.errors import CasebookExists, CasebookNotFound, InvalidInput
from safetrail.storage import repository
from safetrail.storage.engine import check_key, sqlcipher_engine, upgrade_if_needed
from safetrail.storage.schema import custody_log
from safetrail.vault.blobstore import BlobStore
from safetrail.vault.crashpoint import crash_point
from safetrail.vault.head import Head, HeadError, read_head, write_head
from safetrail.vault.keys import (
    KdfParams,
    SubKeys,
    check_new_passphrase,
    derive_subkeys,
    keyfile_identity,
    new_master_key,
    read_keyfile,
    unwrap_master_key,
    wrap_master_key,
    write_keyfile,
)
from safetrail.vault.lock import CasebookLock

KEYFILE = "keyfile.json"
DATABASE = "casebook.db"
BLOBS = "blobs"
HEAD = "head.json"
LOCKFILE = "lock"
ENV_CASEBOOK = "SAFETRAIL_CASEBOOK"
DEFAULT_TIMEZONE = "Europe/London"


def default_location() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("safetrail", appauthor=False)) / "casebook"


def resolve_location(explicit: str | Path | None) -> Path:
    """--casebook, then SAFETRAIL_CASEBOOK, then the user data directory."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(ENV_CASEBOOK)
    if from_env:
        return Path(from_env).expanduser()
    return default_location()


@dataclass
class Casebook:
    """An open casebook. Only one process holds it at a time."""

    root: Path
    casebook_id: str
    engine: Engine
    blobs: BlobStore
    keys: SubKeys
    master_key: bytes
    rollback_suspected: str | None = None
    _lock: CasebookLock | None = field(default=None, repr=False)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One atomic change; the head record follows once the database has committed."""
        with self.engine.begin() as conn:
            yield conn
            head = repository.last_head(conn)
        crash_point("transaction-committed")
        write_head(self.root / HEAD, self.keys.head, head)

    def read(self) -> Connection:
        return self.engine.connect()

    def setting(self, key: str) -> str | None:
        with self.read() as conn:
            return repository.get_meta(conn, key)

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Casebook:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _build(root: Path, master: bytes, casebook_id: str) -> Casebook:
    keys = derive_subkeys(master)
    engine = sqlcipher_engine(root / DATABASE, keys.database)
    blobs = BlobStore(root / BLOBS, keys.blob_encryption, keys.blob_names)
    return Casebook(root, casebook_id, engine, blobs, keys, master)


def create_casebook(
    root: Path,
    passphrase: str,
    initials: str,
    timezone: str = DEFAULT_TIMEZONE,
    kdf: KdfParams | None = None,
) -> Casebook:
    """Make a new casebook at `root`, which must not exist yet (or be an empty folder)."""
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise CasebookExists(f"There is already something at {root}. Choose another place.")
    try:
        check_new_passphrase(passphrase)
        initials = check_initials(initials)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = root.parent / f".{root.name}.creating-{secrets.token_hex(4)}"
    staging.mkdir(mode=0o700)
    try:
        casebook_id = str(uuid.uuid4())
        master = new_master_key()
        keyfile = wrap_master_key(master, passphrase, casebook_id, kdf or KdfParams())
        book = _build(staging, master, casebook_id)
        upgrade_if_needed(book.engine)
        _initialise(book, initials, timezone, keyfile_identity(keyfile))
        book.engine.dispose()
        write_keyfile(staging / KEYFILE, keyfile)
        if root.exists():
            root.rmdir()
        staging.rename(root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return open_casebook(root, passphrase)


def _initialise(book: Casebook, initials: str, timezone: str, keyfile_id: str) -> None:
    settings = {"initials": initials, "timezone": timezone, "jurisdiction": "england-wales"}
    with book.transaction() as conn:
        repository.set_meta(conn, "casebook_id", book.casebook_id)
        for key, value in settings.items():
            repository.set_meta(conn, key, value)
        repository.append_log(
            conn,
            "create",
            "casebook",
            {
                "casebook_id": book.casebook_id,
                "software": f"safetrail {__version__}",
                "keyfile": keyfile_id,
                **settings,
            },
        )


def open_casebook(root: Path, passphrase: str) -> Casebook:
    """Open with the passphrase. A wrong passphrase raises WrongPassphrase and changes nothing."""
    if not (root / KEYFILE).exists():
        raise CasebookNotFound(f"There is no casebook at {root}. To make one, run: safetrail init")
    lock = CasebookLock(root / LOCKFILE)
    lock.acquire()
    try:
        keyfile = read_keyfile(root / KEYFILE)
        master = unwrap_master_key(keyfile, passphrase)
        book = _build(root, master, str(keyfile["casebook_id"]))
        check_key(book.engine)
        upgrade_if_needed(book.engine)
        book.rollback_suspected = _reconcile_head(book)
        _reconcile_passphrase_change(book, keyfile)
        book.blobs.clear_staging()
    except BaseException:
        lock.release()
        raise
    book._lock = lock
    return book


def _reconcile_head(book: Casebook) -> str | None:
    """Bring the head record up to date after a crash; say so if the database went backwards."""
    try:
        recorded = read_head(book.root / HEAD, book.keys.head)
    except HeadError as exc:
        return str(exc)
    with book.read() as conn:
        current = repository.last_head(conn)
    if recorded is not None and recorded.seq > current.seq:
        return (
            f"the database ends at custody entry {current.seq}, but entry {recorded.seq} "
            "was recorded: an older copy of the database may have been put back"
        )
    if recorded is None or recorded != current:
        write_head(book.root / HEAD, book.keys.head, Head(current.seq, current.hash))
    return None


def _logged_keyfile(conn: Connection) -> str | None:
    """The key file the custody log last recorded (None for casebooks made before it did)."""
    rows = conn.execute(
        select(custody_log.c.details)
        .where(
            custody_log.c.kind == "casebook",
            custody_log.c.action.in_(("create", "passphrase_changed")),
        )
        .order_by(custody_log.c.seq.desc())
    ).scalars()
    for details in rows:
        value = json.loads(details).get("keyfile")
        if isinstance(value, str):
            return value
    return None


def _reconcile_passphrase_change(book: Casebook, keyfile: dict[str, object]) -> None:
    """Log a passphrase change whose key file landed but whose log entry did not (a crash)."""
    current = keyfile_identity(keyfile)
    with book.read() as conn:
        logged = _logged_keyfile(conn)
    if logged is not None and logged != current:
        with book.transaction() as conn:
            repository.append_log(
                conn,
                "passphrase_changed",
                "casebook",
                {"keyfile": current, "noted": "recorded when the casebook was next opened"},
            )


def change_passphrase(book: Casebook, new_passphrase: str, kdf: KdfParams | None = None) -> None:
    """Re-wrap the master key under the new passphrase. Nothing else changes.

    Replacing the key file is the one step that makes the change; its custody entry follows,
    and if a crash comes between the two, the next open writes the entry.
    """
    try:
        check_new_passphrase(new_passphrase)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    keyfile = wrap_master_key(book.master_key, new_passphrase, book.casebook_id, kdf or KdfParams())
    write_keyfile(book.root / KEYFILE, keyfile)
    crash_point("keyfile-replaced")
    with book.transaction() as conn:
        repository.append_log(
            conn, "passphrase_changed", "casebook", {"keyfile": keyfile_identity(keyfile)}
        )
