"""WhatsApp "Export chat": the `.txt` alone, or the `.zip` with `_chat.txt` and the media.

Android writes `06/03/2017, 00:45 - Name: text`, iOS `[06/03/2017, 00:45:12] Name: text`, and
the date, clock and separators follow the phone's locale. Both importers share the parser in
whatsapp_parse; the zip importer adds the media files the messages name.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path, PurePosixPath
from typing import IO, ClassVar

from safetrail.importers.base import ImportFormatError, ImportOptions, Limits, ParseItem, Source
from safetrail.importers.safezip import open_checked_zip, read_member
from safetrail.importers.whatsapp_body import MediaRef, media_type_for
from safetrail.importers.whatsapp_header import HEAD_LINES, detect_shape
from safetrail.importers.whatsapp_lines import BOM, STREAM_ERRORS
from safetrail.importers.whatsapp_parse import Chat, MediaSource, parse_chat
from safetrail.models.record import Attachment, Locator, ParseWarning

_CHAT_NAME = re.compile(
    r"(?:WhatsApp Chat (?:with|mit|met|con|avec|com|-) |WhatsApp-Chat mit |Chat de WhatsApp con |"
    r"Discussion WhatsApp avec |Conversa do WhatsApp com |Chat WhatsApp (?:con|dengan) |"
    r"WhatsApp-chat met |Чат WhatsApp с )(?P<name>.+?)(?:\.txt|\.zip)?",
    re.IGNORECASE,
)
_HEAD_SNIFF_BYTES = 64 * 1024


def chat_name(file_name: str) -> str | None:
    match = _CHAT_NAME.fullmatch(PurePosixPath(file_name).name)
    return match.group("name") if match else None


def _looks_like_chat(head: bytes) -> bool:
    text = head[:_HEAD_SNIFF_BYTES].removeprefix(BOM).decode("utf-8", "replace")
    return detect_shape(text.splitlines()[: HEAD_LINES * 2]) is not None


class WhatsAppTextImporter:
    name: ClassVar[str] = "whatsapp_txt"
    version: ClassVar[str] = "2"
    label: ClassVar[str] = "WhatsApp chat export (.txt)"

    def sniff(self, source: Source, head: bytes) -> int:
        try:
            if head.startswith(b"PK\x03\x04") or not _looks_like_chat(head):
                return 0
        except Exception:
            return 0
        return 90 if source.display_name.casefold().endswith(".txt") else 70

    def parse(self, source: Source, options: ImportOptions) -> Iterator[ParseItem]:
        path = source.path

        def opener() -> AbstractContextManager[IO[bytes]]:
            try:
                return path.open("rb")
            except OSError as exc:
                raise ImportFormatError(f"the chat file could not be opened ({exc})") from exc

        chat = Chat(opener, None, chat_name(source.display_name), MediaSource(), options)
        yield from parse_chat(chat)


class _ZipMedia(MediaSource):
    """Media files inside the export zip, read when a message names them."""

    def __init__(self, archive: zipfile.ZipFile, chat_member: str, limits: Limits) -> None:
        self.archive = archive
        self.limits = limits
        self.by_name: dict[str, str] = {}
        for info in archive.infolist():
            if not info.is_dir() and info.filename != chat_member:
                self.by_name.setdefault(PurePosixPath(info.filename).name, info.filename)
        self.used: set[str] = set()

    def named(self, ref: MediaRef, where: Locator) -> tuple[Attachment, ParseWarning | None]:
        member = self.by_name.get(ref.filename) or self.by_name.get(
            PurePosixPath(ref.filename).name
        )
        if member is None:
            return self._missing(ref, where, "the file is not in the zip")
        self.used.add(member)
        try:
            data = read_member(self.archive, member, self.limits.max_attachment_bytes)
        except ImportFormatError as exc:
            return self._missing(ref, where, exc.message)
        except STREAM_ERRORS as exc:
            return self._missing(ref, where, f"the file in the zip could not be read ({exc})")
        return Attachment(ref.filename, media_type_for(ref.filename), data=data), None

    def _missing(self, ref: MediaRef, where: Locator, why: str) -> tuple[Attachment, ParseWarning]:
        return (
            Attachment(ref.filename, ref.media_type, missing=why),
            ParseWarning(f"the message names the file {ref.filename!r}: {why}", where),
        )

    def unused(self) -> Iterator[ParseWarning]:
        for name in sorted(set(self.by_name.values()) - self.used):
            yield ParseWarning(
                "this file in the zip is not named by any message; it was not imported",
                Locator(member=name),
            )


def _chat_member(archive: zipfile.ZipFile) -> str:
    names = [i.filename for i in archive.infolist() if not i.is_dir()]
    for name in names:
        base = PurePosixPath(name).name
        if base == "_chat.txt" or (base.endswith(".txt") and chat_name(base)):
            return name
    texts = [n for n in names if n.casefold().endswith(".txt")]
    if len(texts) == 1:
        return texts[0]
    raise ImportFormatError("no WhatsApp chat text (_chat.txt) was found in the zip")


class WhatsAppZipImporter:
    name: ClassVar[str] = "whatsapp_zip"
    version: ClassVar[str] = "2"
    label: ClassVar[str] = "WhatsApp chat export with media (.zip)"

    def sniff(self, source: Source, head: bytes) -> int:
        if not head.startswith(b"PK\x03\x04"):
            return 0
        try:
            with zipfile.ZipFile(source.path) as archive:
                member = _chat_member(archive)
                with archive.open(member) as stream:
                    sample = stream.read(_HEAD_SNIFF_BYTES)
            return 95 if _looks_like_chat(sample) else 0
        except Exception:
            return 0

    def parse(self, source: Source, options: ImportOptions) -> Iterator[ParseItem]:
        archive = open_checked_zip(Path(source.path), options.limits)
        with archive:
            member = _chat_member(archive)
            media = _ZipMedia(archive, member, options.limits)

            def opener() -> AbstractContextManager[IO[bytes]]:
                try:
                    return archive.open(member)
                except STREAM_ERRORS as exc:
                    raise ImportFormatError(
                        f"the chat inside the zip could not be read ({exc})",
                        Locator(member=member),
                    ) from exc

            thread = chat_name(member) or chat_name(source.display_name)
            yield from parse_chat(Chat(opener, member, thread, media, options))
            yield from media.unused()
