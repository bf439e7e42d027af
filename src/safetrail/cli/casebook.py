"""init, verify, backup, restore and passphrase change."""

from __future__ import annotations

from pathlib import Path

import click

from safetrail.cli.common import casebook_options, get_passphrase, json_option, opened
from safetrail.cli.display import echo_json

PASSPHRASE_NOTE = (
    "Choose a passphrase only you know. Safetrail cannot recover it: without it, nobody can "
    "read the casebook, including you."
)


@click.command("init")
@casebook_options
@click.option("--initials", prompt="Your initials (for exhibit numbers like JS/1)", help="e.g. JS")
@click.option("--timezone", default="Europe/London", show_default=True, help="Your time zone.")
@json_option
def init_command(
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    initials: str,
    timezone: str,
    as_json: bool,
) -> None:
    """Create a new, encrypted casebook."""
    from safetrail.services.casebook import create_casebook, resolve_location
    from safetrail.services.when import zone

    zone(timezone)
    root = resolve_location(casebook_dir)
    if not as_json and passphrase_file is None:
        click.echo(PASSPHRASE_NOTE)
    passphrase = get_passphrase(passphrase_file, confirm=True, prompt="New passphrase")
    book = create_casebook(root, passphrase, initials, timezone)
    book.close()
    if as_json:
        echo_json({"casebook": str(root), "casebook_id": book.casebook_id})
    else:
        click.echo(f"Your casebook is ready at {root}.")
        click.echo("Next: write down what happened with 'safetrail incident add'.")


@click.command("verify")
@casebook_options
@json_option
def verify_command(casebook_dir: Path | None, passphrase_file: Path | None, as_json: bool) -> None:
    """Check that nothing in the casebook was changed, lost or damaged."""
    from safetrail.services.verify import verify_casebook

    with opened(casebook_dir, passphrase_file) as book:
        report = verify_casebook(book)
    if as_json:
        echo_json(
            {
                "ok": report.ok,
                "problems": report.problems,
                "notes": report.notes,
                "log_entries": report.log_entries,
                "versions": report.versions,
                "files_checked": report.blobs_checked,
                "bytes_checked": report.bytes_checked,
                "log_head": report.head_hash,
            }
        )
    else:
        _print_report(report)
    if not report.ok:
        raise SystemExit(1)


def _print_report(report: object) -> None:
    from safetrail.services.verify import VerifyReport

    assert isinstance(report, VerifyReport)
    if report.ok:
        click.echo(
            f"Intact. Checked {report.log_entries} custody log entries, {report.versions} "
            f"versions and {report.blobs_checked} original files ({report.bytes_checked:,} bytes)."
        )
        click.echo(f"Custody log head: {report.head_hash}")
    else:
        click.echo(f"Problems found ({len(report.problems)}):")
        for problem in report.problems:
            click.echo(f"  - {problem}")
    for note in report.notes:
        click.echo(f"Note: {note}")


@click.command("backup")
@casebook_options
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Backup file to write.",
)
@json_option
def backup_command(
    casebook_dir: Path | None, passphrase_file: Path | None, out: Path, as_json: bool
) -> None:
    """Write an encrypted backup of the whole casebook to one file."""
    from safetrail.services.backup import create_backup
    from safetrail.services.errors import InvalidInput

    if out.exists():
        raise InvalidInput(f"{out} already exists. Choose a new file name.")
    with opened(casebook_dir, passphrase_file) as book:
        summary = create_backup(book, out)
    if as_json:
        echo_json(
            {
                "backup": str(out),
                "files": summary.files,
                "bytes": summary.bytes,
                "log_head": summary.log_head,
            }
        )
    else:
        click.echo(f"Backup written to {out} ({summary.files} files, {summary.bytes:,} bytes).")
        click.echo("It is encrypted: you need this casebook's current passphrase to restore it.")


@click.command("restore")
@click.argument("backup", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@casebook_options
@json_option
def restore_command(
    backup: Path, casebook_dir: Path | None, passphrase_file: Path | None, as_json: bool
) -> None:
    """Restore a backup into a new casebook folder (it never overwrites one)."""
    from safetrail.services.backup import restore_backup
    from safetrail.services.casebook import resolve_location
    from safetrail.services.verify import verify_casebook

    target = resolve_location(casebook_dir)
    book = restore_backup(backup, target, get_passphrase(passphrase_file))
    with book:
        report = verify_casebook(book)
    if as_json:
        echo_json({"casebook": str(target), "ok": report.ok, "problems": report.problems})
    else:
        click.echo(f"Restored to {target}.")
        _print_report(report)
    if not report.ok:
        raise SystemExit(1)


@click.group("passphrase")
def passphrase_group() -> None:
    """Change the casebook's passphrase."""


@passphrase_group.command("change")
@casebook_options
@click.option(
    "--new-passphrase-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the new passphrase from this file.",
)
def passphrase_change(
    casebook_dir: Path | None, passphrase_file: Path | None, new_passphrase_file: Path | None
) -> None:
    """Change the passphrase. Only the key is re-sealed; your files are not touched."""
    from safetrail.cli.common import read_passphrase_file
    from safetrail.services.casebook import change_passphrase

    with opened(casebook_dir, passphrase_file) as book:
        if new_passphrase_file is not None:
            new = read_passphrase_file(new_passphrase_file)
        else:
            click.echo(PASSPHRASE_NOTE)
            new = click.prompt("New passphrase", hide_input=True, confirmation_prompt=True)
        change_passphrase(book, new)
    click.echo("The passphrase has been changed. Use the new one from now on.")
