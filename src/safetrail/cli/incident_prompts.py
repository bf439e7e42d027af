"""The questions asked when someone writes an incident interactively, with a short why for each."""

from __future__ import annotations

from datetime import datetime

import click

from safetrail.models.enums import BEHAVIOUR_LABELS, Behaviour, Certainty, Channel
from safetrail.models.incident import IncidentDetails, PoliceContact, Witness
from safetrail.services.when import parse_when

GUIDE = """Write it down as soon as you can, while it is fresh. Use their exact words if you
remember them. It is fine to leave things out: you can add to this entry later, and every
earlier version is kept. If you are in danger now, stop and call 999."""


def _ask(text: str, hint: str, default: str = "") -> str:
    click.echo(click.style(hint, dim=True))
    value: str = click.prompt(text, default=default, show_default=bool(default))
    return value.strip()


def ask_when(timezone: str, now: datetime) -> tuple[datetime, Certainty]:
    while True:
        text = _ask(
            "When did it happen?",
            "For example 'today 14:30', 'yesterday 9pm' or '12/03/2026 18:00'. "
            "A date alone is fine if you don't know the time.",
            default="now",
        )
        try:
            when = parse_when(text, timezone, now)
        except Exception as exc:
            click.echo(str(exc))
            continue
        if when.certainty is Certainty.EXACT and click.confirm(
            "Is that time approximate?", default=False
        ):
            return when.at, Certainty.APPROXIMATE
        return when.at, when.certainty


def ask_channel() -> Channel:
    choices = [c.value for c in Channel]
    click.echo(
        click.style("How did it happen: in person, a call, a message, a letter...?", dim=True)
    )
    value = click.prompt("How", type=click.Choice(choices), default=Channel.IN_PERSON.value)
    return Channel(value)


def ask_behaviours() -> tuple[Behaviour, ...]:
    click.echo(
        "Which of these describe it? Type the numbers, separated by spaces (or leave blank)."
    )
    options = list(Behaviour)
    for index, behaviour in enumerate(options, start=1):
        click.echo(f"  {index:>2}. {BEHAVIOUR_LABELS[behaviour]}")
    raw = click.prompt("Numbers", default="", show_default=False)
    chosen: list[Behaviour] = []
    for token in raw.replace(",", " ").split():
        if token.isdigit() and 1 <= int(token) <= len(options):
            chosen.append(options[int(token) - 1])
    return tuple(dict.fromkeys(chosen))


def ask_witnesses() -> tuple[Witness, ...]:
    witnesses: list[Witness] = []
    while click.confirm("Did anyone else see or hear it?", default=False):
        name = click.prompt("Their name")
        contact = click.prompt("How to contact them (optional)", default="", show_default=False)
        witnesses.append(Witness(name=name, contact=contact))
    return tuple(witnesses)


def ask_police() -> PoliceContact:
    if not click.confirm("Have you reported this to the police?", default=False):
        return PoliceContact()
    reference = click.prompt(
        "Crime reference number (if you have one)", default="", show_default=False
    )
    officer = click.prompt(
        "Officer's name and number (if you have them)", default="", show_default=False
    )
    return PoliceContact(reported=True, crime_reference=reference, officer=officer)


def ask_incident(timezone: str, now: datetime, subject_id: int | None) -> IncidentDetails:
    click.echo(GUIDE)
    start, certainty = ask_when(timezone, now)
    where = _ask("Where?", "The place, as exactly as you can: an address, a street, a website.")
    channel = ask_channel()
    what = ""
    while not what:
        what = _ask(
            "What happened?",
            "Describe it in your own words. Put their exact words in quotes if you can.",
        )
    behaviours = ask_behaviours()
    impact = _ask(
        "How did it affect you?",
        "How you felt, then and since. This matters: the law looks at the effect on you.",
    )
    feared = click.confirm(
        "Did it make you fear that violence would be used against you?", default=False
    )
    changes = _ask(
        "Did you change anything because of it?",
        "For example your route, your work, your phone number, seeing friends, where you sleep.",
    )
    return IncidentDetails(
        occurred_start=start,
        certainty=certainty,
        location=where,
        channel=channel,
        what_happened=what,
        behaviours=behaviours,
        impact=impact,
        feared_violence=feared,
        changes_made=changes,
        witnesses=ask_witnesses(),
        police=ask_police(),
        subject_id=subject_id,
    )
