"""Reading SMS Backup & Restore XML safely, streamed, in bounded memory.

A backup is a flat list of elements under one root (<smses> or <calls>), often gigabytes of base64
media. Everything in it may have been written by the person causing harm, so:

- A DOCTYPE (and with it any entity declaration or external DTD) is refused before libxml2 sees
  the file: real backups never have one. lxml is also told not to resolve entities, load a DTD or
  use the network, and the parsed document is checked again for a DTD when the first element ends.
- The file is streamed with iterparse; each top-level element is cleared and dropped once it has
  been handled, and one top-level element may hold at most MAX_NESTED_ELEMENTS elements.
- UTF-16 backups (a BOM, or the byte pattern of "<?") are transcoded to UTF-8 on the fly. Other
  encodings must be ASCII-compatible and named in the XML declaration (UTF-8 by default).
- Character references that XML forbids but real exports contain are repaired on the fly: a UTF-16
  surrogate pair written as two references (&#55357;&#56832;, from Android's XML serialiser in
  Signal and Silence exports in this format) becomes the one character it stands for, with one
  summary warning; any other forbidden reference (&#1;, a lone surrogate) becomes U+FFFD with a
  warning naming its line.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol, cast

from lxml import etree

from safetrail.importers.base import ImportFormatError
from safetrail.models.record import Locator, ParseWarning

HEAD_BYTES = 64 * 1024
READ_CHUNK = 1 << 20
MAX_NESTED_ELEMENTS = 10_000
MAX_REFERENCE_WARNINGS = 20
_CARRY_WINDOW = 48

_SINGLE_BYTE_CODECS = frozenset(
    {"utf-8", "ascii", "latin-1"}
    | {f"iso8859-{n}" for n in range(2, 17)}
    | {f"cp{n}" for n in range(1250, 1259)}
)

_PROLOG_SKIP = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)
# Unambiguous, so a hostile head cannot make it backtrack for long (used by sniff only).
_DOCTYPE_SKIP = re.compile(r"<!DOCTYPE[^\[>]*(?:\[[^\]]*\])?\s*>")
_ROOT_START = re.compile(r"<([A-Za-z_][\w.:-]*)")
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")

_DEC_HIGH = r"5529[6-9]|55[3-9]\d\d|56[0-2]\d\d|563[01]\d"
_DEC_LOW = r"563[2-9]\d|56[4-9]\d\d|57[0-2]\d\d|573[0-3]\d|5734[0-3]"
_DEC_OTHER = r"[0-8]|1[124-9]|2\d|3[01]|6553[45]"
_HEX_HIGH = r"[dD][89abAB][0-9a-fA-F]{2}"
_HEX_LOW = r"[dD][c-fC-F][0-9a-fA-F]{2}"
_HEX_OTHER = r"[0-8bBcCeEfF]|1[0-9a-fA-F]|[fF]{3}[eEfF]"
_HIGH_BODY = rf"0*(?:{_DEC_HIGH})|x0*(?:{_HEX_HIGH})"
_LOW_BODY = rf"0*(?:{_DEC_LOW})|x0*(?:{_HEX_LOW})"
_BAD_BODY = rf"0*(?:{_DEC_HIGH}|{_DEC_LOW}|{_DEC_OTHER})|x0*(?:{_HEX_HIGH}|{_HEX_LOW}|{_HEX_OTHER})"
# One literal "&#" first, so the regex engine can skip quickly to candidates.
_FORBIDDEN_REFERENCE = re.compile(
    rf"&#(?:(?P<pair>(?:{_HIGH_BODY});&#(?:{_LOW_BODY}))|{_BAD_BODY});".encode()
)
_REFERENCE_VALUE = re.compile(rb"&#(x?)0*([0-9a-fA-F]+);")
_ENDS_WITH_REFERENCE = re.compile(rb"&#x?[0-9a-fA-F]{1,12};\Z")
_LIBXML_POSITION = re.compile(r",? line \d+, column \d+\s*$")


@dataclass(frozen=True, slots=True)
class StreamEncoding:
    """How the bytes are read: `codec` for the head check, and what libxml2 is given."""

    codec: str
    transcode: bool = False
    libxml_encoding: str | None = None


@dataclass(frozen=True, slots=True)
class TopElement:
    """A child of the root, complete, with its 0-based position among the root's children."""

    index: int
    element: etree._Element


class _LogEntry(Protocol):
    message: str
    line: int
    column: int


class _ErrorLogWithLast(Protocol):
    last_error: _LogEntry | None


def element_line(element: etree._Element) -> int | None:
    """The line of the element's start tag (lxml's stubs do not type it)."""
    return cast("int | None", element.sourceline)


def element_attributes(element: etree._Element) -> dict[str, str]:
    """The element's attributes in document order (lxml gives text, whatever the stubs say)."""
    return cast("dict[str, str]", dict(element.items()))


def detect_encoding(head: bytes) -> StreamEncoding:
    """The stream's encoding from its BOM, its first bytes and its XML declaration."""
    if head.startswith(
        (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\x00\x00\x00<", b"<\x00\x00\x00")
    ):
        raise ImportFormatError("this file is in UTF-32, which backups never use")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return StreamEncoding("utf-16", transcode=True, libxml_encoding="UTF-8")
    if head.startswith(b"<\x00"):
        return StreamEncoding("utf-16-le", transcode=True, libxml_encoding="UTF-8")
    if head.startswith(b"\x00<"):
        return StreamEncoding("utf-16-be", transcode=True, libxml_encoding="UTF-8")
    if head.startswith(codecs.BOM_UTF8):
        return StreamEncoding("utf-8", libxml_encoding="UTF-8")
    declared = _DECLARED_ENCODING.match(head)
    if declared is None:
        return StreamEncoding("utf-8")
    name = declared.group(1).decode("ascii")
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise ImportFormatError(f"the file names an unknown text encoding ({name})") from None
    if codec in ("utf-16", "utf-16-le", "utf-16-be"):
        # Labelled UTF-16 but written one byte per character: read it as the UTF-8 it is.
        return StreamEncoding("utf-8", libxml_encoding="UTF-8")
    if codec not in _SINGLE_BYTE_CODECS:
        raise ImportFormatError(f"the file is in a text encoding backups do not use ({name})")
    return StreamEncoding(codec)


def _decode_head(head: bytes, encoding: StreamEncoding) -> str:
    decoder = codecs.getincrementaldecoder(encoding.codec)(errors="replace")
    return decoder.decode(head, final=False).removeprefix("\ufeff")


def _scan_prolog(text: str, *, allow_doctype: bool) -> tuple[str | None, int]:
    """The root element's name (None if not reached) and where the scan stopped."""
    position = 0
    while True:
        skipped = _PROLOG_SKIP.match(text, position)
        if skipped is not None:
            position = skipped.end()
            continue
        if text.startswith("<!DOCTYPE", position):
            doctype = _DOCTYPE_SKIP.match(text, position)
            if not allow_doctype or doctype is None:
                return None, position
            position = doctype.end()
            continue
        root = _ROOT_START.match(text, position)
        return (root.group(1) if root else None), position


def decoded_head(head: bytes) -> str:
    """The first bytes as text, for sniffing; empty when the encoding is not one backups use."""
    try:
        return _decode_head(head, detect_encoding(head))
    except (ImportFormatError, LookupError, ValueError):
        return ""


def root_element_name(head: bytes) -> str | None:
    """The root element's name from the first bytes, for sniffing. Never raises."""
    return _scan_prolog(decoded_head(head), allow_doctype=True)[0]


def check_prolog(head: bytes, encoding: StreamEncoding) -> tuple[str, int]:
    """The root element's name and line; ImportFormatError for a DOCTYPE or for what is not XML."""
    if not head.strip():
        raise ImportFormatError("the file is empty")
    text = _decode_head(head, encoding)
    root, position = _scan_prolog(text, allow_doctype=False)
    line = text.count("\n", 0, position) + 1
    if root is not None:
        return root, line
    where = Locator(line_start=line)
    if text.startswith("<!DOCTYPE", position):
        raise ImportFormatError(
            "the file declares a DTD (<!DOCTYPE>); backups never have one, and a DTD can make a"
            " reader expand entities or fetch other files, so this file is refused",
            where,
        )
    if len(head) >= HEAD_BYTES:
        raise ImportFormatError("no root element in the first 64 KiB of the file", where)
    raise ImportFormatError("the file does not start like an XML backup", where)


@dataclass(slots=True)
class _ReferenceRepairs:
    position: int = 0
    line: int = 1
    pairs: int = 0
    replaced: int = 0
    warnings: list[ParseWarning] = field(default_factory=list)


class RepairingReader:
    """A file-like object for lxml: transcodes to UTF-8 if needed and repairs bad references.

    A possible reference at the end of each chunk is held back until the next read, so a
    reference (or a surrogate pair of them) is never split between two chunks. A repair is
    located by its byte offset in the file, or by its line when the file was transcoded (lines
    are only counted then: counting costs time on every byte). `read` may return more than
    asked for; lxml keeps the rest for its next request.
    """

    def __init__(self, raw: BinaryIO, encoding: StreamEncoding) -> None:
        self._raw = raw
        self._decoder = (
            codecs.getincrementaldecoder(encoding.codec)("strict") if encoding.transcode else None
        )
        self._carry = b""
        self._done = False
        self.repairs = _ReferenceRepairs()

    def read(self, size: int = -1) -> bytes:
        while not self._done:
            chunk = self._next_chunk()
            if chunk:
                return chunk
        return b""

    def _next_chunk(self) -> bytes:
        data = self._raw.read(READ_CHUNK)
        if self._decoder is not None:
            data = self._transcode(data)
        buffer = self._carry + data if self._carry else data
        if data:
            split = _safe_split(buffer)
            self._carry, buffer = buffer[split:], buffer[:split]
        else:
            self._done, self._carry = True, b""
        original = buffer
        buffer = _FORBIDDEN_REFERENCE.sub(lambda m: self._repair(original, m), original)
        self.repairs.position += len(original)
        if self._decoder is not None:
            self.repairs.line += original.count(b"\n")
        return buffer

    def _transcode(self, data: bytes) -> bytes:
        assert self._decoder is not None
        try:
            return self._decoder.decode(data, final=not data).encode("utf-8")
        except UnicodeDecodeError as exc:
            raise ImportFormatError(
                f"the file is not valid UTF-16 ({exc.reason})",
                Locator(line_start=self.repairs.line),
            ) from None

    def _repair(self, buffer: bytes, match: re.Match[bytes]) -> bytes:
        values = [int(v, 16 if x else 10) for x, v in _REFERENCE_VALUE.findall(match.group())]
        if match.group("pair") is not None:
            self.repairs.pairs += 1
            high, low = values
            return b"&#%d;" % (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        self.repairs.replaced += 1
        if self.repairs.replaced <= MAX_REFERENCE_WARNINGS:
            reference = match.group().decode("ascii")
            self.repairs.warnings.append(
                ParseWarning(
                    f"the character reference {reference} names a character XML does not allow;"
                    " it was read as U+FFFD (the replacement character)",
                    self._locate(buffer, match.start()),
                )
            )
        return b"&#65533;"

    def _locate(self, buffer: bytes, offset: int) -> Locator:
        if self._decoder is not None:
            return Locator(line_start=self.repairs.line + buffer.count(b"\n", 0, offset))
        return Locator(byte_start=self.repairs.position + offset)

    def take_warnings(self) -> list[ParseWarning]:
        taken, self.repairs.warnings = self.repairs.warnings, []
        return taken

    def summary_warnings(self) -> list[ParseWarning]:
        notes: list[ParseWarning] = []
        if self.repairs.pairs:
            notes.append(
                ParseWarning(
                    "emoji and other characters beyond U+FFFF were written as pairs of UTF-16"
                    " surrogate references such as &#55357;&#56832;, which XML does not allow;"
                    f" each of the {self.repairs.pairs} pairs was read as the one character it"
                    " stands for",
                    Locator(),
                )
            )
        if self.repairs.replaced > MAX_REFERENCE_WARNINGS:
            more = self.repairs.replaced - MAX_REFERENCE_WARNINGS
            notes.append(
                ParseWarning(
                    f"{more} more forbidden character references were read as U+FFFD", Locator()
                )
            )
        return notes


def _safe_split(buffer: bytes) -> int:
    """Where to cut so no character reference (or surrogate pair) is split; the rest waits."""
    start = buffer.find(b"&", max(0, len(buffer) - _CARRY_WINDOW))
    if start == -1:
        return len(buffer)
    previous = _ENDS_WITH_REFERENCE.search(buffer, max(0, start - 24), start)
    if previous is not None and _surrogate_half(previous.group()) == "high":
        current = _REFERENCE_VALUE.match(buffer, start)
        if current is not None and _surrogate_half(current.group()) == "low":
            return previous.start()
    return start


def _surrogate_half(reference: bytes) -> str | None:
    match = _REFERENCE_VALUE.fullmatch(reference)
    if match is None:
        return None
    value = int(match.group(2), 16 if match.group(1) else 10)
    if 0xD800 <= value <= 0xDBFF:
        return "high"
    if 0xDC00 <= value <= 0xDFFF:
        return "low"
    return None


def _syntax_error(exc: etree.XMLSyntaxError) -> ImportFormatError:
    """libxml2's reason and position; its error log is consulted only when the exception has none
    (the log can hold entries from earlier parses in the same thread)."""
    line, column = exc.position
    reason = _LIBXML_POSITION.sub("", exc.msg or "")
    if line <= 0 or not reason or reason == "no element found":
        last = cast("_ErrorLogWithLast", exc.error_log).last_error
        if last is not None:
            reason, line, column = last.message, last.line, last.column
    reason = reason.strip() or "unknown error"
    if line and line > 0:
        return ImportFormatError(
            f"the XML is broken at line {line}, column {column}: {reason}", Locator(line_start=line)
        )
    return ImportFormatError(f"the XML is broken: {reason}")


class BackupStream:
    """The top-level elements of one backup file, streamed; the root's attributes once read."""

    def __init__(self, path: Path, expected_root: str) -> None:
        self._path = path
        self._expected_root = expected_root
        self.root_attributes: dict[str, str] = {}
        self.root_line: int | None = None

    def elements(self) -> Iterator[TopElement | ParseWarning]:
        with self._path.open("rb") as raw:
            head = raw.read(HEAD_BYTES)
            encoding = detect_encoding(head)
            root, line = check_prolog(head, encoding)
            if root != self._expected_root:
                raise ImportFormatError(
                    f"the root element is <{root[:40]}>, not <{self._expected_root}>: this is not"
                    " the SMS Backup & Restore file this importer reads",
                    Locator(line_start=line),
                )
            raw.seek(0)
            reader = RepairingReader(raw, encoding)
            context = etree.iterparse(
                reader,
                events=("end",),
                encoding=encoding.libxml_encoding,
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=True,
                remove_comments=True,
                remove_pis=True,
            )
            try:
                yield from self._walk(context, reader)
            except etree.XMLSyntaxError as exc:
                raise _syntax_error(exc) from None
            yield from reader.take_warnings()
            yield from reader.summary_warnings()

    def _walk(
        self, context: etree.iterparse, reader: RepairingReader
    ) -> Iterator[TopElement | ParseWarning]:
        root: etree._Element | None = None
        index = 0
        nested = 0
        for _event, element in context:
            if root is None:
                root = self._open_root(element)
            parent = element.getparent()
            if parent is None:
                continue
            if parent is not root:
                nested += 1
                if nested > MAX_NESTED_ELEMENTS:
                    raise ImportFormatError(
                        f"one element holds more than {MAX_NESTED_ELEMENTS} elements; no real"
                        " message does, so the file is refused",
                        Locator(line_start=element_line(element)),
                    )
                continue
            if reader.repairs.warnings:
                yield from reader.take_warnings()
            yield TopElement(index, element)
            index += 1
            nested = 0
            # Done with it: empty it and drop it (and anything before it) from the root, so the
            # tree never holds more than the element being read.
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del root[0]

    def _open_root(self, first: etree._Element) -> etree._Element:
        tree = first.getroottree()
        info = tree.docinfo
        if info.internalDTD is not None or info.externalDTD is not None or info.public_id:
            raise ImportFormatError("the file declares a DTD, so it is refused")
        root = tree.getroot()
        self.root_attributes = element_attributes(root)
        self.root_line = element_line(root)
        return root
