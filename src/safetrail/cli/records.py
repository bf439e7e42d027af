"""records list | search | show | unknown | assign: what the importers took out of the exports."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from safetrail.cli.common import casebook_options, json_option, opened
from safetrail.cli.display import echo_json, field, line

if TYPE_CHECKING:
    from safetrail.services.casebook import Casebook
    from safetrail.services.records import RecordFilter, RecordView


def filter_options(func: Any) -> Any:
    options = [
        click.option("--offset", type=int, default=0, help="Skip this many."),
        click.option(
            "--limit", type=int, default=200, show_default=True, help="At most this many."
        ),
        click.option("--to", "end", help="Up to (not including) this date."),
        click.option("--from", "start", help="From this date, e.g. 2026-03-01."),
        click.option(
            "--kind", type=click.Choice(["message", "call", "email", "post", "photo", "system"])
        ),
        click.option("--channel", help="e.g. whatsapp, sms, call, email, telegram."),
        click.option(
            "--subject", "subject_id", type=int, help="Only records linked to this person."
        ),
    ]
    for option in options:
        func = option(func)
    return func


def _filters(book: Casebook, opts: dict[str, Any], text: str | None = None) -> RecordFilter:
    from safetrail.services.records import RecordFilter
    from safetrail.services.when import parse_when
    from safetrail.storage.repository import now_utc

    timezone = book.setting("timezone") or "Europe/London"

    def when(value: str | None) -> datetime | None:
        return parse_when(value, timezone, now_utc()).at if value else None

    return RecordFilter(
        subject_id=opts.get("subject_id"),
        channel=opts.get("channel"),
        kind=opts.get("kind"),
        start=when(opts.get("start")),
        end=when(opts.get("end")),
        text=text,
        limit=opts.get("limit") or 200,
        offset=opts.get("offset") or 0,
    )


def _print(views: list[RecordView]) -> None:
    if not views:
        click.echo("No records match.")
    for view in views:
        who = view.sender or view.sender_address or ("you" if view.direction == "sent" else "?")
        body = view.text or (
            f"{view.call_type} call, {view.duration_seconds or 0}s" if view.kind == "call" else ""
        )
        when = (view.occurred_at or view.timestamp_text)[:16].replace("T", " ")
        click.echo(f"{view.id:>7} {when}  {view.channel:<9} {line(who)[:20]:<20} {line(body)[:70]}")


@click.group("records")
def records_group() -> None:
    """Messages, calls and emails taken out of imported exports."""


@records_group.command("list")
@casebook_options
@filter_options
@json_option
def records_list(
    casebook_dir: Path | None, passphrase_file: Path | None, as_json: bool, **opts: Any
) -> None:
    """List records in time order, with filters."""
    from safetrail.services.records import list_records

    with opened(casebook_dir, passphrase_file) as book:
        views = list_records(book, _filters(book, opts))
    if as_json:
        echo_json({"records": [v.to_json() for v in views]})
    else:
        _print(views)


@records_group.command("search")
@click.argument("query")
@casebook_options
@filter_options
@json_option
def records_search(
    query: str, casebook_dir: Path | None, passphrase_file: Path | None, as_json: bool, **opts: Any
) -> None:
    """Find records containing all these words (searched inside the encrypted casebook)."""
    from safetrail.services.records import list_records

    with opened(casebook_dir, passphrase_file) as book:
        views = list_records(book, _filters(book, opts, query))
    if as_json:
        echo_json({"records": [v.to_json() for v in views]})
    else:
        _print(views)


@records_group.command("show")
@click.argument("record_id", type=int)
@casebook_options
@json_option
def records_show(
    record_id: int, casebook_dir: Path | None, passphrase_file: Path | None, as_json: bool
) -> None:
    """Show one record and exactly where in its exhibit it came from."""
    from safetrail.services.records import get_record

    with opened(casebook_dir, passphrase_file) as book:
        view = get_record(book, record_id)
    if as_json:
        echo_json(view.to_json())
        return
    field("Record", str(view.id))
    field("When", view.occurred_at or "not known")
    field("As written", view.timestamp_text)
    field("Zone assumed", view.timezone_assumed or "")
    field("Ambiguity", view.ambiguity or "")
    field("Channel", f"{view.channel} {view.kind}")
    field("From", " ".join(p for p in (view.sender or "", view.sender_address or "") if p))
    field("Direction", view.direction)
    field("Text", view.text)
    field(
        "Exhibit", f"{view.exhibit_ref}, " + ", ".join(f"{k} {v}" for k, v in view.locator.items())
    )


@records_group.command("unknown")
@casebook_options
@json_option
def records_unknown(casebook_dir: Path | None, passphrase_file: Path | None, as_json: bool) -> None:
    """Senders Safetrail cannot link to anyone yet: say who they are with 'records assign'."""
    from safetrail.services.records import unknown_senders

    with opened(casebook_dir, passphrase_file) as book:
        senders = unknown_senders(book)
    if as_json:
        echo_json({"unknown_senders": [asdict(s) for s in senders]})
        return
    if not senders:
        click.echo("Every sender is linked to someone you recorded.")
    for sender in senders:
        click.echo(
            f"{sender.records:>7}  {line(sender.shown_as)[:30]:<30}  key: {line(sender.key)}"
        )
    if senders:
        click.echo("To say who one is: safetrail records assign KEY --subject NUMBER")


@records_group.command("assign")
@click.argument("key")
@click.option("--subject", "subject_id", type=int, required=True, help="The person this sender is.")
@casebook_options
def records_assign(
    key: str, subject_id: int, casebook_dir: Path | None, passphrase_file: Path | None
) -> None:
    """Say who a sender is. Past records re-link now; future imports link by themselves."""
    from safetrail.services.records import assign_sender

    with opened(casebook_dir, passphrase_file) as book:
        changed = assign_sender(book, key, subject_id)
    click.echo(f"Linked {changed:,} records to person {subject_id}.")
