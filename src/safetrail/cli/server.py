"""`safetrail server`: set up, migrate and run the caseworker server, and add accounts."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from safetrail.server.config import CONFIG_ENV, ConfigError, ServerConfig, load_config

CONFIG_OPTION = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"Settings file (TOML or INI). Default: the file in {CONFIG_ENV}, then the environment.",
)


def _config(path: Path | None) -> ServerConfig:
    try:
        return load_config(path)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group("server")
def server_group() -> None:
    """The caseworker server (PostgreSQL, several users, consent and audit)."""


@server_group.command("init")
@CONFIG_OPTION
def init_command(config_path: Path | None) -> None:
    """Create the server key and blob folder, and bring the database schema up to date."""
    from safetrail.server.db import server_engine
    from safetrail.server.keys import create_key_file
    from safetrail.server.migrations.runner import upgrade

    config = _config(config_path)
    if config.key_file.exists():
        click.echo(f"The server key {config.key_file} exists already: it was kept.")
    else:
        create_key_file(config.key_file)
        click.echo(f"Created the server key {config.key_file}. Back it up apart from the database.")
    config.blob_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    engine = server_engine(config.database_url)
    upgrade(engine)
    engine.dispose()
    click.echo("The database schema is up to date.")


@server_group.command("migrate")
@CONFIG_OPTION
def migrate_command(config_path: Path | None) -> None:
    """Bring the database schema up to date (run once, before starting the new version)."""
    from safetrail.server.db import server_engine
    from safetrail.server.migrations.runner import current_revision, upgrade

    config = _config(config_path)
    engine = server_engine(config.database_url)
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    engine.dispose()
    click.echo(f"Schema: {before or 'empty'} -> {after}.")


@server_group.command("run")
@CONFIG_OPTION
def run_command(config_path: Path | None) -> None:
    """Serve the pages with uvicorn, with the configured number of worker processes."""
    import uvicorn

    config = _config(config_path)
    if config_path is not None:
        os.environ[CONFIG_ENV] = str(config_path.resolve())
    uvicorn.run(
        "safetrail.server.app:asgi_app",
        factory=True,
        host=config.bind_host,
        port=config.bind_port,
        workers=config.workers,
        proxy_headers=False,
        server_header=False,
        # Longer than a proxy's idle upstream connections (nginx: 60 s), so the proxy closes
        # them first and never sends a request on a connection the app is closing.
        timeout_keep_alive=75,
        access_log=False,
    )


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@server_group.command("adduser")
@CONFIG_OPTION
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice(["caseworker", "supervisor", "police_liaison", "administrator"]),
    required=True,
)
@click.option("--name", "display_name", default="", help="The name shown to others.")
@click.option("--supervisor", default=None, help="Username of this caseworker's supervisor.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def adduser_command(
    config_path: Path | None,
    username: str,
    role: str,
    display_name: str,
    supervisor: str | None,
    password_stdin: bool,
) -> None:
    """Add an account. Shows the two-step sign-in key to put in an authenticator app."""
    import segno

    from safetrail.server.accounts import AccountError, Role, create_account, find_account
    from safetrail.server.db import check_schema, server_engine
    from safetrail.server.keys import load_keys
    from safetrail.share.fingerprint import fingerprint

    config = _config(config_path)
    keys = load_keys(config.key_file)
    engine = server_engine(config.database_url)
    check_schema(engine)
    password = _read_password(password_stdin)
    try:
        with engine.begin() as conn:
            boss = find_account(conn, supervisor) if supervisor else None
            if supervisor and boss is None:
                raise AccountError(f"there is no account called {supervisor}")
            made = create_account(
                conn, keys, config.argon2, username=username, display_name=display_name or username,
                role=Role(role), password=password, supervisor_id=boss.id if boss else None,
            )  # fmt: skip
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        engine.dispose()
    click.echo(f"Added {made.account.username} ({role}).")
    click.echo("Two-step sign-in: add this key to an authenticator app, or scan the code.")
    click.echo(f"Key: {made.totp_secret}")
    click.echo(f"Link: {made.otpauth_uri}")
    qr = segno.make_qr(made.otpauth_uri, error="m")
    qr.terminal(compact=True)
    if made.account.age_recipient:
        click.echo(f"Share key: {made.account.age_recipient}")
        click.echo(f"Fingerprint to read to the person: {fingerprint(made.account.age_recipient)}")


@server_group.command("deactivate")
@CONFIG_OPTION
@click.argument("username")
def deactivate_command(config_path: Path | None, username: str) -> None:
    """Stop an account signing in, and end its open sessions at once (audited)."""
    from safetrail.server import audit, sessions
    from safetrail.server.accounts import deactivate, find_account
    from safetrail.server.db import check_schema, server_engine

    config = _config(config_path)
    engine = server_engine(config.database_url)
    try:
        check_schema(engine)
        with engine.begin() as conn:
            account = find_account(conn, username)
            if account is None:
                raise click.ClickException(f"there is no account called {username}")
            deactivate(conn, account.id)
            sessions.end_all(conn, account.id)
            audit.append(
                conn,
                audit.SERVER_CHAIN,
                audit.Actor(None, "server command"),
                "account deactivated",
                details={"account": account.username, "role": account.role.value},
            )
    finally:
        engine.dispose()
    click.echo(f"{username} can no longer sign in; their open sessions were ended.")
