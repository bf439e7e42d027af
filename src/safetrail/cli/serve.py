"""`safetrail serve`: the web app on this computer only, opened in the default browser."""

from __future__ import annotations

import socket
from pathlib import Path

import click

from safetrail.web.config import LOOPBACK


def bind_loopback(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1 (port 0: any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((LOOPBACK, port))
    except OSError:
        sock.close()
        raise click.ClickException(
            f"Port {port} is already in use on this computer. Choose another with --port, "
            "or leave --port out to use any free port."
        ) from None
    sock.listen(64)
    return sock


@click.command("serve")
@click.option(
    "--casebook",
    "casebook_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the casebook is (default: your user data folder, or $SAFETRAIL_CASEBOOK).",
)
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port (default: any free).")
@click.option("--no-browser", is_flag=True, help="Do not open a browser; just print the address.")
def serve_command(casebook_dir: Path | None, port: int, no_browser: bool) -> None:
    """Open Safetrail in your web browser. It runs only on this computer, with no network use.

    The first line printed is the address to open; it carries a secret for this run only.
    Press Ctrl+C here to stop (the casebook is locked when Safetrail stops).
    """
    import webbrowser

    import uvicorn

    from safetrail.services.casebook import resolve_location
    from safetrail.web.app import create_app
    from safetrail.web.config import WebConfig

    sock = bind_loopback(port)
    config = WebConfig(casebook_root=resolve_location(casebook_dir), port=sock.getsockname()[1])
    app = create_app(config)
    click.echo(config.launch_url())
    click.echo(
        "Safetrail is running on this computer only. Press Ctrl+C here to stop it.", err=True
    )
    if not no_browser:
        webbrowser.open(config.launch_url())
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, server_header=False)
    )
    server.run(sockets=[sock])
