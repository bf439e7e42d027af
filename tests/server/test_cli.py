"""`safetrail server init|migrate|adduser` against a real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from safetrail.cli import cli
from safetrail.server import audit
from safetrail.server.accounts import Role, find_account
from safetrail.server.db import server_engine
from safetrail.server.migrations import HEAD_REVISION
from safetrail.server.migrations.runner import current_revision
from tests.server.kit import PRESIGNIN, ServerKit


def _env(tmp_path: Path, url: str) -> dict[str, str]:
    return {
        "SAFETRAIL_SERVER_DATABASE_URL": url,
        "SAFETRAIL_SERVER_BLOB_DIR": str(tmp_path / "blobs"),
        "SAFETRAIL_SERVER_KEY_FILE": str(tmp_path / "keys" / "server.key"),
        "SAFETRAIL_SERVER_ARGON2_MEMORY_COST_KIB": "8192",
        "SAFETRAIL_SERVER_ARGON2_TIME_COST": "1",
    }


def test_init_then_adduser(tmp_path: Path, pg_empty_url: str) -> None:
    runner = CliRunner()
    env = _env(tmp_path, pg_empty_url)
    done = runner.invoke(cli, ["server", "init"], env=env)
    assert done.exit_code == 0, done.output
    key = tmp_path / "keys" / "server.key"
    assert key.stat().st_mode & 0o077 == 0, "only the server's user can read the key"
    again = runner.invoke(cli, ["server", "init"], env=env)
    assert again.exit_code == 0 and "was kept" in again.output
    assert runner.invoke(cli, ["server", "migrate"], env=env).exit_code == 0

    added = runner.invoke(
        cli,
        [
            "server",
            "adduser",
            "casey",
            "--role",
            "caseworker",
            "--name",
            "Casey",
            "--password-stdin",
        ],
        env=env,
        input="a long enough password\n",
    )
    assert added.exit_code == 0, added.output
    assert "otpauth://totp/" in added.output and "Share key: age1" in added.output
    assert "Fingerprint to read to the person:" in added.output
    short = runner.invoke(
        cli,
        ["server", "adduser", "sam", "--role", "supervisor", "--password-stdin"],
        env=env,
        input="short\n",
    )
    assert short.exit_code != 0 and "at least 12 characters" in short.output

    engine = server_engine(pg_empty_url)
    try:
        assert current_revision(engine) == HEAD_REVISION
        with engine.connect() as conn:
            account = find_account(conn, "casey")
            assert account is not None and account.role is Role.CASEWORKER
            assert not account.totp_confirmed
    finally:
        engine.dispose()


def test_missing_settings_are_explained(tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["server", "migrate"], env={"SAFETRAIL_SERVER_CONFIG": ""})
    assert done.exit_code != 0 and "database_url" in done.output


def test_deactivate_ends_sessions_and_blocks_sign_in(tmp_path: Path, kit: ServerKit) -> None:
    user = kit.add_user("casey", Role.CASEWORKER)
    signed = kit.sign_in(user)
    assert signed.http.get("/cases").status_code == 200
    env = {
        "SAFETRAIL_SERVER_DATABASE_URL": str(kit.engine.url.render_as_string(hide_password=False)),
        "SAFETRAIL_SERVER_BLOB_DIR": str(kit.config.blob_dir),
        "SAFETRAIL_SERVER_KEY_FILE": str(kit.config.key_file),
    }
    done = CliRunner().invoke(cli, ["server", "deactivate", "casey"], env=env)
    assert done.exit_code == 0, done.output
    assert signed.http.get("/cases").status_code == 303, "signed out at once"
    client = kit.client()
    token = PRESIGNIN.search(client.get("/signin").text)
    assert token is not None
    again = client.post(
        "/signin", data={"username": "casey", "password": user.password, "presignin": token[1]}
    )
    assert again.status_code == 401
    with kit.engine.connect() as conn:
        actions = [e.action for e in audit.entries(conn, audit.SERVER_CHAIN)]
    assert "account deactivated" in actions
    missing = CliRunner().invoke(cli, ["server", "deactivate", "nobody"], env=env)
    assert missing.exit_code != 0 and "no account called nobody" in missing.output
