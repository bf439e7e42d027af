"""report: the police-ready report (PDF, HTML), the chronology (CSV), a Timesketch timeline
(JSONL) or CASE/UCO JSON-LD."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from safetrail.cli.common import casebook_options, json_option, opened
from safetrail.cli.display import echo_json

FORMATS = ("pdf", "html", "csv", "jsonl", "case")
KINDS = ("incident", "record", "evidence")


def _kinds(value: str | None) -> frozenset[str]:
    if not value:
        return frozenset(KINDS)
    chosen = frozenset(part.strip().lower() for part in value.split(",") if part.strip())
    unknown = chosen - frozenset(KINDS)
    if unknown or not chosen:
        raise click.BadParameter(
            f"choose from {', '.join(KINDS)}, separated by commas", param_hint="--kinds"
        )
    return chosen


@click.command("report")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    required=True,
    help="pdf or html (the report), csv (chronology), jsonl (Timesketch) or case (CASE/UCO).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="The file to write.",
)
@click.option("--from", "start", help="From this date, e.g. 2026-03-01.")
@click.option("--to", "end", help="Up to (not including) this date.")
@click.option("--subject", "subject_id", type=int, help="Only entries linked to this person.")
@click.option("--kinds", help="Any of incident,record,evidence (default: all three).")
@click.option("--tagged-only", is_flag=True, help="Only records with a behaviour tag.")
@click.option(
    "--include-private-notes",
    is_flag=True,
    help="Add your private notes (pdf, html, csv; think first: the report says they are in).",
)
@click.option(
    "--no-redact", is_flag=True, help="Keep other people's phone numbers and email addresses."
)
@click.option("--person", help="Your name as the cover should show it (default: your initials).")
@casebook_options
@json_option
def report_command(
    fmt: str,
    out: Path,
    start: str | None,
    end: str | None,
    subject_id: int | None,
    kinds: str | None,
    tagged_only: bool,
    include_private_notes: bool,
    no_redact: bool,
    person: str | None,
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    as_json: bool,
) -> None:
    """Write an export of the casebook. The file written is NOT encrypted: keep it safe."""
    from safetrail.export.report.build import ReportOptions
    from safetrail.export.selection import Selection
    from safetrail.services.reports import write_report
    from safetrail.services.when import parse_when
    from safetrail.storage.repository import now_utc

    chosen = _kinds(kinds)
    if not out.parent.is_dir():
        raise click.ClickException(f"There is no folder {out.parent} to write {out.name} in.")
    with opened(casebook_dir, passphrase_file) as book:
        timezone = book.setting("timezone") or "Europe/London"

        def when(value: str | None) -> datetime | None:
            return parse_when(value, timezone, now_utc()).at if value else None

        selection = Selection(
            start=when(start),
            end=when(end),
            subject_id=subject_id,
            kinds=chosen,
            full_text=not tagged_only,
            include_private_notes=include_private_notes,
            redact_third_parties=not no_redact,
        )
        summary = write_report(book, selection, fmt, out, ReportOptions(person=person))
    if as_json:
        echo_json(summary.to_json())
        return
    click.echo(f"Wrote {summary.entries} entries to {out}.")
    if summary.left_out_untimed:
        click.echo(f"{summary.left_out_untimed} entries with no known time were left out.")
    if fmt in ("pdf", "html", "csv"):
        notes = "are" if summary.private_notes_included else "are not"
        click.echo(f"Your private notes {notes} in it.")
    click.echo(f"SHA-256: {summary.sha256}")
    click.echo("This file is not encrypted. Keep it somewhere safe, and delete it when done.")
