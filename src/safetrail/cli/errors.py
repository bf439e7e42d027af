"""Top-level error handling: plain messages, and no casebook contents in any crash output.

An unexpected error prints only its type and where it happened, never its message or the values
involved, because those could hold diary text or evidence. SAFETRAIL_DEBUG=1 shows the full
traceback, for a developer on their own test data.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import NoReturn

import click

EXIT_PROBLEM = 1
EXIT_WRONG_PASSPHRASE = 2
EXIT_INTERNAL = 70


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "unknown place"
    last = frames[-1]
    module = Path(last.filename).name
    return f"{module}:{last.lineno} in {last.name}"


def _known_error_message(exc: BaseException) -> tuple[str, int] | None:
    from safetrail.services.errors import SafetrailError, storage_failure
    from safetrail.storage.engine import DatabaseKeyError
    from safetrail.vault.keys import KeyfileError, WrongPassphrase
    from safetrail.vault.lock import CasebookBusy

    if isinstance(exc, WrongPassphrase):
        return (
            "That passphrase does not open this casebook. Nothing was changed. "
            "Check for Caps Lock and try again.",
            EXIT_WRONG_PASSPHRASE,
        )
    if isinstance(exc, SafetrailError | CasebookBusy | KeyfileError | DatabaseKeyError):
        return str(exc), EXIT_PROBLEM
    storage = storage_failure(exc)
    if storage is not None:
        return storage, EXIT_PROBLEM
    return None


def run_safely(command: click.Group) -> NoReturn:
    try:
        command.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("\nStopped. Nothing was half-saved.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("\nStopped. Nothing was half-saved.", err=True)
        sys.exit(130)
    except Exception as exc:
        known = _known_error_message(exc)
        if known is not None:
            click.echo(known[0], err=True)
            sys.exit(known[1])
        if os.environ.get("SAFETRAIL_DEBUG") == "1":
            raise
        click.echo(
            f"Something went wrong inside Safetrail ({type(exc).__name__} at {_where(exc)}). "
            "Your casebook is safe: changes are saved whole or not at all. "
            "Run 'safetrail verify' to check it.",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
    sys.exit(0)
