"""timeline, analyse and tag confirm|reject: the whole pattern, explained."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import click

from safetrail.cli.common import casebook_options, json_option, opened
from safetrail.cli.display import echo_json, inert, line

JURISDICTIONS = ["england-wales", "scotland", "northern-ireland"]


def _when(book: Any, value: str | None) -> datetime | None:
    from safetrail.services.when import parse_when
    from safetrail.storage.repository import now_utc

    if not value:
        return None
    return parse_when(value, book.setting("timezone") or "Europe/London", now_utc()).at


@click.command("timeline")
@click.option("--subject", "subject_id", type=int, help="Only this person.")
@click.option("--channel", help="e.g. in_person, whatsapp, sms, call, email.")
@click.option("--behaviour", "tag", help="Only entries with this behaviour tag.")
@click.option("--from", "start", help="From this date.")
@click.option("--to", "end", help="Up to (not including) this date.")
@click.option("--text", help="Only entries containing these words.")
@click.option("--limit", type=int, default=200, show_default=True)
@click.option("--offset", type=int, default=0)
@casebook_options
@json_option
def timeline_command(
    subject_id: int | None,
    channel: str | None,
    tag: str | None,
    start: str | None,
    end: str | None,
    text: str | None,
    limit: int,
    offset: int,
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    as_json: bool,
) -> None:
    """Everything in time order: incidents, messages, calls, emails and evidence items.

    Times are shown in the casebook's time zone; ~ marks a time that is approximate.
    """
    from safetrail.services.timeline import TimelineFilter, timeline
    from safetrail.services.when import zone

    with opened(casebook_dir, passphrase_file) as book:
        filters = TimelineFilter(
            subject_id=subject_id,
            channel=channel,
            tag=tag,
            start=_when(book, start),
            end=_when(book, end),
            text=text,
            limit=limit,
            offset=offset,
        )
        entries = timeline(book, filters)
        tz_name = book.setting("timezone") or "Europe/London"
    tz = zone(tz_name)
    if as_json:
        echo_json({"timezone": tz_name, "entries": [e.to_json(tz) for e in entries]})
        return
    click.echo(f"Times in {tz_name}. ~ means approximate.")
    for entry in entries:
        when = f"{entry.at.astimezone(tz):%Y-%m-%d %H:%M}" if entry.at else "time unknown    "
        mark = "~" if entry.approximate else " "
        tags = f" [{', '.join(entry.tags)}]" if entry.tags else ""
        click.echo(f"{mark}{when}  {entry.kind:<8} {entry.id:>6}  {line(entry.text)[:70]}{tags}")


@click.command("analyse")
@click.option("--jurisdiction", type=click.Choice(JURISDICTIONS), help="Default: the casebook's.")
@click.option(
    "--charts",
    "charts_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the charts (SVG and PNG) into this folder.",
)
@casebook_options
@json_option
def analyse_command(
    jurisdiction: str | None,
    charts_dir: Path | None,
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    as_json: bool,
) -> None:
    """The pattern: how often, how long, what behaviours, whether it is getting worse, and the
    law the facts may be relevant to (information, not legal advice)."""
    from safetrail.services.analysis import analyse_case

    with opened(casebook_dir, passphrase_file) as book:
        result = analyse_case(book, jurisdiction)
    written: list[Path] = []
    if charts_dir is not None:
        from safetrail.analysis.charts import write_charts

        charts_dir.mkdir(parents=True, exist_ok=True)
        written = write_charts(result.analysis, charts_dir)
    if as_json:
        payload = result.to_json()
        payload["charts"] = [str(p) for p in written]
        echo_json(payload)
        return
    _print_analysis(result)
    if written:
        click.echo(
            f"\nCharts written to {charts_dir} ({len(written)} files). They are not encrypted."
        )


def _print_analysis(result: Any) -> None:
    analysis = result.analysis
    click.echo(inert(analysis.summary))
    for subject in analysis.subjects:
        conduct = subject.pattern.conduct
        click.echo("")
        click.echo(
            f"{line(subject.name) or 'Not yet linked to anyone'}: "
            f"{conduct.occasions} separate occasion(s)"
            + (" - a course of conduct." if conduct.course_of_conduct else ".")
        )
        if conduct.first_contact and conduct.last_contact:
            click.echo(
                f"  From {conduct.first_contact:%d %b %Y} to {conduct.last_contact:%d %b %Y}."
            )
        for signal in subject.escalation.signals:
            click.echo(f"  - {inert(signal.description)}")
        click.echo(f"  {inert(subject.summary)}")
    for note in result.notes:
        click.echo(f"Note: {note}")
    suggested = result.suggested_count()
    if suggested:
        click.echo(
            f"\n{suggested} behaviour tag(s) were suggested by Safetrail's rules. See them with"
            " 'safetrail analyse --json' and confirm or reject each with 'safetrail tag'."
        )
    click.echo(
        "\nThis is information, not legal advice. For advice, call the National Stalking"
        " Helpline (run 'safetrail help-now') or the police."
    )


@click.group("tag")
def tag_group() -> None:
    """Confirm or reject a behaviour tag. Your choice wins, and it is logged."""


def _decide(
    kind: str,
    target_id: int,
    tag: str,
    status: str,
    casebook_dir: Path | None,
    passphrase_file: Path | None,
) -> None:
    from safetrail.analysis.model import TagStatus
    from safetrail.services.tagging import decide

    with opened(casebook_dir, passphrase_file) as book:
        decision = decide(book, kind, target_id, tag, TagStatus(status))
    click.echo(f"{decision.tag.value} on {kind} {target_id}: {decision.status.value}.")


@tag_group.command("confirm")
@click.argument("kind", type=click.Choice(["record", "incident"]))
@click.argument("target_id", type=int)
@click.argument("tag")
@casebook_options
def tag_confirm(
    kind: str, target_id: int, tag: str, casebook_dir: Path | None, passphrase_file: Path | None
) -> None:
    """Say a tag is right (or add one the rules missed), e.g. tag confirm record 42 following."""
    _decide(kind, target_id, tag, "confirmed", casebook_dir, passphrase_file)


@tag_group.command("reject")
@click.argument("kind", type=click.Choice(["record", "incident"]))
@click.argument("target_id", type=int)
@click.argument("tag")
@casebook_options
def tag_reject(
    kind: str, target_id: int, tag: str, casebook_dir: Path | None, passphrase_file: Path | None
) -> None:
    """Say a suggested tag is wrong, e.g. tag reject record 42 threat_of_violence."""
    _decide(kind, target_id, tag, "rejected", casebook_dir, passphrase_file)
