"""`safetrail import`: bring in exports of messages, calls and emails, exactly as they were."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from safetrail.cli.common import casebook_options, interactive, json_option, opened
from safetrail.cli.display import echo_json, line

if TYPE_CHECKING:
    from safetrail.importers.base import DateOrder
    from safetrail.services.casebook import Casebook
    from safetrail.services.ingest import IngestOptions, IngestResult


def _column_map(pairs: tuple[str, ...]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise click.BadParameter(
                f"{pair!r}: use FIELD=COLUMN, e.g. timestamp=Date", param_hint="--map"
            )
        mapping[name.strip()] = column.strip()
    return mapping


def _run_one(book: Casebook, path: Path, options: IngestOptions, quiet: bool) -> IngestResult:
    from safetrail.services.ingest import ingest

    if quiet:
        return ingest(book, path, options)
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

    size = path.stat().st_size
    columns = (
        TextColumn("{task.fields[name]}", markup=False),
        BarColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[records]} records", markup=False),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("import", total=size or None, records=0, name=line(path.name)[:40])

        def advance(records: int, done: int) -> None:
            bar.update(task, completed=min(done, size) if done else None, records=f"{records:,}")

        result = ingest(book, path, options, advance)
        bar.update(task, completed=size, records=f"{result.records + result.duplicates:,}")
    return result


def _run_with_date_order(
    book: Casebook, path: Path, options: IngestOptions, quiet: bool
) -> IngestResult:
    """Run the import; if only the person can say the day/month order, ask them and run again."""
    from dataclasses import replace

    from safetrail.services.ingest import DateOrderNeeded

    try:
        return _run_one(book, path, options, quiet)
    except DateOrderNeeded as exc:
        if quiet or not interactive():
            raise
        click.echo(line(str(exc)))
        order = click.prompt(
            "Is a date like 03/04 the 3rd of April (DMY) or the 4th of March (MDY)?",
            type=click.Choice(["DMY", "MDY"]),
        )
        chosen: DateOrder = "DMY" if order == "DMY" else "MDY"
        return _run_one(book, path, replace(options, date_order=chosen), quiet)


def _summary(result: IngestResult) -> None:
    name = line(result.file.name)
    if result.already_imported:
        click.echo(f"{name}: already imported as {result.exhibit_ref}; nothing new.")
        return
    attachments = (
        f", {result.attachments} attachment(s) kept as exhibits" if result.attachments else ""
    )
    click.echo(
        f"{name}: kept as {result.exhibit_ref} ({result.format}); {result.records:,} new "
        f"records, {result.duplicates:,} already here{attachments}"
    )
    if result.warnings_total:
        click.echo(f"  {result.warnings_total} warning(s):")
        for warning in result.warnings[:10]:
            click.echo(f"  - {line(warning)}")
        if result.warnings_total > 10:
            click.echo(f"  (and {result.warnings_total - 10} more, kept with the import)")


def _ask_who_is_me(book: Casebook, result: IngestResult) -> None:
    from safetrail.services.records import senders_of, set_me

    senders = senders_of(book, result.evidence_id)
    if len(senders) < 2 or result.records == 0:
        return
    click.echo("Which of these is you? (This sets which messages you sent.)")
    for index, (_, shown, count) in enumerate(senders[:9], start=1):
        click.echo(f"  {index}. {line(shown)} ({count:,} messages)")
    choice = click.prompt("Number, or Enter to skip", default="", show_default=False)
    if choice.isdigit() and 1 <= int(choice) <= min(len(senders), 9):
        set_me(book, result.evidence_id, senders[int(choice) - 1][0])


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "format_name", help="The importer to use, if detection is wrong.")
@click.option("--subject", "subject_id", type=int, help="The person this conversation is with.")
@click.option("--timezone", help="Zone of times written without one (default: the casebook's).")
@click.option(
    "--date-order",
    type=click.Choice(["DMY", "MDY", "YMD"]),
    help="Day/month order, when a file cannot show it.",
)
@click.option("--me", multiple=True, help="Your own name, number or address in the export.")
@click.option("--map", "column_map", multiple=True, help="For CSV: FIELD=COLUMN (repeat).")
@casebook_options
@json_option
def import_command(
    files: tuple[Path, ...],
    format_name: str | None,
    subject_id: int | None,
    timezone: str | None,
    date_order: str | None,
    me: tuple[str, ...],
    column_map: tuple[str, ...],
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    as_json: bool,
) -> None:
    """Import exports of messages, calls and emails.

    WhatsApp, SMS Backup & Restore, Telegram, Messenger, Instagram, iMessage, Signal, CSV logs.
    Each file is kept as an exhibit, and its records point back to the exact place they came from.
    """
    from safetrail.services.ingest import ImportFailed, IngestOptions
    from safetrail.services.when import zone

    if timezone:
        zone(timezone)
    options = IngestOptions(
        format=format_name,
        timezone=timezone,
        date_order=date_order,  # type: ignore[arg-type]
        me=me,
        subject_id=subject_id,
        column_map=_column_map(column_map),
    )
    results: list[IngestResult] = []
    failures: list[dict[str, str]] = []
    with opened(casebook_dir, passphrase_file) as book:
        for path in files:
            try:
                result = _run_with_date_order(book, path, options, quiet=as_json)
            except ImportFailed as exc:
                failures.append({"file": str(path), "error": str(exc)})
                if not as_json:
                    click.echo(line(str(exc)), err=True)
                continue
            results.append(result)
            if not as_json:
                _summary(result)
                if not me and interactive():
                    _ask_who_is_me(book, result)
    if as_json:
        echo_json({"imported": [r.to_json() for r in results], "failed": failures})
    if failures:
        raise SystemExit(1)
