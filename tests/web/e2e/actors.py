"""Two ways of using a page: with the mouse (`Mouse`), and by keyboard alone (`Keys`).

A journey is written once against `Actor` and run with both. `Keys` never clicks: it moves the
focus with Tab or Shift+Tab (whichever way is shorter to the target, as a person would) and acts
with Enter, Space, typing and arrow keys. Locators only say WHICH element is meant.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

MAX_TABS = 250


class Actor(Protocol):
    page: Page

    def follow(self, link: Locator) -> None: ...
    def press(self, button: Locator) -> None: ...
    def fill(self, field: Locator, text: str) -> None: ...
    def tick(self, box: Locator) -> None: ...
    def choose(self, radio: Locator) -> None: ...
    def select(self, select: Locator, label: str) -> None: ...
    def attach(self, input_: Locator, files: list[Path]) -> None: ...


class Mouse:
    def __init__(self, page: Page) -> None:
        self.page = page

    def follow(self, link: Locator) -> None:
        link.click()

    def press(self, button: Locator) -> None:
        button.click()

    def fill(self, field: Locator, text: str) -> None:
        field.fill(text)

    def tick(self, box: Locator) -> None:
        box.check()

    def choose(self, radio: Locator) -> None:
        radio.check()

    def select(self, select: Locator, label: str) -> None:
        select.select_option(label=label)

    def attach(self, input_: Locator, files: list[Path]) -> None:
        input_.set_input_files(files)


class Keys:
    """Keyboard only. `tabs` counts the Tab and Shift+Tab presses, to show the work done."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.tabs = 0

    def focus(self, target: Locator) -> None:
        """Tab (or Shift+Tab) until `target` has the focus; fail if it is never reached."""
        handle = target.element_handle()
        assert handle is not None
        key = "Tab" if self._is_after_focus(target) else "Shift+Tab"
        for _ in range(MAX_TABS):
            if handle.evaluate("el => el === document.activeElement"):
                return
            self.page.keyboard.press(key)
            self.tabs += 1
        raise AssertionError(f"{target} cannot be reached with the keyboard")

    def _is_after_focus(self, target: Locator) -> bool:
        return bool(
            target.evaluate(
                "el => !document.activeElement || document.activeElement === document.body"
                " || !!(document.activeElement.compareDocumentPosition(el)"
                " & Node.DOCUMENT_POSITION_FOLLOWING)"
            )
        )

    def follow(self, link: Locator) -> None:
        self.focus(link)
        self.page.keyboard.press("Enter")

    def press(self, button: Locator) -> None:
        self.focus(button)
        self.page.keyboard.press("Enter")

    def fill(self, field: Locator, text: str) -> None:
        self.focus(field)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(text)

    def tick(self, box: Locator) -> None:
        self.focus(box)
        if not box.is_checked():
            self.page.keyboard.press("Space")
        assert box.is_checked()

    def choose(self, radio: Locator) -> None:
        """Into the group with Tab, then arrow keys to the wanted radio (as radios work)."""
        name = radio.get_attribute("name")
        group = self.page.locator(f'input[type="radio"][name="{name}"]')
        checked = group.locator(":scope:checked")
        self.focus(checked.first if checked.count() else group.first)
        if radio.evaluate("el => el === document.activeElement"):
            self.page.keyboard.press("Space")
        for _ in range(group.count() + 1):
            if radio.is_checked():
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"{radio} cannot be chosen with the arrow keys")

    def select(self, select: Locator, label: str) -> None:
        self.focus(select)
        for _ in range(select.locator("option").count() + 1):
            if select.evaluate("el => el.options[el.selectedIndex].label") == label:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"no option {label!r}")

    def attach(self, input_: Locator, files: list[Path]) -> None:
        """Reach the file input by keyboard; the file chooser itself is the system's."""
        self.focus(input_)
        input_.set_input_files(files)
