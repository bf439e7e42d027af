"""subject add | list | show | edit | remove: the people causing concern."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from safetrail.cli.common import casebook_options, interactive, json_option, opened
from safetrail.cli.display import echo_json, field, line
from safetrail.models.enums import Relationship

if TYPE_CHECKING:
    from safetrail.models.subject import Subject, SubjectDetails

RELATIONSHIPS = [r.value for r in Relationship]


def subject_json(subject: Subject) -> dict[str, object]:
    return {
        "id": subject.id,
        "uid": subject.uid,
        "version": subject.version,
        "removed": subject.removed,
        **subject.details.to_data(),
    }


def print_subject(subject: Subject) -> None:
    details = subject.details
    click.echo(f"Person {subject.id}: {line(details.label(subject.id))}")
    field("Relationship", details.relationship.value.replace("_", " "))
    field("Phone numbers", ", ".join(details.phones))
    field("Emails", ", ".join(details.emails))
    field("Handles", ", ".join(details.handles))
    field("Vehicles", ", ".join(details.vehicles))
    field("Addresses", "\n".join(details.addresses))
    field("Description", details.description)


def identifier_options(func: click.decorators.FC) -> click.decorators.FC:
    for name, help_text in (
        ("--address", "An address linked to them (repeat for more)."),
        ("--vehicle", "A vehicle: make, colour, registration (repeat for more)."),
        ("--handle", "A social media or app handle (repeat for more)."),
        ("--email", "An email address (repeat for more)."),
        ("--phone", "A phone number; UK numbers need no +44 (repeat for more)."),
    ):
        func = click.option(name, multiple=True, help=help_text)(func)
    func = click.option(
        "--description", help="How they look or sound, anything that helps identify them."
    )(func)
    func = click.option(
        "--relationship", type=click.Choice(RELATIONSHIPS), help="How you know them."
    )(func)
    func = click.option("--name", help="Their name, if you know it.")(func)
    return func


def ask_subject() -> SubjectDetails:
    from safetrail.models.subject import SubjectDetails

    click.echo(
        "Tell Safetrail what you know about the person. Leave anything you don't know blank."
    )
    name = click.prompt("Their name (if known)", default="", show_default=False)
    relationship = click.prompt(
        "How do you know them?", type=click.Choice(RELATIONSHIPS), default="unknown"
    )
    phones = click.prompt("Phone numbers, separated by commas", default="", show_default=False)
    emails = click.prompt("Email addresses, separated by commas", default="", show_default=False)
    handles = click.prompt(
        "Social media or app handles, separated by commas", default="", show_default=False
    )
    description = click.prompt("Anything that helps identify them", default="", show_default=False)
    return SubjectDetails(
        name=name or None,
        relationship=Relationship(relationship),
        phones=_split(phones),
        emails=_split(emails),
        handles=_split(handles),
        description=description,
    )


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


@click.group("subject")
def subject_group() -> None:
    """The person (or people) causing concern. Their name may be unknown."""


@subject_group.command("add")
@casebook_options
@identifier_options
@json_option
def subject_add(
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    name: str | None,
    relationship: str | None,
    description: str | None,
    phone: tuple[str, ...],
    email: tuple[str, ...],
    handle: tuple[str, ...],
    vehicle: tuple[str, ...],
    address: tuple[str, ...],
    as_json: bool,
) -> None:
    """Add a person causing concern."""
    from safetrail.models.subject import SubjectDetails
    from safetrail.services.subjects import add_subject

    given = any((name, relationship, description, phone, email, handle, vehicle, address))
    with opened(casebook_dir, passphrase_file) as book:
        if not given and interactive():
            details = ask_subject()
        else:
            details = SubjectDetails(
                name=name,
                relationship=Relationship(relationship or "unknown"),
                phones=phone,
                emails=email,
                handles=handle,
                vehicles=vehicle,
                addresses=address,
                description=description or "",
            )
        subject = add_subject(book, details)
    if as_json:
        echo_json(subject_json(subject))
    else:
        click.echo(f"Added person {subject.id}: {line(subject.details.label(subject.id))}.")


@subject_group.command("list")
@casebook_options
@click.option("--all", "include_removed", is_flag=True, help="Include removed entries.")
@json_option
def subject_list(
    casebook_dir: Path | None, passphrase_file: Path | None, include_removed: bool, as_json: bool
) -> None:
    """List the people causing concern."""
    from safetrail.services.subjects import list_subjects

    with opened(casebook_dir, passphrase_file) as book:
        subjects = list_subjects(book, include_removed)
    if as_json:
        echo_json({"subjects": [subject_json(s) for s in subjects]})
        return
    if not subjects:
        click.echo("No one added yet. Add someone with 'safetrail subject add'.")
    for subject in subjects:
        removed = " (removed)" if subject.removed else ""
        relation = subject.details.relationship.value.replace("_", " ")
        click.echo(
            f"{subject.id:>4}  {line(subject.details.label(subject.id))} - {relation}{removed}"
        )


@subject_group.command("show")
@click.argument("subject_id", type=int)
@casebook_options
@json_option
def subject_show(
    subject_id: int, casebook_dir: Path | None, passphrase_file: Path | None, as_json: bool
) -> None:
    """Show everything recorded about one person."""
    from safetrail.services.subjects import get_subject

    with opened(casebook_dir, passphrase_file) as book:
        subject = get_subject(book, subject_id)
    if as_json:
        echo_json(subject_json(subject))
    else:
        print_subject(subject)


@subject_group.command("edit")
@click.argument("subject_id", type=int)
@casebook_options
@identifier_options
@json_option
def subject_edit(
    subject_id: int,
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    name: str | None,
    relationship: str | None,
    description: str | None,
    phone: tuple[str, ...],
    email: tuple[str, ...],
    handle: tuple[str, ...],
    vehicle: tuple[str, ...],
    address: tuple[str, ...],
    as_json: bool,
) -> None:
    """Change what is recorded about a person. Lists you give replace the old ones; earlier
    versions are kept."""
    from dataclasses import replace

    from safetrail.services.subjects import edit_subject, get_subject

    with opened(casebook_dir, passphrase_file) as book:
        old = get_subject(book, subject_id).details
        changes: dict[str, object] = {}
        if name is not None:
            changes["name"] = name
        if relationship is not None:
            changes["relationship"] = Relationship(relationship)
        if description is not None:
            changes["description"] = description
        for key, values in (
            ("phones", phone),
            ("emails", email),
            ("handles", handle),
            ("vehicles", vehicle),
            ("addresses", address),
        ):
            if values:
                changes[key] = values
        subject = edit_subject(book, subject_id, replace(old, **changes))  # type: ignore[arg-type]
    if as_json:
        echo_json(subject_json(subject))
    else:
        click.echo(f"Saved version {subject.version} of person {subject.id}.")


@subject_group.command("remove")
@click.argument("subject_id", type=int)
@click.option("--reason", required=True, help="Why it is being removed (kept in the log).")
@casebook_options
def subject_remove(
    subject_id: int, reason: str, casebook_dir: Path | None, passphrase_file: Path | None
) -> None:
    """Hide a person from lists and reports. Nothing is deleted; the removal is logged."""
    from safetrail.services.subjects import remove_subject

    with opened(casebook_dir, passphrase_file) as book:
        remove_subject(book, subject_id, reason)
    click.echo(f"Person {subject_id} is hidden. Their record and history are kept.")
