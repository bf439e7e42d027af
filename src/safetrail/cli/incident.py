"""incident add | list | show | edit | link | remove: the diary."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from safetrail.cli.common import casebook_options, interactive, json_option, opened
from safetrail.cli.display import echo_json, field, line
from safetrail.models.enums import BEHAVIOUR_LABELS, Behaviour, Certainty, Channel
from safetrail.models.incident import PoliceContact, PossibleBreach

if TYPE_CHECKING:
    from safetrail.models.incident import Incident, IncidentDetails
    from safetrail.services.casebook import Casebook


def incident_json(incident: Incident) -> dict[str, object]:
    return {
        "id": incident.id,
        "uid": incident.uid,
        "version": incident.version,
        "recorded_at": incident.recorded_at.isoformat(),
        "written_at": incident.written_at.isoformat(),
        "removed": incident.removed,
        **incident.details.to_data(),
    }


def detail_options(func: Any) -> Any:
    options = [
        click.option("--private-notes", help="Notes for you alone; never exported unless you ask."),
        click.option(
            "--breach",
            help="ORDER or ORDER:CONDITION if this may break a court order (see 'order list').",
        ),
        click.option(
            "--subject", "subject_id", type=int, help="Number of the person this is about."
        ),
        click.option(
            "--evidence",
            "evidence_ids",
            type=int,
            multiple=True,
            help="Evidence item number to link (repeat).",
        ),
        click.option("--officer", help="Police officer's name and number."),
        click.option("--crime-ref", help="Crime reference number."),
        click.option(
            "--reported/--not-reported", default=None, help="Whether you reported it to the police."
        ),
        click.option(
            "--witness",
            multiple=True,
            help="A witness as 'Name' or 'Name|how to contact' (repeat).",
        ),
        click.option(
            "--feared-violence/--no-feared-violence",
            default=None,
            help="Did it make you fear violence?",
        ),
        click.option("--changes", help="What you changed because of it (routes, work, phone...)."),
        click.option("--impact", help="How it affected you."),
        click.option(
            "--behaviour",
            "behaviours",
            type=click.Choice([b.value for b in Behaviour]),
            multiple=True,
            help="A behaviour it shows (repeat).",
        ),
        click.option(
            "--channel", type=click.Choice([c.value for c in Channel]), help="How it happened."
        ),
        click.option("--where", "location", help="Where it happened."),
        click.option("--what", "what_happened", help="What happened, with exact words if you can."),
        click.option(
            "--certainty",
            type=click.Choice([c.value for c in Certainty]),
            help="How sure you are of the time.",
        ),
        click.option("--until", "until", help="When it ended, if it went on for a while."),
        click.option(
            "--when", "when", help="When it happened, e.g. '2026-03-12 14:30' or '12/03/2026'."
        ),
    ]
    for option in options:
        func = option(func)
    return func


def _witnesses(values: tuple[str, ...]) -> tuple[Any, ...]:
    from safetrail.models.incident import Witness

    result = []
    for value in values:
        name, _, contact = value.partition("|")
        result.append(Witness(name=name.strip(), contact=contact.strip()))
    return tuple(result)


def _time_changes(book: Casebook, opts: dict[str, Any]) -> dict[str, Any]:
    from safetrail.services.when import parse_when
    from safetrail.storage.repository import now_utc

    timezone = book.setting("timezone") or "Europe/London"
    changes: dict[str, Any] = {}
    certainty = Certainty(opts["certainty"]) if opts.get("certainty") else None
    if opts.get("when"):
        when = parse_when(opts["when"], timezone, now_utc(), certainty)
        changes["occurred_start"], changes["certainty"] = when.at, when.certainty
    elif certainty is not None:
        changes["certainty"] = certainty
    if opts.get("until"):
        changes["occurred_end"] = parse_when(opts["until"], timezone, now_utc()).at
    return changes


_RENAMED = {
    "location": "location",
    "what_happened": "what_happened",
    "impact": "impact",
    "changes": "changes_made",
    "private_notes": "private_notes",
    "subject_id": "subject_id",
    "feared_violence": "feared_violence",
}


def _field_changes(opts: dict[str, Any]) -> dict[str, Any]:
    changes = {name: opts[key] for key, name in _RENAMED.items() if opts.get(key) is not None}
    if opts.get("channel"):
        changes["channel"] = Channel(opts["channel"])
    if opts.get("behaviours"):
        changes["behaviours"] = tuple(Behaviour(b) for b in opts["behaviours"])
    if opts.get("witness"):
        changes["witnesses"] = _witnesses(opts["witness"])
    if opts.get("evidence_ids"):
        changes["evidence_ids"] = tuple(dict.fromkeys(opts["evidence_ids"]))
    if opts.get("breach"):
        changes["possible_breach"] = _breach(opts["breach"])
    return changes


def _breach(text: str) -> PossibleBreach:
    order, _, condition = text.partition(":")
    if not order.strip().isdigit():
        raise click.BadParameter("use ORDER or ORDER:CONDITION, e.g. 1:2", param_hint="--breach")
    return PossibleBreach(order_id=int(order), condition=condition.strip())


def _police(current: PoliceContact, opts: dict[str, Any]) -> PoliceContact:
    reported, crime_ref, officer = opts.get("reported"), opts.get("crime_ref"), opts.get("officer")
    if reported is None and crime_ref is None and officer is None:
        return current
    return PoliceContact(
        reported=reported if reported is not None else (current.reported or bool(crime_ref)),
        crime_reference=crime_ref if crime_ref is not None else current.crime_reference,
        officer=officer if officer is not None else current.officer,
    )


def apply_options(
    base: IncidentDetails | None, book: Casebook, opts: dict[str, Any]
) -> IncidentDetails:
    """Build details from flags; for an edit, only the flags given change anything."""
    from safetrail.models.incident import IncidentDetails
    from safetrail.services.errors import InvalidInput

    changes = {**_time_changes(book, opts), **_field_changes(opts)}
    if base is None:
        if "occurred_start" not in changes or "what_happened" not in changes:
            raise InvalidInput(
                "Please give at least --when and --what (or run without flags to be asked)."
            )
        base = IncidentDetails(
            occurred_start=changes["occurred_start"], what_happened=changes["what_happened"]
        )
    try:
        return replace(base, police=_police(base.police, opts), **changes)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc


def print_incident(incident: Incident, timezone: str, show_private: bool = True) -> None:
    from safetrail.services.when import zone

    tz = zone(timezone)
    d = incident.details
    start = d.occurred_start.astimezone(tz)
    when = start.strftime("%a %d %b %Y %H:%M %Z")
    if d.certainty is Certainty.DATE_ONLY:
        when = start.strftime("%a %d %b %Y (time not known)")
    elif d.certainty is Certainty.APPROXIMATE:
        when = f"about {when}"
    click.echo(f"Incident {incident.id}{' (removed)' if incident.removed else ''}")
    field(
        "When",
        when + (f" until {d.occurred_end.astimezone(tz):%H:%M %d %b %Y}" if d.occurred_end else ""),
    )
    field(
        "Written",
        incident.recorded_at.astimezone(tz).strftime("%d %b %Y %H:%M %Z")
        + f" (version {incident.version})",
    )
    field("Where", d.location)
    field("How", d.channel.value.replace("_", " "))
    field("What happened", d.what_happened)
    field("Behaviours", "; ".join(BEHAVIOUR_LABELS[b] for b in d.behaviours))
    field("Impact on you", d.impact)
    field("Feared violence", {True: "yes", False: "no", None: ""}[d.feared_violence])
    field("What you changed", d.changes_made)
    field("Witnesses", "\n".join(f"{w.name} {w.contact}".strip() for w in d.witnesses))
    if d.police.reported:
        field(
            "Police",
            f"reported; ref {d.police.crime_reference or '-'}; officer {d.police.officer or '-'}",
        )
    field("Person", str(d.subject_id) if d.subject_id is not None else "")
    field("Evidence", ", ".join(str(e) for e in d.evidence_ids))
    if show_private:
        field("Private notes", d.private_notes)


@click.group("incident")
def incident_group() -> None:
    """Your diary of what happened."""


@incident_group.command("add")
@casebook_options
@detail_options
@click.option("--ask", is_flag=True, help="Ask step by step, even when not at a terminal.")
@json_option
def incident_add(
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    ask: bool,
    as_json: bool,
    **opts: Any,
) -> None:
    """Write down something that happened. Without flags, Safetrail asks you step by step."""
    from safetrail.cli.incident_prompts import ask_incident
    from safetrail.services.incidents import add_incident
    from safetrail.services.when import zone
    from safetrail.storage.repository import now_utc

    with opened(casebook_dir, passphrase_file) as book:
        if ask or (not any(v for v in opts.values() if v not in (None, ())) and interactive()):
            details = ask_incident(
                book.setting("timezone") or "Europe/London", now_utc(), opts.get("subject_id")
            )
        else:
            details = apply_options(None, book, opts)
        incident = add_incident(book, details)
        tz = zone(book.setting("timezone") or "Europe/London")
    if as_json:
        echo_json(incident_json(incident))
    else:
        click.echo(
            f"Saved as incident {incident.id}, written at "
            f"{incident.recorded_at.astimezone(tz):%H:%M on %d %b %Y}."
        )


@incident_group.command("list")
@casebook_options
@click.option("--all", "include_removed", is_flag=True, help="Include removed entries.")
@json_option
def incident_list(
    casebook_dir: Path | None, passphrase_file: Path | None, include_removed: bool, as_json: bool
) -> None:
    """List your diary entries, oldest first."""
    from safetrail.services.incidents import list_incidents
    from safetrail.services.when import zone

    with opened(casebook_dir, passphrase_file) as book:
        incidents = list_incidents(book, include_removed)
        tz = zone(book.setting("timezone") or "Europe/London")
    if as_json:
        echo_json({"incidents": [incident_json(i) for i in incidents]})
        return
    if not incidents:
        click.echo("No incidents yet. Write one with 'safetrail incident add'.")
    for incident in incidents:
        d = incident.details
        mark = "~" if d.certainty is not Certainty.EXACT else " "
        summary = line(d.what_happened)
        if len(summary) > 70:
            summary = summary[:69] + "…"
        start = d.occurred_start.astimezone(tz)
        clock = "--:--" if d.certainty is Certainty.DATE_ONLY else f"{start:%H:%M}"
        click.echo(f"{incident.id:>4} {mark}{start:%Y-%m-%d} {clock}  {summary}")


@incident_group.command("show")
@click.argument("incident_id", type=int)
@click.option("--history", is_flag=True, help="Also show every earlier version.")
@casebook_options
@json_option
def incident_show(
    incident_id: int,
    history: bool,
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    as_json: bool,
) -> None:
    """Show one incident in full."""
    from safetrail.services.incidents import get_incident, incident_history
    from safetrail.services.when import zone

    with opened(casebook_dir, passphrase_file) as book:
        incident = get_incident(book, incident_id)
        versions = incident_history(book, incident_id) if history else []
        timezone = book.setting("timezone") or "Europe/London"
    if as_json:
        payload = incident_json(incident)
        if history:
            payload["history"] = [
                {
                    "version": v.version,
                    "written_at": v.written_at.isoformat(),
                    "action": v.action,
                    "removed": v.removed,
                    **v.details.to_data(),
                }
                for v in versions
            ]
        echo_json(payload)
        return
    print_incident(incident, timezone)
    for version in versions:
        click.echo("")
        click.echo(
            f"--- version {version.version}, {version.action}, written "
            f"{version.written_at.astimezone(zone(timezone)):%d %b %Y %H:%M %Z}"
        )
        field("What happened", version.details.what_happened)
        field("Impact on you", version.details.impact)


@incident_group.command("edit")
@click.argument("incident_id", type=int)
@casebook_options
@detail_options
@json_option
def incident_edit(
    incident_id: int,
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    as_json: bool,
    **opts: Any,
) -> None:
    """Change an incident. Earlier versions are kept; the time first written never changes."""
    from safetrail.services.errors import InvalidInput
    from safetrail.services.incidents import edit_incident, get_incident

    if not any(v for v in opts.values() if v not in (None, ())):
        raise InvalidInput("Say what to change, for example --impact '...'.")
    with opened(casebook_dir, passphrase_file) as book:
        current = get_incident(book, incident_id)
        incident = edit_incident(book, incident_id, apply_options(current.details, book, opts))
    if as_json:
        echo_json(incident_json(incident))
    else:
        click.echo(
            f"Saved version {incident.version} of incident {incident.id}. "
            "Earlier versions are kept."
        )


@incident_group.command("link")
@click.argument("incident_id", type=int)
@click.option("--evidence", "evidence_id", type=int, required=True, help="Evidence item number.")
@casebook_options
def incident_link(
    incident_id: int, evidence_id: int, casebook_dir: Path | None, passphrase_file: Path | None
) -> None:
    """Link an evidence item to an incident."""
    from safetrail.services.incidents import link_evidence

    with opened(casebook_dir, passphrase_file) as book:
        incident = link_evidence(book, incident_id, evidence_id)
    click.echo(f"Linked. Incident {incident.id} now has version {incident.version}.")


@incident_group.command("remove")
@click.argument("incident_id", type=int)
@click.option("--reason", required=True, help="Why it is being removed (kept in the log).")
@casebook_options
def incident_remove(
    incident_id: int, reason: str, casebook_dir: Path | None, passphrase_file: Path | None
) -> None:
    """Hide an incident from lists and reports. Nothing is deleted; the removal is logged."""
    from safetrail.services.incidents import remove_incident

    with opened(casebook_dir, passphrase_file) as book:
        remove_incident(book, incident_id, reason)
    click.echo(f"Incident {incident_id} is hidden. It and its history are kept.")
