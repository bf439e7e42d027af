"""Loading hostile JSON within bounds: size, nesting depth, strict UTF-8, located errors.

The standard decoder recurses once per nesting level, so a document nested 100,000 deep would
raise RecursionError deep inside it. Before decoding, a scan over the raw bytes (brackets outside
strings, done with C-level bytes operations and itertools) measures the depth and refuses the
file with the byte offset of the first bracket that goes too deep.

Telegram Desktop writes control characters inside strings as `\\xHH`, which is not valid JSON.
When strict decoding fails on such an escape, those escapes (and only those, outside escaped
backslashes) are rewritten to the equivalent `\\u00HH` and decoding is tried again; the caller is
told, so it can warn.
"""

from __future__ import annotations

import json
import operator
import re
from dataclasses import dataclass
from itertools import accumulate, repeat
from pathlib import Path

from safetrail.importers.base import ImportFormatError, Limits
from safetrail.models.jsonvalue import JsonValue
from safetrail.models.record import Locator

UTF8_BOM = b"\xef\xbb\xbf"

# A JSON string (possibly unterminated at the end of the data), or one bracket.
_STRING_OR_BRACKET = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\Z)|[\[\]{}]', re.DOTALL)
_NOT_QUOTES_OR_BRACKETS = bytes(b for b in range(256) if b not in b'"[]{}')
# Openers become 2 and closers 0, so that subtracting 1 gives +1 and -1.
_BRACKET_STEPS = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")
# `\xHH` preceded by an even run of backslashes, i.e. an escape rather than an escaped backslash.
_TELEGRAM_X_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\x([0-9A-Fa-f]{2})")


@dataclass(frozen=True, slots=True)
class LoadedJson:
    """A decoded document and notes about repairs made to read it (for ParseWarnings)."""

    value: JsonValue
    notes: tuple[str, ...] = ()


def load_json_file(path: Path, limits: Limits, member: str | None = None) -> LoadedJson:
    """Read and decode a JSON file, refusing it before reading when it is too large."""
    try:
        size = path.stat().st_size
        if size > limits.max_json_bytes:
            raise _too_large(size, limits, member)
        with path.open("rb") as handle:
            data = handle.read(limits.max_json_bytes + 1)
    except OSError as exc:
        raise ImportFormatError(f"the file could not be read: {exc.strerror or exc}") from exc
    return load_json_bytes(data, limits, member)


def load_json_bytes(data: bytes, limits: Limits, member: str | None = None) -> LoadedJson:
    """Decode JSON bytes (UTF-8, optional BOM) or raise ImportFormatError saying where."""
    if len(data) > limits.max_json_bytes:
        raise _too_large(len(data), limits, member)
    base = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    body = data[base:]
    _refuse_nul(body, base, member)
    text = _decode_utf8(body, base, member)
    if not text.strip():
        raise ImportFormatError("the file is empty", Locator(member=member))
    _check_depth(body, limits.max_json_depth, base, member)
    try:
        return LoadedJson(_decode(text, base, member))
    except ImportFormatError as first_error:
        repaired, count = _TELEGRAM_X_ESCAPE.subn(r"\1\\u00\2", text)
        if count == 0:
            raise
        try:
            value = _decode(repaired, base, member)
        except ImportFormatError as second_error:
            # The rewrite shifts byte offsets but never lines, so only the line is reported.
            line = second_error.locator.line_start
            raise ImportFormatError(
                second_error.message, Locator(line_start=line, member=member)
            ) from first_error
    note = (
        f"{count} control character(s) were written as \\xHH, which is not valid JSON "
        "(a known Telegram Desktop quirk); they were read as the characters they stand for"
    )
    return LoadedJson(value, (note,))


def json_depth(data: bytes) -> int:
    """The deepest nesting of arrays and objects in JSON bytes (brackets in strings ignored)."""
    unescaped = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    # Only quotes and brackets are left. Removing two adjacent quotes never changes whether the
    # bytes around them are inside a string, and clears most strings in one C-level pass.
    skeleton = unescaped.translate(None, _NOT_QUOTES_OR_BRACKETS).replace(b'""', b"")
    structure = b"".join(skeleton.split(b'"')[::2])
    steps = structure.translate(_BRACKET_STEPS)
    return max(accumulate(map(operator.sub, steps, repeat(1))), default=0)


def _too_large(size: int, limits: Limits, member: str | None) -> ImportFormatError:
    return ImportFormatError(
        f"the JSON file is too large to import ({size} bytes; the limit is "
        f"{limits.max_json_bytes} bytes)",
        Locator(member=member),
    )


def _refuse_nul(body: bytes, base: int, member: str | None) -> None:
    position = body.find(b"\x00")
    if position >= 0:
        raise ImportFormatError(
            "the file contains NUL bytes, so it is not a UTF-8 JSON export "
            "(it may be UTF-16, binary or damaged)",
            Locator(byte_start=base + position, member=member),
        )


def _decode_utf8(body: bytes, base: int, member: str | None) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        raise ImportFormatError(
            "the file is not valid UTF-8 text",
            Locator(line_start=line, byte_start=base + exc.start, member=member),
        ) from None


def _check_depth(body: bytes, max_depth: int, base: int, member: str | None) -> None:
    if json_depth(body) <= max_depth:
        return
    offset = _first_offset_deeper_than(body, max_depth)
    raise ImportFormatError(
        f"the JSON is nested too deeply (more than {max_depth} levels)",
        Locator(
            line_start=body.count(b"\n", 0, offset) + 1, byte_start=base + offset, member=member
        ),
    )


def _first_offset_deeper_than(body: bytes, max_depth: int) -> int:
    """Slow path, only after the fast scan found a problem: stops at the first deep bracket."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(body):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > max_depth:
                return match.start()
        elif token in (b"]", b"}"):
            depth -= 1
    return 0


def _decode(text: str, base: int, member: str | None) -> JsonValue:
    try:
        value: JsonValue = json.loads(text)
    except json.JSONDecodeError as exc:
        offset = base + len(text[: exc.pos].encode("utf-8", "surrogatepass"))
        ends_early = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        reason = (
            f"the JSON ends too early, so the file may be truncated ({exc.msg})"
            if ends_early
            else f"the file is not valid JSON: {exc.msg}"
        )
        raise ImportFormatError(
            reason, Locator(line_start=exc.lineno, byte_start=offset, member=member)
        ) from None
    except (ValueError, RecursionError) as exc:
        raise ImportFormatError(
            f"the JSON could not be read: {exc}", Locator(member=member)
        ) from None
    return value
