"""Settings from a TOML or INI file and from the environment, which wins."""

from __future__ import annotations

from pathlib import Path

import pytest

from safetrail.server.config import ConfigError, load_config

BASE = {
    "SAFETRAIL_SERVER_DATABASE_URL": "postgresql://safetrail@/safetrail",
    "SAFETRAIL_SERVER_BLOB_DIR": "/srv/safetrail/blobs",
    "SAFETRAIL_SERVER_KEY_FILE": "/etc/safetrail/server.key",
}


def test_environment_alone() -> None:
    config = load_config(environ={**BASE, "SAFETRAIL_SERVER_WORKERS": "4"})
    assert config.workers == 4 and config.blob_dir == Path("/srv/safetrail/blobs")
    assert config.cookie_secure and config.trusted_proxies == ()


def test_toml_file_then_environment(tmp_path: Path) -> None:
    path = tmp_path / "server.toml"
    path.write_text(
        'database_url = "sqlite:///x.db"\nblob_dir = "/b"\nkey_file = "/k"\n'
        'workers = 3\nsession_minutes = 45\ntrusted_proxies = ["127.0.0.1", "10.0.0.0/8"]\n',
        encoding="utf-8",
    )
    config = load_config(path, environ={"SAFETRAIL_SERVER_WORKERS": "6"})
    assert config.workers == 6 and config.session_minutes == 45
    assert config.trusts_proxy("10.1.2.3") and not config.trusts_proxy("192.0.2.1")


def test_ini_file_named_in_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "server.ini"
    path.write_text(
        "[server]\ndatabase_url = sqlite:///x.db\nblob_dir = /b\nkey_file = /k\n"
        "cookie_secure = false\nargon2_memory_cost_kib = 19456\n",
        encoding="utf-8",
    )
    config = load_config(environ={"SAFETRAIL_SERVER_CONFIG": str(path)})
    assert not config.cookie_secure and config.argon2.memory_cost_kib == 19456


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"SAFETRAIL_SERVER_WORKERS": "many"}, "whole number"),
        ({"SAFETRAIL_SERVER_WORKERS": "0"}, "at least 1"),
        ({"SAFETRAIL_SERVER_COOKIE_SECURE": "perhaps"}, "true or false"),
        ({"SAFETRAIL_SERVER_TRUSTED_PROXIES": "the proxy"}, "not an address"),
    ],
)
def test_bad_values_are_named(extra: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(environ={**BASE, **extra})


def test_a_missing_setting_is_named() -> None:
    environ = {k: v for k, v in BASE.items() if not k.endswith("KEY_FILE")}
    with pytest.raises(ConfigError, match="key_file"):
        load_config(environ=environ)


def test_unknown_settings_in_a_file_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "server.toml"
    path.write_text('database_url = "x"\nblob_dir = "b"\nkey_file = "k"\nworkrs = 2\n')
    with pytest.raises(ConfigError, match="workrs"):
        load_config(path, environ={})
