"""The web app's own preferences: idle lock time, the quick-exit page and discreet mode.

They are kept in `web.json` beside the casebook, not inside it, because the lock screen must
already be discreet and know where quick exit goes before the passphrase is typed. They hold no
part of the case: a number of minutes, a web address and a yes/no.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from safetrail.services.errors import InvalidInput
from safetrail.vault.atomic import atomic_output
from safetrail.web.config import DEFAULT_EXIT_URL, DEFAULT_IDLE_MINUTES

FILENAME = "web.json"
IDLE_CHOICES = (2, 5, 10, 15, 30, 60)
MAX_URL = 300


@dataclass(frozen=True, slots=True)
class WebPreferences:
    idle_minutes: int = DEFAULT_IDLE_MINUTES
    exit_url: str = DEFAULT_EXIT_URL
    discreet: bool = False


def check_exit_url(url: str) -> str:
    """Only an ordinary web address: no scripts, no local files, no credentials in it."""
    cleaned = url.strip()
    parts = urlsplit(cleaned)
    if (
        len(cleaned) > MAX_URL
        or parts.scheme not in ("https", "http")
        or not parts.hostname
        or parts.username
        or parts.password
        or any(ch.isspace() or ord(ch) < 32 for ch in cleaned)
    ):
        raise InvalidInput(
            "Please give a full web address starting with https://, for example "
            "https://www.bbc.co.uk/weather"
        )
    return cleaned


def check_idle_minutes(value: int) -> int:
    if value not in IDLE_CHOICES:
        raise InvalidInput(
            "Please choose one of: " + ", ".join(str(m) for m in IDLE_CHOICES) + " minutes."
        )
    return value


def load_preferences(casebook_root: Path) -> WebPreferences:
    """The saved preferences, or the defaults if there are none or they cannot be read."""
    path = casebook_root / FILENAME
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return WebPreferences()
    if not isinstance(raw, dict):
        return WebPreferences()
    defaults = WebPreferences()
    try:
        idle = check_idle_minutes(int(raw.get("idle_minutes", defaults.idle_minutes)))
        exit_url = check_exit_url(str(raw.get("exit_url", defaults.exit_url)))
    except (InvalidInput, TypeError, ValueError):
        return defaults
    return WebPreferences(idle, exit_url, bool(raw.get("discreet", False)))


def save_preferences(casebook_root: Path, preferences: WebPreferences) -> None:
    check_idle_minutes(preferences.idle_minutes)
    check_exit_url(preferences.exit_url)
    with atomic_output(casebook_root / FILENAME) as sink:
        sink.write(json.dumps(asdict(preferences), indent=2).encode("utf-8"))
