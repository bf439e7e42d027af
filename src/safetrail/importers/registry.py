"""The importer registry: built-ins plus third-party importers from an entry-point group."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import entry_points

from safetrail.importers.base import Importer, Source

ENTRY_POINT_GROUP = "safetrail.importers"

# "module:Class" for each built-in importer; imported only when the registry is built.
BUILTIN_IMPORTERS: tuple[str, ...] = (
    "safetrail.importers.whatsapp:WhatsAppTextImporter",
    "safetrail.importers.whatsapp:WhatsAppZipImporter",
    "safetrail.importers.sms_backup:SmsBackupMessagesImporter",
    "safetrail.importers.sms_backup:SmsBackupCallsImporter",
    "safetrail.importers.telegram:TelegramJsonImporter",
    "safetrail.importers.telegram_html:TelegramHtmlImporter",
    "safetrail.importers.meta_dyi:MessengerJsonImporter",
    "safetrail.importers.meta_dyi:InstagramJsonImporter",
    "safetrail.importers.imessage:IMessageImporter",
    "safetrail.importers.signal_export:SignalExportImporter",
    "safetrail.importers.csv_log:CsvLogImporter",
    "safetrail.importers.email_import:EmlImporter",
    "safetrail.importers.email_import:MboxImporter",
    "safetrail.importers.email_msg:OutlookMsgImporter",
    "safetrail.importers.image:ImageImporter",
)


@dataclass(frozen=True, slots=True)
class PluginLoadError:
    name: str
    reason: str


class UnknownFormat(LookupError):
    pass


def _load_builtin(spec: str) -> Importer:
    module_name, _, class_name = spec.partition(":")
    module = importlib.import_module(module_name)
    instance: Importer = getattr(module, class_name)()
    return instance


class ImporterRegistry:
    """Holds importers by name. Built-ins win ties in detection, and the order is fixed."""

    def __init__(self, builtins: Iterable[Importer] | None = None) -> None:
        loaded = (
            list(builtins)
            if builtins is not None
            else [_load_builtin(s) for s in BUILTIN_IMPORTERS]
        )
        self._importers: dict[str, Importer] = {}
        self._builtin_names: set[str] = set()
        for importer in loaded:
            self._importers[importer.name] = importer
            self._builtin_names.add(importer.name)
        self.load_errors: list[PluginLoadError] = []

    def discover(self, group: str = ENTRY_POINT_GROUP) -> list[PluginLoadError]:
        """Load third-party importers. One that fails to load is reported and skipped."""
        errors: list[PluginLoadError] = []
        for ep in entry_points(group=group):
            try:
                candidate = ep.load()()
            except Exception as exc:  # a broken plugin must never stop an import
                errors.append(PluginLoadError(ep.name, f"{type(exc).__name__}: {exc}"))
                continue
            if not isinstance(candidate, Importer) or not isinstance(
                getattr(candidate, "name", None), str
            ):
                errors.append(PluginLoadError(ep.name, "does not provide the Importer interface"))
                continue
            if candidate.name in self._importers:
                errors.append(PluginLoadError(ep.name, f"name {candidate.name!r} is already taken"))
                continue
            self._importers[candidate.name] = candidate
        self.load_errors.extend(errors)
        return errors

    def names(self) -> list[str]:
        return sorted(self._importers)

    def get(self, name: str) -> Importer:
        try:
            return self._importers[name]
        except KeyError:
            known = ", ".join(self.names()) or "none"
            raise UnknownFormat(f"no importer called {name!r} (known: {known})") from None

    def detect(self, source: Source, head: bytes) -> Importer | None:
        """The importer with the highest confidence; ties go to built-ins, then by name."""
        best: tuple[int, int, str] | None = None
        winner: Importer | None = None
        for name in self.names():
            importer = self._importers[name]
            try:
                score = int(importer.sniff(source, head))
            except Exception:  # sniff must not raise; a plugin that does is ignored
                continue
            if score <= 0:
                continue
            key = (score, 1 if name in self._builtin_names else 0, name)
            if best is None or key[:2] > best[:2] or (key[:2] == best[:2] and name < best[2]):
                best, winner = key, importer
        return winner
