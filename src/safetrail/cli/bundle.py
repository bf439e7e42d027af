"""bundle | verify-bundle: the evidence bundle to hand over, and checking one without Safetrail."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from safetrail.cli.common import casebook_options, json_option, opened
from safetrail.cli.display import echo_json, line


@click.command("bundle")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The zip file to write, e.g. evidence-bundle.zip.",
)
@click.option("--from", "start", help="Records and incidents from this date, e.g. 2026-03-01.")
@click.option("--to", "end", help="Records and incidents up to (not including) this date.")
@click.option("--subject", "subject_id", type=int, help="Only what is linked to this person.")
@click.option(
    "--include-private-notes", is_flag=True, help="Also include the incidents' private notes."
)
@casebook_options
@json_option
def bundle_command(
    out: Path,
    start: str | None,
    end: str | None,
    subject_id: int | None,
    include_private_notes: bool,
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    as_json: bool,
) -> None:
    """Write an evidence bundle (a zipped BagIt bag) that anyone can check.

    The bundle is NOT encrypted: it holds the original files so that you can hand it over.
    """
    from safetrail.export.bundle import BundleSelection, write_bundle
    from safetrail.services.when import parse_when
    from safetrail.storage.repository import now_utc

    if out.exists():
        raise click.ClickException(f"{out} already exists. Choose another name.")
    with opened(casebook_dir, passphrase_file) as book:
        timezone = book.setting("timezone") or "Europe/London"

        def when(value: str | None) -> datetime | None:
            return parse_when(value, timezone, now_utc()).at if value else None

        selection = BundleSelection(
            start=when(start),
            end=when(end),
            subject_id=subject_id,
            include_private_notes=include_private_notes,
        )
        summary = write_bundle(book, out, selection)
    if as_json:
        echo_json(summary.to_json())
        return
    click.echo(f"Wrote {line(str(summary.path))}")
    click.echo(
        f"  {summary.originals} original files, {summary.records} records, "
        f"{summary.incidents} incidents, {summary.files} files in all"
    )
    click.echo(f"  SHA-256 of the zip: {summary.sha256}")
    click.echo(f"  Custody log head:   {summary.log_head}")
    click.echo("This file is NOT encrypted. Keep it safe, and hand it only to people you trust.")


@click.command("verify-bundle")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
def verify_bundle_command(path: Path, as_json: bool) -> None:
    """Check an evidence bundle: every file, the bag, and the custody chain (exit 0 = intact)."""
    from safetrail.export.bundle_verify import verify_bundle

    report = verify_bundle(path)
    if as_json:
        echo_json(report.to_json())
    elif report.ok:
        click.echo(
            f"Intact: {report.files_checked} files match their SHA-256, the bag is valid, and "
            f"the custody chain of {report.log_entries} entries ends at {report.log_head}."
        )
    else:
        click.echo("NOT intact:")
        for problem in report.problems:
            click.echo(f"  - {line(problem)}")
    if not report.ok:
        raise SystemExit(1)
