from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import pytest
import yaml

from safetrail.safety.directory import (
    DirectoryError,
    load_directory,
    service_to_dict,
)

WRONG_HELPLINE_NUMBER = "0808 202 0300"
HELPLINE_NUMBER = "0808 802 0300"
TRUST_SOURCE = "https://www.suzylamplugh.org/should-i-delete-that-podcast"


def _raw() -> dict[str, object]:
    text = (
        resources.files("safetrail.safety")
        .joinpath("content", "support.yaml")
        .read_text(encoding="utf-8")
    )
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def _raw_details() -> list[tuple[str, dict[str, object]]]:
    data = _raw()
    details: list[tuple[str, dict[str, object]]] = []
    for number in data["emergency"]:  # type: ignore[attr-defined]
        details.append((f"emergency {number['id']}", number))
    for service in data["services"]:  # type: ignore[attr-defined]
        for contact in service["contacts"]:
            details.append((f"{service['id']} {contact['kind']}", contact))
        for key in ("hours", "cost"):
            if service.get(key) is not None:
                details.append((f"{service['id']} {key}", service[key]))
    return details


def test_every_contact_detail_in_the_file_has_a_source_and_a_check_date() -> None:
    details = _raw_details()
    assert details
    for where, detail in details:
        source = detail.get("source")
        assert isinstance(source, str) and source.startswith(("https://", "http://")), where
        checked = detail.get("checked")
        assert isinstance(checked, date), where
        assert checked <= date.today(), where


def test_loaded_details_all_carry_source_and_date() -> None:
    directory = load_directory()
    for service in directory.services:
        for contact in (*service.contacts, *service.held_back):
            assert contact.source and isinstance(contact.checked, date)
    for number in directory.emergency:
        assert number.source and isinstance(number.checked, date)


def test_national_stalking_helpline_number_is_the_trusts_own() -> None:
    service = load_directory().service("national-stalking-helpline")
    phones = service.phones()
    assert [p.value for p in phones] == [HELPLINE_NUMBER]
    assert phones[0].source == TRUST_SOURCE
    assert service.hours is not None


def test_wrong_helpline_number_appears_nowhere_in_the_package() -> None:
    import safetrail

    package = Path(safetrail.__file__).parent
    for path in package.rglob("*"):
        if path.is_file() and path.suffix in {".py", ".md", ".yaml", ".txt", ".json"}:
            assert WRONG_HELPLINE_NUMBER not in path.read_text(encoding="utf-8"), path


def test_unchecked_details_are_held_back_and_never_shown() -> None:
    directory = load_directory()
    paladin = directory.service("paladin")
    assert [c.value for c in paladin.held_back] == ["020 3866 4107"]
    assert all(c.status == "checked" for s in directory.services for c in s.contacts)
    shown = str([service_to_dict(s) for s in directory.services])
    for service in directory.services:
        for contact in service.held_back:
            assert contact.value not in shown


def test_named_services_are_present() -> None:
    ids = {s.id for s in load_directory().services}
    assert {
        "national-stalking-helpline",
        "paladin",
        "protection-against-stalking",
        "network-for-surviving-stalking",
    } <= ids


def test_emergency_numbers_are_checked_data() -> None:
    directory = load_directory()
    dials = {n.id: n.dial for n in directory.emergency}
    assert dials["emergency-999"] == "999"
    assert dials["silent-solution"] == "999, then 55"
    assert dials["police-101"] == "101"
    assert dials["emergency-112"] == "112"
    assert dials["textphone-18000"] == "18000"


def test_services_for_a_jurisdiction() -> None:
    scotland = {s.id for s in load_directory().services_for("scotland")}
    assert "action-against-stalking" in scotland
    assert "paladin" not in scotland


MINIMAL = """
emergency: []
services:
  - id: example
    name: Example
    what: Helps.
    who_for: Everyone.
    jurisdictions: [england-wales]
    about: [https://example.org/about]
    contacts:
      - kind: phone
        value: 0800 000 000
        source: https://example.org/contact
        checked: 2026-01-01
        status: checked
"""


def test_minimal_directory_loads() -> None:
    service = load_directory(MINIMAL).service("example")
    assert service.phones()[0].checked == date(2026, 1, 1)


@pytest.mark.parametrize(
    ("remove", "message"),
    [
        ("        source: https://example.org/contact\n", "source"),
        ("        checked: 2026-01-01\n", "checked"),
        ("        status: checked\n", "status"),
    ],
)
def test_loader_rejects_a_detail_without_source_date_or_status(remove: str, message: str) -> None:
    with pytest.raises(DirectoryError, match=message):
        load_directory(MINIMAL.replace(remove, ""))


def test_loader_rejects_a_source_that_is_not_a_web_address() -> None:
    with pytest.raises(DirectoryError, match="web address"):
        load_directory(MINIMAL.replace("https://example.org/contact", "a leaflet"))


def test_loader_rejects_an_unchecked_emergency_number() -> None:
    text = MINIMAL.replace(
        "emergency: []",
        "emergency:\n  - {id: x, dial: '1', label: L, use: U, source: https://e.org,"
        " checked: 2026-01-01, status: check-before-use}",
    )
    with pytest.raises(DirectoryError, match="must be checked"):
        load_directory(text)
