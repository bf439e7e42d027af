"""Shared body of the atheris targets: coverage-guided fuzzing of one importer's parser.

Long local runs only (`pip install -e '.[fuzz]'`), never part of `make test`. From the repo root:

    python -m tests.reliability.fuzz.atheris_whatsapp_txt -max_total_time=3600 corpus/whatsapp

The corpus folder is seeded with the importer's golden samples when empty. A crash is any
exception other than ImportFormatError: libFuzzer saves the input as crash-<hash> for replay.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from pathlib import Path

from tests.reliability.fuzz.mutations import CSV_MAPS, samples


def _seed(corpus: Path, importer: str) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    if not any(corpus.iterdir()):
        for sample in samples(importer):
            (corpus / sample.path.name).write_bytes(sample.data)


def main(importer_name: str) -> None:
    import atheris

    with atheris.instrument_imports():
        from safetrail.importers.base import ImportFormatError, ImportOptions, Source
        from safetrail.services.ingest import registry

        importer = registry().get(importer_name)  # loads (and instruments) the importers
    name = samples(importer_name)[0].path.name
    options = ImportOptions(column_map=CSV_MAPS.get(name, {}))
    work = Path(tempfile.mkdtemp(prefix=f"safetrail-atheris-{importer_name}-"))
    target = work / name

    def one_input(data: bytes) -> None:
        target.write_bytes(data)
        source = Source(target, name, hashlib.sha256(data).hexdigest(), len(data))
        try:
            for _item in importer.parse(source, options):
                pass
        except ImportFormatError:
            return

    args = list(sys.argv)
    folders = [a for a in args[1:] if not a.startswith("-")]
    if not folders:
        default = Path("fuzz-corpus") / importer_name
        args.append(str(default))
        folders = [str(default)]
    _seed(Path(folders[0]), importer_name)
    atheris.Setup(args, one_input)
    atheris.Fuzz()
