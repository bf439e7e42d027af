"""The demo casebook: a made-up case, built fresh in a temporary folder of its own."""

from __future__ import annotations

import secrets
import shutil
import tempfile
from pathlib import Path

from safetrail.services.casebook import Casebook, create_casebook
from safetrail.vault.keys import KdfParams

DEMO_PREFIX = "safetrail-demo-"
# The demo is never the person's data, so a light Argon2id is fine and keeps it quick to open.
DEMO_KDF = KdfParams(time_cost=1, memory_cost_kib=8 * 1024, parallelism=1)


def build_demo(kdf: KdfParams | None = None) -> tuple[Casebook, Path]:
    """Create and fill a fictional casebook. Returns it open, with the folder to delete later."""
    from safetrail.web.demo.fictional_case import fill

    folder = Path(tempfile.mkdtemp(prefix=DEMO_PREFIX))
    try:
        book = create_casebook(
            folder / "casebook", secrets.token_urlsafe(24), "DM", kdf=kdf or DEMO_KDF
        )
        fill(book)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return book, folder
