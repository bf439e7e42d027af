"""The export for police: a zip of only what the person's current consent covers.

It holds the consent record, the incidents and records as JSON, the original files byte for
byte, the reports, and a `manifest-sha256.txt` that `sha256sum -c` checks. Never the
caseworkers' notes.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from typing import IO

from safetrail.models.filenames import safe_filename
from safetrail.server.casedata import ExportContent, SharedFile
from safetrail.vault.blobstore import BlobStore

SPOOL_BYTES = 16 << 20
README = """\
Safetrail: export for police from a caseworker server

This folder holds only what the person agreed to share (see consent.json), as it stood when
the export was made. The original files are in originals/, byte for byte. To check that no file
was changed, run in this folder:  sha256sum -c manifest-sha256.txt
Caseworkers' own notes are not included.
"""


class ExportDamaged(Exception):
    """A stored file no longer matches its SHA-256: the export was not made."""


def _json(value: object) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _original_name(file: SharedFile, taken: set[str]) -> str:
    name = safe_filename(file.filename, file.sha256[:12])
    candidate = name
    counter = 2
    while candidate in taken:
        candidate = f"{counter}_{name}"
        counter += 1
    taken.add(candidate)
    return candidate


def _add_blob(archive: zipfile.ZipFile, blobs: BlobStore, file: SharedFile, arcname: str) -> str:
    digest = hashlib.sha256()
    with archive.open(arcname, "w", force_zip64=True) as sink:
        for chunk in blobs.read_chunks(file.blob_name):
            digest.update(chunk)
            sink.write(chunk)
    if digest.hexdigest() != file.sha256:
        raise ExportDamaged(f"the stored copy of {file.filename} does not match its SHA-256")
    return digest.hexdigest()


def write_export(content: ExportContent, blobs: BlobStore, top: str) -> IO[bytes]:
    """The zip in a spooled temporary file, rewound, ready to stream."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    manifest: list[tuple[str, str]] = []
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, data: bytes) -> None:
            archive.writestr(f"{top}/{name}", data)
            manifest.append((hashlib.sha256(data).hexdigest(), name))

        add("README.txt", README.encode("utf-8"))
        add("consent.json", _json(content.consent))
        add("incidents.json", _json(content.incidents))
        add("records.json", _json(content.records))
        taken: set[str] = set()
        for file in content.evidence:
            name = f"originals/{_original_name(file, taken)}"
            manifest.append((_add_blob(archive, blobs, file, f"{top}/{name}"), name))
        for file in content.reports:
            name = f"reports/{_original_name(file, taken)}"
            manifest.append((_add_blob(archive, blobs, file, f"{top}/{name}"), name))
        lines = "".join(f"{sha}  {name}\n" for sha, name in manifest)
        archive.writestr(f"{top}/manifest-sha256.txt", lines.encode("utf-8"))
    spool.seek(0)
    return spool
