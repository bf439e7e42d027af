"""The one short "get help now" screen, built only from checked numbers in the support directory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from safetrail.safety.directory import Directory, Service, load_directory

# Emergency numbers shown on the screen, in the order a frightened person needs them.
EMERGENCY_ORDER: tuple[str, ...] = (
    "emergency-999",
    "silent-solution",
    "police-101",
    "textphone-18000",
)

TITLE = "Get help now"
CLOSING = (
    "None of this is your fault. You deserve to be safe, and you can ask for help at any time."
)


@dataclass(frozen=True, slots=True)
class HelpLine:
    name: str
    dial: str
    detail: str
    source: str
    checked: date


@dataclass(frozen=True, slots=True)
class HelpNow:
    title: str
    emergency: tuple[HelpLine, ...]
    helplines: tuple[HelpLine, ...]
    closing: str


def build_help_now(directory: Directory | None = None) -> HelpNow:
    source = load_directory() if directory is None else directory
    emergency = tuple(_emergency_line(source, number_id) for number_id in EMERGENCY_ORDER)
    helplines = tuple(
        line
        for service in source.services
        if service.main_helpline
        for line in _service_lines(service)
    )
    return HelpNow(title=TITLE, emergency=emergency, helplines=helplines, closing=CLOSING)


def _emergency_line(directory: Directory, number_id: str) -> HelpLine:
    number = directory.emergency_number(number_id)
    return HelpLine(
        name=number.label,
        dial=number.dial,
        detail=number.use,
        source=number.source,
        checked=number.checked,
    )


def _service_lines(service: Service) -> list[HelpLine]:
    hours = service.hours.text if service.hours is not None else "Ask about opening times."
    detail = f"{service.who_for} {hours}"
    return [
        HelpLine(
            name=service.name,
            dial=phone.value,
            detail=detail,
            source=phone.source,
            checked=phone.checked,
        )
        for phone in service.phones()
    ]


def help_now_text(screen: HelpNow) -> str:
    lines = [screen.title, ""]
    lines += [f"{line.name}: {line.dial}. {line.detail}" for line in screen.emergency]
    lines += ["", "Helplines"]
    for line in screen.helplines:
        lines += [f"{line.name}: {line.dial}", f"  {line.detail}"]
    oldest = min(line.checked for line in (*screen.emergency, *screen.helplines))
    lines += [
        "",
        screen.closing,
        f"Numbers last checked {oldest.isoformat()}. Add --json to see where each one comes from.",
    ]
    return "\n".join(lines)


def help_now_dict(screen: HelpNow) -> dict[str, object]:
    return {
        "title": screen.title,
        "emergency": [_line_dict(line) for line in screen.emergency],
        "helplines": [_line_dict(line) for line in screen.helplines],
        "closing": screen.closing,
    }


def _line_dict(line: HelpLine) -> dict[str, str]:
    return {
        "name": line.name,
        "dial": line.dial,
        "detail": line.detail,
        "source": line.source,
        "checked": line.checked.isoformat(),
    }
