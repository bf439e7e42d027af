from __future__ import annotations

import importlib
import inspect
import pkgutil
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

import safetrail.importers
from safetrail.importers import registry as registry_module
from safetrail.importers.base import Importer, Source
from safetrail.importers.registry import BUILTIN_IMPORTERS, ImporterRegistry, UnknownFormat
from tests.importers.golden import SAMPLES, source_for


def importer_classes() -> set[str]:
    """Every class in the importers package that has the Importer shape, as "module:Class"."""
    found: set[str] = set()
    for info in pkgutil.iter_modules(safetrail.importers.__path__):
        module = importlib.import_module(f"safetrail.importers.{info.name}")
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and value.__module__ == module.__name__
                and isinstance(getattr(value, "name", None), str)
                and callable(getattr(value, "parse", None))
                and callable(getattr(value, "sniff", None))
            ):
                found.add(f"{module.__name__}:{name}")
    return found


def test_every_importer_class_is_registered() -> None:
    assert importer_classes() == set(BUILTIN_IMPORTERS)


def test_builtins_satisfy_the_protocol_and_have_unique_names() -> None:
    registry = ImporterRegistry()
    names = registry.names()
    assert len(names) == len(BUILTIN_IMPORTERS)
    for name in names:
        importer = registry.get(name)
        assert isinstance(importer, Importer)
        assert importer.version and importer.label


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("whatsapp/android_24h_dmy.txt", "whatsapp_txt"),
        ("whatsapp/ios_with_media.zip", "whatsapp_zip"),
        ("sms_backup_restore/messages.xml", "sms_backup_messages"),
        ("sms_backup_restore/calls.xml", "sms_backup_calls"),
        ("telegram/single_chat.json", "telegram_json"),
        ("imessage/chat.db", "imessage_db"),
    ],
)
def test_detection_is_deterministic(sample: str, expected: str) -> None:
    path = SAMPLES / sample
    head = path.read_bytes()[:4096]
    results = {ImporterRegistry().detect(source_for(path), head).name for _ in range(3)}  # type: ignore[union-attr]
    assert results == {expected}


def test_nothing_claims_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.bin"
    path.write_bytes(bytes(range(256)) * 4)
    assert ImporterRegistry().detect(source_for(path), path.read_bytes()) is None


def test_broken_plugin_is_reported_and_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    points = [
        EntryPoint("broken", "no_such_module_here:Thing", registry_module.ENTRY_POINT_GROUP),
        EntryPoint("notanimporter", "pathlib:PurePath", registry_module.ENTRY_POINT_GROUP),
    ]
    monkeypatch.setattr(registry_module, "entry_points", lambda group: points)
    registry = ImporterRegistry()
    errors = registry.discover()
    assert [e.name for e in errors] == ["broken", "notanimporter"]
    assert "ModuleNotFoundError" in errors[0].reason
    assert len(registry.names()) == len(BUILTIN_IMPORTERS)


def test_unknown_format_name() -> None:
    with pytest.raises(UnknownFormat, match="known:"):
        ImporterRegistry().get("fax")


def test_source_type_is_what_importers_get() -> None:
    assert Source.__slots__  # frozen, slotted: importers cannot change what they were given
