"""Malformed variants of every supported format: only typed errors, bounded time and memory.

Each importer in the registry gets mutated copies of its golden samples (see fuzz/mutations.py).
A parse may yield records and warnings, or raise ImportFormatError (AmbiguousDateOrder is one);
anything else is a bug, as is a parse past TIME_BOUND or one needing more than MEMORY_BOUND of
extra address space. SAFETRAIL_FUZZ_EXAMPLES sets the examples per format (CI: a small fixed
number; `make soak`: thousands).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safetrail.importers.base import ImportFormatError, ImportOptions, Source
from safetrail.importers.registry import BUILTIN_IMPORTERS
from safetrail.models.record import ParseWarning, Record
from safetrail.services.ingest import registry
from tests.reliability.fuzz.bounds import bounded
from tests.reliability.fuzz.mutations import CSV_MAPS, FORMATS, malformed

EXAMPLES = int(os.environ.get("SAFETRAIL_FUZZ_EXAMPLES", "30"))
TIME_BOUND = 20.0
MEMORY_BOUND = 1 << 30
OUTCOMES: Counter[tuple[str, str]] = Counter()


def test_every_builtin_importer_is_fuzzed() -> None:
    assert set(FORMATS) == {registry().get(n).name for n in registry().names()}
    assert len(FORMATS) == len(BUILTIN_IMPORTERS)


def parse_bounded(importer_name: str, name: str, data: bytes) -> str:
    """Parse `data` saved as `name`; the outcome ('records', 'refused'), or raise on a bug."""
    import hashlib

    importer = registry().get(importer_name)
    with tempfile.TemporaryDirectory(prefix="safetrail-fuzz-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        source = Source(path, name, hashlib.sha256(data).hexdigest(), len(data))
        with bounded(TIME_BOUND, MEMORY_BOUND):
            try:
                options = ImportOptions(column_map=CSV_MAPS.get(name, {}))
                for item in importer.parse(source, options):
                    assert isinstance(item, Record | ParseWarning)
            except ImportFormatError as exc:
                assert exc.describe(), "a refusal must say why"
                return "refused"
    return "parsed"


@pytest.mark.parametrize("importer_name", sorted(FORMATS))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=os.environ.get("SAFETRAIL_FUZZ_RANDOM") != "1",
)
@given(data=st.data())
def test_malformed_input_gives_only_typed_errors(importer_name: str, data: st.DataObject) -> None:
    sample, mutated = data.draw(malformed(importer_name))
    outcome = parse_bounded(importer_name, sample.path.name, mutated)
    OUTCOMES[(importer_name, outcome)] += 1


def teardown_module() -> None:
    target = os.environ.get("SAFETRAIL_RELIABILITY_OUT")
    if target and OUTCOMES:
        with Path(target).open("a", encoding="utf-8") as out:
            for (name, outcome), count in sorted(OUTCOMES.items()):
                row = {"suite": "fuzz", "format": name, "outcome": outcome, "cases": count}
                out.write(json.dumps(row) + "\n")
