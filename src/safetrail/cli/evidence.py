"""evidence add | add-item | list | show | edit | export | remove: the original files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from safetrail.cli.common import casebook_options, json_option, opened
from safetrail.cli.display import echo_json, field, line

if TYPE_CHECKING:
    from safetrail.models.evidence import EvidenceDescription, EvidenceItem
    from safetrail.services.casebook import Casebook


def evidence_json(item: EvidenceItem) -> dict[str, object]:
    return {
        "id": item.id,
        "uid": item.uid,
        "version": item.version,
        "removed": item.removed,
        **item.to_data(),
    }


def _description(
    book: Casebook,
    description: str | None,
    source: str | None,
    captured: str | None,
    handling: str | None,
) -> EvidenceDescription:
    from safetrail.models.evidence import EvidenceDescription
    from safetrail.services.when import parse_when
    from safetrail.storage.repository import now_utc

    captured_at = None
    if captured:
        captured_at = parse_when(
            captured, book.setting("timezone") or "Europe/London", now_utc()
        ).at
    return EvidenceDescription(
        description=description or "",
        source=source or "",
        captured_at=captured_at,
        handling_notes=handling or "",
    )


def describe_options(func: click.decorators.FC) -> click.decorators.FC:
    func = click.option("--handling-notes", help="How a physical item was kept and handled.")(func)
    func = click.option("--captured-at", help="When the photo or screenshot was taken, if known.")(
        func
    )
    func = click.option("--source", help="Where it came from, e.g. 'my phone' or 'letterbox'.")(
        func
    )
    func = click.option("--description", help="What it is and why it matters.")(func)
    return func


@click.group("evidence")
def evidence_group() -> None:
    """Original files (screenshots, exports, photos, documents) and physical items."""


@evidence_group.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@casebook_options
@describe_options
@json_option
def evidence_add(
    files: tuple[Path, ...],
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    description: str | None,
    source: str | None,
    captured_at: str | None,
    handling_notes: str | None,
    as_json: bool,
) -> None:
    """Keep original files. Each is hashed and encrypted; the original on disk is not changed."""
    from safetrail.services.evidence import add_files

    with opened(casebook_dir, passphrase_file) as book:
        desc = _description(book, description, source, captured_at, handling_notes)
        results = add_files(book, list(files), desc)
    if not as_json:
        for path, added in zip(files, results, strict=True):
            status = "already kept as" if added.already_present else "kept as"
            sha = added.item.file.sha256 if added.item.file else ""
            click.echo(f"{line(path.name)}: {status} {added.item.exhibit_ref} (SHA-256 {sha})")
    if as_json:
        echo_json(
            {
                "added": [
                    {**evidence_json(r.item), "already_present": r.already_present} for r in results
                ]
            }
        )


@evidence_group.command("add-item")
@casebook_options
@describe_options
@click.option(
    "--photo",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A photo of the item.",
)
@json_option
def evidence_add_item(
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    description: str | None,
    source: str | None,
    captured_at: str | None,
    handling_notes: str | None,
    photo: Path | None,
    as_json: bool,
) -> None:
    """Record a physical item (a letter, a gift), with a photo if you have one.

    Keep the item itself safe and handle it as little as possible."""
    from safetrail.services.evidence import add_physical

    with opened(casebook_dir, passphrase_file) as book:
        if not description:
            description = click.prompt("Describe the item")
        item = add_physical(
            book, _description(book, description, source, captured_at, handling_notes), photo
        )
    if as_json:
        echo_json(evidence_json(item))
    else:
        click.echo(f"Recorded as {item.exhibit_ref}.")


@evidence_group.command("list")
@casebook_options
@click.option("--all", "include_removed", is_flag=True, help="Include removed items.")
@json_option
def evidence_list(
    casebook_dir: Path | None, passphrase_file: Path | None, include_removed: bool, as_json: bool
) -> None:
    """List the exhibits."""
    from safetrail.services.evidence import list_evidence

    with opened(casebook_dir, passphrase_file) as book:
        items = list_evidence(book, include_removed)
    if as_json:
        echo_json({"evidence": [evidence_json(i) for i in items]})
        return
    if not items:
        click.echo("No evidence yet. Add files with 'safetrail evidence add FILE'.")
    for item in items:
        name = (
            line(item.file.original_filename)
            if item.file and item.file.original_filename
            else "(physical item)"
        )
        removed = " (removed)" if item.removed else ""
        click.echo(
            f"{item.id:>4}  {item.exhibit_ref:<8} {name}  "
            f"{line(item.description.description)[:50]}{removed}"
        )


@evidence_group.command("show")
@click.argument("key")
@casebook_options
@json_option
def evidence_show(
    key: str, casebook_dir: Path | None, passphrase_file: Path | None, as_json: bool
) -> None:
    """Show one evidence item, by number or exhibit reference (e.g. 3 or JS/3)."""
    from safetrail.services.evidence import find_evidence
    from safetrail.services.when import zone

    with opened(casebook_dir, passphrase_file) as book:
        item = find_evidence(book, key)
        tz = zone(book.setting("timezone") or "Europe/London")
    if as_json:
        echo_json(evidence_json(item))
        return
    click.echo(f"Exhibit {item.exhibit_ref} (item {item.id}){' (removed)' if item.removed else ''}")
    field("Kind", item.kind.value)
    if item.file:
        field("File name", item.file.original_filename)
        field("Media type", item.file.media_type)
        field("Size", f"{item.file.size:,} bytes")
        field("SHA-256", item.file.sha256)
    field("Acquired", item.acquired_at.astimezone(tz).strftime("%d %b %Y %H:%M %Z"))
    if item.description.captured_at:
        field("Captured", item.description.captured_at.strftime("%d %b %Y %H:%M %Z"))
    field("Description", item.description.description)
    field("Source", item.description.source)
    field("Handling notes", item.description.handling_notes)


@evidence_group.command("edit")
@click.argument("key")
@casebook_options
@describe_options
def evidence_edit(
    key: str,
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    description: str | None,
    source: str | None,
    captured_at: str | None,
    handling_notes: str | None,
) -> None:
    """Change the description of an item. The file itself can never change."""
    from dataclasses import replace

    from safetrail.services.evidence import edit_description, find_evidence

    with opened(casebook_dir, passphrase_file) as book:
        item = find_evidence(book, key)
        given = _description(book, description, source, captured_at, handling_notes)
        new = replace(
            item.description,
            description=given.description
            if description is not None
            else item.description.description,
            source=given.source if source is not None else item.description.source,
            captured_at=given.captured_at
            if captured_at is not None
            else item.description.captured_at,
            handling_notes=given.handling_notes
            if handling_notes is not None
            else item.description.handling_notes,
        )
        item = edit_description(book, item.id, new)
    click.echo(f"Saved version {item.version} of {item.exhibit_ref}.")


@evidence_group.command("export")
@click.argument("key")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="File or folder to write the original to.",
)
@casebook_options
def evidence_export(
    key: str, out: Path, casebook_dir: Path | None, passphrase_file: Path | None
) -> None:
    """Write out the original bytes of an item, checked against its SHA-256."""
    from safetrail.services.evidence import export_original, find_evidence

    with opened(casebook_dir, passphrase_file) as book:
        item = find_evidence(book, key)
        target = export_original(book, item.id, out)
    click.echo(
        f"Wrote {item.exhibit_ref} to {target}. It matches the SHA-256 recorded when it arrived."
    )
    click.echo("This copy is not encrypted: keep it somewhere safe.")


@evidence_group.command("remove")
@click.argument("key")
@click.option("--reason", required=True, help="Why it is being removed (kept in the log).")
@casebook_options
def evidence_remove(
    key: str, reason: str, casebook_dir: Path | None, passphrase_file: Path | None
) -> None:
    """Hide an item from lists and reports. The file and its history are kept."""
    from safetrail.services.evidence import find_evidence, remove_evidence

    with opened(casebook_dir, passphrase_file) as book:
        item = remove_evidence(book, find_evidence(book, key).id, reason)
    click.echo(f"{item.exhibit_ref} is hidden. The original file is still kept.")
