"""Server settings, from a TOML or INI file and then environment variables (which win).

Environment names are `SAFETRAIL_SERVER_` followed by the setting in capitals, for example
`SAFETRAIL_SERVER_DATABASE_URL`. A file has the settings at its top level (TOML) or in a
`[server]` section (INI).
"""

from __future__ import annotations

import configparser
import ipaddress
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

ENV_PREFIX = "SAFETRAIL_SERVER_"
CONFIG_ENV = "SAFETRAIL_SERVER_CONFIG"


class ConfigError(Exception):
    """A setting is missing or cannot be understood."""


@dataclass(frozen=True, slots=True)
class Argon2Cost:
    time_cost: int = 3
    memory_cost_kib: int = 64 * 1024
    parallelism: int = 1


@dataclass(frozen=True, slots=True)
class ServerConfig:
    database_url: str
    blob_dir: Path
    key_file: Path
    bind_host: str = "127.0.0.1"
    bind_port: int = 8400
    workers: int = 2
    session_minutes: int = 30
    session_idle_minutes: int = 15
    trusted_proxies: tuple[str, ...] = ()
    cookie_secure: bool = True
    max_package_mb: int = 512
    signin_account_limit: int = 5
    signin_address_limit: int = 30
    signin_window_minutes: int = 15
    argon2: Argon2Cost = field(default_factory=Argon2Cost)

    def trusts_proxy(self, address: str | None) -> bool:
        if address is None:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in ipaddress.ip_network(net, strict=False) for net in self.trusted_proxies)


_INT_FIELDS = {
    "bind_port",
    "workers",
    "session_minutes",
    "session_idle_minutes",
    "max_package_mb",
    "signin_account_limit",
    "signin_address_limit",
    "signin_window_minutes",
}
_ARGON2_FIELDS = {"argon2_time_cost", "argon2_memory_cost_kib", "argon2_parallelism"}
_KNOWN = {f.name for f in fields(ServerConfig)} - {"argon2"} | _ARGON2_FIELDS


def _read_file(path: Path) -> dict[str, object]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the settings file {path}: {exc.strerror}") from exc
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
        section = data.get("server", data)
        return dict(section) if isinstance(section, dict) else {}
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error as exc:
        raise ConfigError(f"{path} is not a valid INI file: {exc}") from exc
    if not parser.has_section("server"):
        raise ConfigError(f"{path} has no [server] section")
    return dict(parser.items("server"))


def _from_env(environ: Mapping[str, str]) -> dict[str, object]:
    found: dict[str, object] = {}
    for name in _KNOWN:
        value = environ.get(ENV_PREFIX + name.upper())
        if value is not None:
            found[name] = value
    return found


def _as_bool(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, not {value!r}")


def _as_int(name: str, value: object) -> int:
    try:
        number = int(str(value))
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None
    if number < 0:
        raise ConfigError(f"{name} cannot be negative")
    return number


def _as_list(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(part.strip() for part in str(value).split(",") if part.strip())


def _build(raw: dict[str, object]) -> ServerConfig:
    unknown = set(raw) - _KNOWN
    if unknown:
        raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
    for required in ("database_url", "blob_dir", "key_file"):
        if not raw.get(required):
            raise ConfigError(
                f"the setting {required} is missing (set it in the settings file or in "
                f"{ENV_PREFIX}{required.upper()})"
            )
    cost = Argon2Cost(
        **{
            name.removeprefix("argon2_"): _as_int(name, raw[name])
            for name in _ARGON2_FIELDS
            if name in raw
        }
    )
    config = ServerConfig(
        database_url=str(raw["database_url"]),
        blob_dir=Path(str(raw["blob_dir"])),
        key_file=Path(str(raw["key_file"])),
        argon2=cost,
    )
    updates = _optional(raw)
    if updates.get("workers", 1) == 0:
        raise ConfigError("workers must be at least 1")
    return replace(config, **updates)  # type: ignore[arg-type]


def _optional(raw: dict[str, object]) -> dict[str, object]:
    updates: dict[str, object] = {}
    for name, value in raw.items():
        if name in _INT_FIELDS:
            updates[name] = _as_int(name, value)
        elif name == "cookie_secure":
            updates[name] = _as_bool(name, value)
        elif name == "trusted_proxies":
            updates[name] = _proxies(value)
        elif name == "bind_host":
            updates[name] = str(value)
    return updates


def _proxies(value: object) -> tuple[str, ...]:
    found = _as_list(value)
    for proxy in found:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise ConfigError(f"trusted_proxies: {proxy!r} is not an address") from None
    return found


def load_config(path: Path | None = None, environ: Mapping[str, str] | None = None) -> ServerConfig:
    """Settings from `path` (or the file named in SAFETRAIL_SERVER_CONFIG), then the environment."""
    env = os.environ if environ is None else environ
    raw: dict[str, object] = {}
    file_name = path or (Path(env[CONFIG_ENV]) if env.get(CONFIG_ENV) else None)
    if file_name is not None:
        raw.update(_read_file(file_name))
    raw.update(_from_env(env))
    return _build(raw)
