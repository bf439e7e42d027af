"""One page of a Telegram Desktop HTML export as a small tree of elements, with their positions.

Only what the importer reads is kept: the tag, its classes, a few attributes (id, href, title),
text and children. Nothing is fetched or run: scripts and styles are dropped, links stay text.
Nesting deeper than MAX_DEPTH is flattened (its text still counts), so hostile nesting costs
neither recursion nor memory beyond the text itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from safetrail.importers.base import ImportFormatError
from safetrail.models.record import Locator

MAX_DEPTH = 64
MAX_MESSAGE_ELEMENTS = 20_000
_CHUNK_CHARS = 1 << 20
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
    """Keeps only the page header and the message being read; everything else is let go.

    A message (a child of the history div) is handed over once it closes and dropped from the
    tree, so memory holds one message at a time, whatever the page's size.
    """

    def __init__(self, positions: _PositionMap) -> None:
        super().__init__(convert_charrefs=True)
        self.positions = positions
        self.stack: list[Element] = [Element("#document", frozenset(), {}, 1, 0)]
        self.kept: list[bool] = [False]
        self.flattened: list[str] = []
        self.dropping = 0
        self.header: Element | None = None
        self.history: Element | None = None
        self.done: list[Element] = []
        self.message_elements = 0

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
            self.handle_data("\n")
            return
        if tag in _VOID:
            return
        if len(self.stack) > MAX_DEPTH or self.message_elements > MAX_MESSAGE_ELEMENTS:
            self.flattened.append(tag)
            return
        values = {name: value or "" for name, value in attrs if name in _KEPT_ATTRS}
        classes = frozenset(
            next((value or "" for name, value in attrs if name == "class"), "").split()
        )
        line, byte = self._where()
        element = Element(tag, classes, values, line, byte)
        self.kept.append(self._place(element))
        self.stack.append(element)

    def _place(self, element: Element) -> bool:
        """Attach the element if the importer reads it; True if its content is kept."""
        parent = self.stack[-1]
        if parent is self.history and "message" in element.classes:
            self.message_elements = 1
            parent.children.append(element)
            return True
        if self.kept[-1]:
            self.message_elements += 1
            parent.children.append(element)
            return True
        if self.header is None and "page_header" in element.classes:
            self.header = element
            return True
        if self.history is None and "history" in element.classes:
            self.history = element
        return False

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and not self.dropping:
            self.handle_data("\n")

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
                self._close_from(depth, tag)
                return

    def _close_from(self, depth: int, tag: str) -> None:
        line, byte = self._where()
        closed = self.stack[depth:]
        for element in closed:
            element.end_line, element.end_byte = line, byte + len(f"</{tag}>")
        del self.stack[depth:]
        del self.kept[depth:]
        history = self.history
        if history is None:
            return
        for element in closed:
            if history.children and history.children[-1] is element:
                history.children.pop()
                self.done.append(element)
                self.message_elements = 0

    def handle_data(self, data: str) -> None:
        if not self.dropping and self.kept[-1]:
            self.stack[-1].children.append(data.replace("\x00", "\ufffd"))

    def take_done(self) -> list[Element]:
        done, self.done = self.done, []
        return done


class PageReader:
    """One page, read in chunks: the header first, then each message as soon as it closes."""

    def __init__(self, data: bytes, member: str | None) -> None:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ImportFormatError(
                "this page is saved as UTF-16, not the UTF-8 Telegram Desktop writes; was it "
                "saved again by another program? Import the page from the export folder",
                Locator(member=member),
            )
        text = data.decode("utf-8", "surrogateescape")
        bad = _BAD_BYTE.search(text)
        self.bad_byte_offset = (
            len(text[: bad.start()].encode("utf-8", "surrogateescape")) if bad else None
        )
        self.member = member
        self._builder = _TreeBuilder(_PositionMap(text))
        self._text = _BAD_BYTE.sub("\ufffd", text) if bad else text

    @property
    def header(self) -> Element | None:
        return self._builder.header

    def messages(self) -> Iterator[Element]:
        """Each message of the history in page order; ImportFormatError if the page is broken."""
        builder = self._builder
        for start in range(0, len(self._text), _CHUNK_CHARS):
            builder.feed(self._text[start : start + _CHUNK_CHARS])
            yield from builder.take_done()
        builder.close()
        yield from builder.take_done()
        _check_complete(builder, self.member)


def _check_complete(builder: _TreeBuilder, member: str | None) -> None:
    """A tdesktop page closes every div; an open history or message means the file was cut."""
    if builder.history is None:
        raise ImportFormatError(
            'this page has no message history (no <div class="history">); is it a page of '
            "a Telegram chat export?",
            Locator(member=member),
        )
    for element in builder.stack[1:]:
        if element is builder.history or element.has("message"):
            raise ImportFormatError(
                "this Telegram page stops in the middle (the file seems cut short); "
                "export it again or import the complete file",
                Locator(line_start=element.line, byte_start=element.byte, member=member),
            )
