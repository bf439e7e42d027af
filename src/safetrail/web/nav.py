"""The navigation shown on every page once the casebook is open. Add a page's entry here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    href: str
    area: str  # the first path segment the item stands for, to mark the current page


NAV: tuple[NavItem, ...] = (
    NavItem("Home", "/", ""),
    NavItem("Diary", "/diary", "diary"),
    NavItem("Evidence", "/evidence", "evidence"),
    NavItem("Timeline", "/timeline", "timeline"),
    NavItem("People", "/subjects", "subjects"),
    NavItem("Pattern", "/pattern", "pattern"),
    NavItem("Safety", "/safety", "safety"),
    NavItem("Report", "/report", "report"),
    NavItem("Settings", "/settings", "settings"),
)


def current_area(path: str) -> str:
    return path.strip("/").split("/", 1)[0]
