"""`safetrail start`: the guided quick start for someone using Safetrail for the first time."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from safetrail.cli.common import casebook_options, get_passphrase

if TYPE_CHECKING:
    from safetrail.services.casebook import Casebook

WELCOME = """Welcome to Safetrail.

If you are in danger right now, call 999. If you cannot speak, call 999 and then press 55.
For advice, the National Stalking Helpline can help: run 'safetrail help-now' for numbers.

Safetrail keeps a private diary of what has happened and the evidence that shows it. Everything
stays on this computer, locked with a passphrase. Nothing is sent anywhere.

If you think the person may be able to see this computer, or your phone, talk to the helpline
first about how to keep records safely."""

MENU = (
    ("1", "Write down something that happened"),
    ("2", "Keep an evidence file (screenshot, export, photo, document)"),
    ("3", "Add or update details of the person causing concern"),
    ("4", "See your diary"),
    ("5", "Check that everything is intact"),
    ("6", "Make an encrypted backup"),
    ("7", "Bring in an export of messages, calls or emails"),
    ("8", "See the pattern so far"),
    ("9", "Your safety plan"),
    ("h", "Who to call for help now"),
    ("q", "Close Safetrail"),
)


def _status(book: Casebook) -> str:
    from safetrail.services.evidence import list_evidence
    from safetrail.services.incidents import list_incidents
    from safetrail.services.subjects import list_subjects

    incidents = list_incidents(book)
    evidence = list_evidence(book)
    people = list_subjects(book)
    if not incidents:
        return "Your diary is empty so far. Writing down the most recent thing is a good start."
    first, last = incidents[0].details.occurred_start, incidents[-1].details.occurred_start
    return (
        f"Your diary has {len(incidents)} incident(s), from {first:%d %b %Y} to {last:%d %b %Y}, "
        f"with {len(evidence)} evidence item(s) and {len(people)} person(s) recorded."
    )


def _create(root: Path, passphrase_file: Path | None) -> Casebook:
    from safetrail.cli.casebook import PASSPHRASE_NOTE
    from safetrail.services.casebook import create_casebook
    from safetrail.services.errors import InvalidInput

    click.echo(f"\nSafetrail will make your casebook at {root}.")
    initials = click.prompt("Your initials (used to number exhibits, like JS/1)")
    click.echo(PASSPHRASE_NOTE)
    while True:
        passphrase = get_passphrase(passphrase_file, confirm=True, prompt="New passphrase")
        try:
            return create_casebook(root, passphrase, initials)
        except InvalidInput as exc:
            click.echo(str(exc))
            if passphrase_file is not None:
                raise


def _first_steps(book: Casebook) -> None:
    from safetrail.cli.incident_prompts import ask_incident
    from safetrail.cli.subject import ask_subject
    from safetrail.services.incidents import add_incident
    from safetrail.services.subjects import add_subject
    from safetrail.storage.repository import now_utc

    subject_id = None
    if click.confirm(
        "\nDo you want to record who is causing concern? (You can do this later)", default=True
    ):
        subject_id = add_subject(book, ask_subject()).id
    if click.confirm(
        "\nWould you like to write down the most recent thing that happened?", default=True
    ):
        incident = add_incident(
            book, ask_incident(book.setting("timezone") or "Europe/London", now_utc(), subject_id)
        )
        click.echo(
            f"Saved as incident {incident.id}. "
            "The time you wrote it is recorded and cannot be changed."
        )


def _write_incident(book: Casebook) -> None:
    from safetrail.cli.incident_prompts import ask_incident
    from safetrail.services.incidents import add_incident
    from safetrail.storage.repository import now_utc

    timezone = book.setting("timezone") or "Europe/London"
    incident = add_incident(book, ask_incident(timezone, now_utc(), None))
    click.echo(f"Saved as incident {incident.id}.")


def _keep_file(book: Casebook) -> None:
    from safetrail.services.evidence import add_file

    added = add_file(book, Path(click.prompt("Path of the file")))
    status = "Already kept as" if added.already_present else "Kept as"
    click.echo(f"{status} {added.item.exhibit_ref}.")


def _add_person(book: Casebook) -> None:
    from safetrail.cli.subject import ask_subject
    from safetrail.services.subjects import add_subject

    click.echo(f"Added person {add_subject(book, ask_subject()).id}.")


def _show_diary(book: Casebook) -> None:
    from safetrail.cli.display import line
    from safetrail.services.incidents import list_incidents

    for incident in list_incidents(book):
        when = f"{incident.details.occurred_start:%d %b %Y %H:%M}"
        click.echo(f"{incident.id:>4}  {when}  {line(incident.details.what_happened)[:60]}")


def _check(book: Casebook) -> None:
    from safetrail.services.verify import verify_casebook

    report = verify_casebook(book)
    click.echo("Everything is intact." if report.ok else "Problems: " + "; ".join(report.problems))


def _backup(book: Casebook) -> None:
    from safetrail.services.backup import create_backup

    summary = create_backup(book, Path(click.prompt("Where should the backup file go?")))
    click.echo(f"Backup written to {summary.path}.")


def _import(book: Casebook) -> None:
    from safetrail.cli.display import line
    from safetrail.services.ingest import IngestOptions, ingest

    result = ingest(book, Path(click.prompt("Path of the export file")), IngestOptions())
    click.echo(
        f"{line(result.file.name)}: kept as {result.exhibit_ref}; {result.records:,} new records, "
        f"{result.duplicates:,} already here, {result.warnings_total} warning(s)."
    )


def _pattern(book: Casebook) -> None:
    from safetrail.cli.display import inert
    from safetrail.services.analysis import analyse_case

    click.echo(inert(analyse_case(book).analysis.summary))


def _plan(book: Casebook) -> None:
    from safetrail.services.plan import plan

    for entry in plan(book):
        click.echo(f"[{entry.status}] {entry.item.title}: {entry.item.why}")
        if entry.item.caution:
            click.echo(f"    Take care: {entry.item.caution}")
    click.echo("Update a step with: safetrail plan update STEP --status done")


def _help_now(_book: Casebook) -> None:
    from safetrail.safety.help_now import build_help_now, help_now_text

    click.echo(help_now_text(build_help_now()))


ACTIONS = {
    "1": _write_incident,
    "2": _keep_file,
    "3": _add_person,
    "4": _show_diary,
    "5": _check,
    "6": _backup,
    "7": _import,
    "8": _pattern,
    "9": _plan,
    "h": _help_now,
}


def _menu(book: Casebook) -> None:
    from safetrail.services.errors import SafetrailError

    while True:
        click.echo("\n" + _status(book))
        for key, label in MENU:
            click.echo(f"  {key}. {label}")
        choice = click.prompt(
            "What would you like to do?",
            type=click.Choice([k for k, _ in MENU]),
            show_choices=False,
        )
        if choice == "q":
            click.echo("Closed. Your casebook is locked.")
            return
        try:
            ACTIONS[choice](book)
        except SafetrailError as exc:
            click.echo(str(exc))


@click.command("start")
@casebook_options
def start_command(casebook_dir: Path | None, passphrase_file: Path | None) -> None:
    """A guided start: make your casebook, record the first things, and see what to do next."""
    from safetrail.services.casebook import open_casebook, resolve_location

    click.echo(WELCOME)
    root = resolve_location(casebook_dir)
    if (root / "keyfile.json").exists():
        click.echo(f"\nYour casebook is at {root}.")
        book = open_casebook(root, get_passphrase(passphrase_file))
    else:
        book = _create(root, passphrase_file)
        with book:
            _first_steps(book)
            _menu(book)
        return
    with book:
        _menu(book)
