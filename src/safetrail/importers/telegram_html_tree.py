"""One page of a Telegram Desktop HTML export as a small tree of elements, with their positions.

Only what the importer reads is kept: the tag, its classes, a few attributes (id, href, title),
text and children. Nothing is fetched or run: scripts and styles are dropped, links stay text.
Nesting deeper than MAX_DEPTH is flattened (its text still counts), so hostile nesting costs
neither recursion nor memory beyond the text itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from safetrail.importers.base import ImportFormatError
from safetrail.models.record import Locator

MAX_DEPTH = 64
_KEPT_ATTRS = frozenset({"id", "href", "title"})
_VOID = frozenset({"area", "base", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                   "track", "wbr"})  # fmt: skip
_DROPPED = frozenset({"script", "style", "template", "noscript"})
_BAD_BYTE = re.compile("[\udc80-\udcff]")


@dataclass(slots=True)
class Element:
    tag: str
    classes: frozenset[str]
    attrs: dict[str, str]
    line: int
    byte: int
    end_line: int = 0
    end_byte: int = 0
    children: list[Element | str] = field(default_factory=list)

    def has(self, *names: str) -> bool:
        return all(name in self.classes for name in names)

    def elements(self) -> list[Element]:
        return [child for child in self.children if isinstance(child, Element)]

    def find(self, *names: str) -> Element | None:
        """The first descendant (depth first, in document order) carrying all these classes."""
        stack: list[Element] = list(reversed(self.elements()))
        while stack:
            node = stack.pop()
            if node.has(*names):
                return node
            stack.extend(reversed(node.elements()))
        return None

    def child(self, *names: str) -> Element | None:
        return next((c for c in self.elements() if c.has(*names)), None)

    def text(self, skip: frozenset[str] = frozenset()) -> str:
        """All text inside, `<br>` as a line break; elements with a class in `skip` left out."""
        pieces: list[str] = []
        stack: list[Element | str] = [self]
        while stack:
            node = stack.pop()
            if isinstance(node, str):
                pieces.append(node)
            elif node is self or not (node.classes & skip):
                stack.extend(reversed(node.children))
        return "".join(pieces)

    def links(self) -> list[tuple[str, str]]:
        """(href, shown text) of every link inside, in document order."""
        found: list[tuple[str, str]] = []
        stack: list[Element] = [self]
        while stack:
            node = stack.pop()
            if node.tag == "a" and "href" in node.attrs:
                found.append((node.attrs["href"], node.text()))
            stack.extend(reversed(node.elements()))
        return found


@dataclass(frozen=True, slots=True)
class Page:
    root: Element
    bad_byte_offset: int | None


class _PositionMap:
    """Turns the parser's (line, column) into a byte offset in the original bytes."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.starts: list[int] = []
        total = 0
        for line in self.lines:
            self.starts.append(total)
            total += len(line.encode("utf-8", "surrogateescape")) + 1

    def byte(self, line: int, column: int) -> int:
        index = min(max(line - 1, 0), len(self.lines) - 1)
        prefix = self.lines[index][:column]
        return self.starts[index] + len(prefix.encode("utf-8", "surrogateescape"))


class _TreeBuilder(HTMLParser):
    def __init__(self, positions: _PositionMap, member: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.positions = positions
        self.member = member
        line, byte = 1, 0
        self.root = Element("#document", frozenset(), {}, line, byte)
        self.stack: list[Element] = [self.root]
        self.flattened: list[str] = []
        self.dropping = 0

    def _where(self) -> tuple[int, int]:
        line, column = self.getpos()
        return line, self.positions.byte(line, column)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self.dropping += 1
            return
        if self.dropping:
            return
        if tag == "br":
            self.stack[-1].children.append("\n")
            return
        if tag in _VOID:
            return
        if len(self.stack) > MAX_DEPTH:
            self.flattened.append(tag)
            return
        values = {name: value or "" for name, value in attrs if name in _KEPT_ATTRS}
        classes = frozenset(
            next((value or "" for name, value in attrs if name == "class"), "").split()
        )
        line, byte = self._where()
        element = Element(tag, classes, values, line, byte)
        self.stack[-1].children.append(element)
        self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and not self.dropping:
            self.stack[-1].children.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self.dropping = max(self.dropping - 1, 0)
            return
        if self.dropping or tag in _VOID:
            return
        if self.flattened and self.flattened[-1] == tag:
            self.flattened.pop()
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                line, byte = self._where()
                closing = len(f"</{tag}>")
                for element in self.stack[depth:]:
                    element.end_line, element.end_byte = line, byte + closing
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.stack[-1].children.append(data.replace("\x00", "\ufffd"))


def parse_page(data: bytes, member: str | None) -> Page:
    """The page's element tree; ImportFormatError if it stops before its history is closed."""
    text = data.decode("utf-8", "surrogateescape")
    bad = _BAD_BYTE.search(text)
    bad_byte_offset = len(text[: bad.start()].encode("utf-8", "surrogateescape")) if bad else None
    builder = _TreeBuilder(_PositionMap(text), member)
    builder.feed(_BAD_BYTE.sub("\ufffd", text) if bad else text)
    builder.close()
    _check_complete(builder, member)
    return Page(builder.root, bad_byte_offset)


def _check_complete(builder: _TreeBuilder, member: str | None) -> None:
    """A tdesktop page closes every div; an open history or message means the file was cut."""
    for element in builder.stack[1:]:
        if element.has("history") or element.has("message"):
            raise ImportFormatError(
                "this Telegram page stops in the middle (the file seems cut short); "
                "export it again or import the complete file",
                Locator(line_start=element.line, byte_start=element.byte, member=member),
            )
