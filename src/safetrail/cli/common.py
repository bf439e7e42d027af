"""Options shared by the commands, and opening the casebook with a passphrase."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from safetrail.services.casebook import Casebook

ENV_PASSPHRASE = "SAFETRAIL_PASSPHRASE"
F = TypeVar("F", bound=Callable[..., Any])


def casebook_options(func: F) -> F:
    func = click.option(
        "--passphrase-file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Read the passphrase from the first line of this file.",
    )(func)
    func = click.option(
        "--casebook",
        "casebook_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Where the casebook is (default: your user data folder, or $SAFETRAIL_CASEBOOK).",
    )(func)
    return func


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for programs.")(func)


def read_passphrase_file(path: Path) -> str:
    text = path.read_text("utf-8")
    first = text.splitlines()[0] if text else ""
    if not first:
        raise click.ClickException(f"The passphrase file {path} is empty.")
    return first


def get_passphrase(
    passphrase_file: Path | None, *, confirm: bool = False, prompt: str = "Passphrase"
) -> str:
    """--passphrase-file, then $SAFETRAIL_PASSPHRASE (less safe), then a hidden prompt."""
    if passphrase_file is not None:
        return read_passphrase_file(passphrase_file)
    from_env = os.environ.get(ENV_PASSPHRASE)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise click.ClickException(
            "No passphrase given. Type it when asked (in a terminal), or use --passphrase-file."
        )
    value: str = click.prompt(prompt, hide_input=True, confirmation_prompt=confirm)
    return value


@contextmanager
def opened(casebook_dir: Path | None, passphrase_file: Path | None) -> Iterator[Casebook]:
    from safetrail.services.casebook import open_casebook, resolve_location

    root = resolve_location(casebook_dir)
    if not root.exists():
        from safetrail.services.errors import CasebookNotFound

        raise CasebookNotFound(f"There is no casebook at {root}. To make one, run: safetrail init")
    book = open_casebook(root, get_passphrase(passphrase_file))
    try:
        yield book
    finally:
        book.close()


def interactive() -> bool:
    return sys.stdin.isatty()
