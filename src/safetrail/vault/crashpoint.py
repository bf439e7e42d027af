"""Named crash points for the reliability tests, off unless a test sets SAFETRAIL_CRASH_AT.

When SAFETRAIL_CRASH_AT equals a point's name, the process kills itself there with SIGKILL,
so a test can land a crash exactly between two steps (for example after the key file is
replaced but before the database commits). Unset, each point is one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

ENV_CRASH_AT = "SAFETRAIL_CRASH_AT"

# The points, for the tests to iterate over; each name is used at exactly one place.
POINTS = (
    "transaction-committed",  # the database committed; the head record not yet written
    "ingest-parsed",  # records and blobs written; the import's transaction not yet committed
    "atomic-written",  # a whole temporary file written; not yet renamed into place
    "bundle-staged",  # the plaintext bag staged beside the output; the zip not yet written
    "bundle-zipped",  # the bundle zipped inside its staging folder; not yet renamed into place
    "keyfile-replaced",  # the new key file is in place; its custody entry not yet committed
    "restore-staged",  # a restored casebook unpacked and checked; not yet renamed into place
)


def crash_point(name: str) -> None:
    if os.environ.get(ENV_CRASH_AT) == name:
        os.kill(os.getpid(), signal.SIGKILL)
