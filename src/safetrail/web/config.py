"""What one run of the web app needs to know: where it listens, its secrets, which casebook."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from safetrail.vault.keys import KdfParams

LOOPBACK = "127.0.0.1"
DEFAULT_IDLE_MINUTES = 10
DEFAULT_EXIT_URL = "https://duckduckgo.com/"


def _token() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class WebConfig:
    """Fixed for the life of one server process.

    `launch_secret` travels in the URL the browser is opened at; `session_token` is what the
    HttpOnly cookie then carries; `csrf_key` signs the per-session form tokens.
    """

    casebook_root: Path
    port: int
    host: str = LOOPBACK
    launch_secret: str = field(default_factory=_token)
    session_token: str = field(default_factory=_token)
    csrf_key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    kdf: KdfParams | None = None  # None: the real Argon2id strength; tests pass a faster one

    @property
    def authority(self) -> str:
        """The only Host header the app answers to (DNS-rebinding defence)."""
        return f"{self.host}:{self.port}"

    @property
    def origin(self) -> str:
        return f"http://{self.authority}"

    @property
    def hosts(self) -> frozenset[str]:
        """Host headers that name this server (browsers leave out HTTP's default port, 80)."""
        return frozenset({self.authority, *((self.host,) if self.port == 80 else ())})

    @property
    def origins(self) -> frozenset[str]:
        return frozenset(f"http://{host}" for host in self.hosts)

    def launch_url(self) -> str:
        return f"{self.origin}/launch?secret={self.launch_secret}"
