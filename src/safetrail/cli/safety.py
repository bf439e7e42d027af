"""risk, plan, police, order and prepare-report: staying safe and getting help."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from safetrail.cli.common import casebook_options, interactive, json_option, opened
from safetrail.cli.display import echo_json, field, inert, line

if TYPE_CHECKING:
    from safetrail.services.casebook import Casebook
    from safetrail.services.risk import RiskOverview

NO_RATING = (
    "Safetrail never adds up your answers or rates danger. A trained person (police or a "
    "specialist advocate) does a professional risk assessment, such as S-DASH or DARA."
)


@click.group("risk")
def risk_group() -> None:
    """Questions police or an advocate may ask, and what your diary shows. Never a score."""


def _ask_all(book: Casebook) -> dict[str, tuple[str, str]]:
    from safetrail.safety.risk_content import load_risk_questions
    from safetrail.services.risk import current_answers

    content = load_risk_questions()
    existing = current_answers(book)
    click.echo(content.intro)
    choices = [o.id for o in content.answer_options]
    answers: dict[str, tuple[str, str]] = {}
    for question in content.questions:
        click.echo("")
        click.echo(question.question)
        click.echo(click.style(question.why, dim=True))
        before = existing.get(question.id)
        default = before[1].answer if before else "not-sure"
        answer = click.prompt("Answer", type=click.Choice(choices), default=default)
        note = click.prompt(
            content.free_text_prompt,
            default=before[1].note if before else "",
            show_default=False,
        )
        answers[question.id] = (answer, note)
    return answers


def _parse_answers(pairs: tuple[str, ...], notes: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    note_map = {}
    for pair in notes:
        key, _, text = pair.partition("=")
        note_map[key.strip()] = text
    answers = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise click.BadParameter(f"{pair!r}: use QUESTION=ANSWER", param_hint="--answer")
        answers[key.strip()] = (value.strip(), note_map.get(key.strip(), ""))
    return answers


@risk_group.command("ask")
@click.option("--answer", "answer_pairs", multiple=True, help="QUESTION=yes|no|not-sure (repeat).")
@click.option("--note", "note_pairs", multiple=True, help="QUESTION=text, a note for an answer.")
@casebook_options
@json_option
def risk_ask(
    answer_pairs: tuple[str, ...],
    note_pairs: tuple[str, ...],
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    as_json: bool,
) -> None:
    """Answer (or re-answer) the questions. Earlier answers are kept with their dates."""
    from safetrail.services.risk import record_answers

    with opened(casebook_dir, passphrase_file) as book:
        if answer_pairs:
            answers = _parse_answers(answer_pairs, note_pairs)
        elif interactive():
            answers = _ask_all(book)
        else:
            raise click.UsageError("Give --answer QUESTION=ANSWER, or run in a terminal.")
        review = record_answers(book, answers)
    if as_json:
        echo_json({"review_id": review.id, "at": review.at, "answers": review.answers})
    else:
        click.echo(f"Saved. {len(answers)} answer(s), reviewed {review.at[:16].replace('T', ' ')}.")
        click.echo("See what this shows, and what to do next: safetrail risk show")


def _print_overview(overview: RiskOverview) -> None:
    questions = {q.id: q for q in overview.questions}
    click.echo("What you told Safetrail:")
    if not overview.answers:
        click.echo("  Nothing yet. Answer the questions with: safetrail risk ask")
    for question_id, answer in overview.answers.items():
        label = questions[question_id].question if question_id in questions else question_id
        click.echo(f"  {label} {answer.answer} (answered {answer.answered_at[:10]})")
        if answer.note:
            click.echo(f"    {inert(answer.note)}")
    click.echo("")
    click.echo("What your diary shows:")
    if not overview.factors:
        click.echo("  Nothing from this list yet. That does not mean you are safe.")
    for factor in overview.factors:
        entries = ", ".join(f"{kind} {number}" for kind, number in factor.entries[:8])
        click.echo(f"  {factor.title}: {factor.explanation} ({entries})")
    click.echo("")
    click.echo("Since your last review:")
    for change in overview.changes:
        click.echo(f"  {change}")
    click.echo("")
    click.echo("What to do next:")
    for step in overview.next_steps:
        click.echo(f"  {step.title}: {step.text}")
    click.echo("")
    click.echo(NO_RATING)


@risk_group.command("show")
@casebook_options
@json_option
def risk_show(casebook_dir: Path | None, passphrase_file: Path | None, as_json: bool) -> None:
    """Your answers, the factors found in your diary, what changed, and next steps."""
    from safetrail.services.risk import risk_overview

    with opened(casebook_dir, passphrase_file) as book:
        overview = risk_overview(book)
    if as_json:
        echo_json(overview.to_json())
    else:
        _print_overview(overview)


@risk_group.command("history")
@click.argument("question_id")
@casebook_options
@json_option
def risk_history(
    question_id: str, casebook_dir: Path | None, passphrase_file: Path | None, as_json: bool
) -> None:
    """Every answer you have given to one question, with its date."""
    from safetrail.services.risk import answer_history

    with opened(casebook_dir, passphrase_file) as book:
        history = answer_history(book, question_id)
    if as_json:
        echo_json({"question_id": question_id, "answers": [a.to_json() for a in history]})
        return
    for answer in history:
        click.echo(
            f"{answer.answered_at[:16].replace('T', ' ')}  {answer.answer}  {line(answer.note)}"
        )


@click.group("plan")
def plan_group() -> None:
    """Your safety plan, trusted contacts and emergency card."""


@plan_group.command("show")
@casebook_options
@json_option
def plan_show(casebook_dir: Path | None, passphrase_file: Path | None, as_json: bool) -> None:
    """Each step, why it helps, and where you are with it."""
    from safetrail.services.plan import contacts, plan

    with opened(casebook_dir, passphrase_file) as book:
        entries = plan(book)
        people = contacts(book)
    if as_json:
        echo_json(
            {"steps": [e.to_json() for e in entries], "contacts": [c.to_json() for c in people]}
        )
        return
    for entry in entries:
        click.echo(f"[{entry.status}] {entry.item.id}: {entry.item.title}")
        click.echo(f"    {entry.item.why}")
        if entry.item.caution:
            click.echo(f"    Take care: {entry.item.caution}")
        if entry.notes:
            click.echo(f"    Your notes: {inert(entry.notes)}")
    if people:
        click.echo("")
        click.echo("Trusted contacts:")
        for person in people:
            knows = "knows" if person.knows else "does not know yet"
            click.echo(f"  {line(person.name)} ({knows}): {line(person.how_to_reach)}")


@plan_group.command("update")
@click.argument("item_id")
@click.option("--status", type=click.Choice(["not-started", "in-progress", "done", "not-for-me"]))
@click.option("--notes", help="Your notes for this step.")
@casebook_options
@json_option
def plan_update(
    item_id: str,
    status: str | None,
    notes: str | None,
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    as_json: bool,
) -> None:
    """Update one step of the plan (its history is kept)."""
    from safetrail.services.plan import update_item

    with opened(casebook_dir, passphrase_file) as book:
        entry = update_item(book, item_id, status, notes)
    if as_json:
        echo_json(entry.to_json())
    else:
        click.echo(f"Saved: {entry.item.title} is {entry.status}.")
        if entry.item.caution:
            click.echo(f"Take care: {entry.item.caution}")


@plan_group.command("contact-add")
@click.option("--name", required=True, help="Who they are.")
@click.option("--reach", "how_to_reach", default="", help="How to reach them.")
@click.option("--knows/--does-not-know", default=True, help="Do they know what is happening?")
@click.option("--can-help", "can_help_with", default="", help="What they can do, e.g. 'witness'.")
@casebook_options
def plan_contact_add(
    name: str,
    how_to_reach: str,
    knows: bool,
    can_help_with: str,
    casebook_dir: Path | None,
    passphrase_file: Path | None,
) -> None:
    """Add someone you trust."""
    from safetrail.services.plan import add_contact

    with opened(casebook_dir, passphrase_file) as book:
        person = add_contact(book, name, how_to_reach, knows, can_help_with)
    click.echo(f"Added {line(person.name)} to your trusted contacts.")


@plan_group.command("card")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write a page to print."
)
@casebook_options
def plan_card(out: Path | None, casebook_dir: Path | None, passphrase_file: Path | None) -> None:
    """A one-page emergency card. With --out, a page to print (it is not encrypted)."""
    from safetrail.services.plan import emergency_card_html, emergency_card_text
    from safetrail.vault.atomic import atomic_write_bytes

    with opened(casebook_dir, passphrase_file) as book:
        if out is None:
            click.echo(inert(emergency_card_text(book)))
            return
        atomic_write_bytes(out, emergency_card_html(book).encode("utf-8"))
    click.echo(f"Written to {out}. Print it, then delete the file if others use this computer.")


@click.group("police")
def police_group() -> None:
    """Every contact with the police."""


@police_group.command("log")
@click.option("--when", "when", default="now", show_default=True, help="When you spoke to them.")
@click.option(
    "--how",
    type=click.Choice(["999", "101", "online", "in-person", "phone-other", "email", "other"]),
    required=True,
)
@click.option("--officer", "officer_name", default="", help="Officer's name.")
@click.option("--number", "officer_number", default="", help="Officer's collar or warrant number.")
@click.option("--crime-ref", "crime_reference", default="", help="Crime reference number.")
@click.option("--said", "what_was_said", default="", help="What was said.")
@click.option("--outcome", default="", help="What happened as a result.")
@click.option("--follow-up", "follow_up", help="When to follow up (a date).")
@casebook_options
@json_option
def police_log(
    when: str,
    how: str,
    officer_name: str,
    officer_number: str,
    crime_reference: str,
    what_was_said: str,
    outcome: str,
    follow_up: str | None,
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    as_json: bool,
) -> None:
    """Record a contact with the police."""
    from safetrail.services.police import PoliceContact, log_contact
    from safetrail.services.when import parse_when
    from safetrail.storage.repository import now_utc

    with opened(casebook_dir, passphrase_file) as book:
        zone = book.setting("timezone") or "Europe/London"
        at = parse_when(when, zone, now_utc()).at
        due = parse_when(follow_up, zone, now_utc()).at.date() if follow_up else None
        contact = log_contact(
            book,
            PoliceContact(
                0,
                at,
                how,
                officer_name,
                officer_number,
                crime_reference,
                what_was_said,
                outcome,
                due,
            ),
        )
    if as_json:
        echo_json(contact.to_json())
    else:
        click.echo(f"Saved police contact {contact.id}.")


@police_group.command("list")
@casebook_options
@json_option
def police_list(casebook_dir: Path | None, passphrase_file: Path | None, as_json: bool) -> None:
    """List your contacts with the police."""
    from safetrail.services.police import police_contacts

    with opened(casebook_dir, passphrase_file) as book:
        found = police_contacts(book)
    if as_json:
        echo_json({"police_contacts": [c.to_json() for c in found]})
        return
    if not found:
        click.echo("No police contacts recorded yet. Add one with 'safetrail police log'.")
    for contact in found:
        click.echo(f"{contact.id:>3}  {contact.at:%d %b %Y %H:%M}  {contact.how}")
        field("Officer", f"{contact.officer_name} {contact.officer_number}".strip())
        field("Crime ref", contact.crime_reference)
        field("What was said", contact.what_was_said)
        field("Outcome", contact.outcome)
        if contact.follow_up_due:
            field("Follow up", f"{contact.follow_up_due:%d %b %Y}")


@click.group("order")
def order_group() -> None:
    """Court orders (restraining, stalking protection, non-molestation) and their conditions."""


@order_group.command("add")
@click.option(
    "--type",
    "order_type",
    required=True,
    type=click.Choice(
        [
            "restraining-order",
            "stalking-protection-order",
            "non-molestation-order",
            "non-harassment-order",
            "other",
        ]
    ),
)
@click.option("--court", default="", help="Which court made it.")
@click.option("--made", "made_on", help="Date it was made (YYYY-MM-DD).")
@click.option("--expires", "expires_on", help="Date it ends (YYYY-MM-DD).")
@click.option("--condition", "conditions", multiple=True, help="One condition (repeat).")
@click.option("--subject", "subject_id", type=int, help="The person it is against.")
@click.option("--reference", default="", help="The order's reference number.")
@casebook_options
@json_option
def order_add(
    order_type: str,
    court: str,
    made_on: str | None,
    expires_on: str | None,
    conditions: tuple[str, ...],
    subject_id: int | None,
    reference: str,
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    as_json: bool,
) -> None:
    """Record a court order. Incidents can then be marked as possible breaches of it."""
    from safetrail.services.errors import InvalidInput
    from safetrail.services.police import CourtOrder, add_order

    try:
        made = date.fromisoformat(made_on) if made_on else None
        expires = date.fromisoformat(expires_on) if expires_on else None
    except ValueError:
        raise InvalidInput("Dates must look like 2026-03-12.") from None
    with opened(casebook_dir, passphrase_file) as book:
        order = add_order(
            book, CourtOrder(0, order_type, court, made, expires, conditions, subject_id, reference)
        )
    if as_json:
        echo_json(order.to_json())
    else:
        click.echo(f"Saved order {order.id}. Mark an incident with: --breach {order.id}")


@order_group.command("list")
@casebook_options
@json_option
def order_list(casebook_dir: Path | None, passphrase_file: Path | None, as_json: bool) -> None:
    """List court orders and their conditions."""
    from safetrail.services.police import orders

    with opened(casebook_dir, passphrase_file) as book:
        found = orders(book)
    if as_json:
        echo_json({"orders": [o.to_json() for o in found]})
        return
    if not found:
        click.echo("No orders recorded.")
    for order in found:
        click.echo(f"{order.id:>3}  {order.type.replace('-', ' ')}  {line(order.court)}")
        for number, condition in enumerate(order.conditions, start=1):
            click.echo(f"     {number}. {line(condition)}")


@click.command("prepare-report")
@casebook_options
@json_option
def prepare_report_command(
    casebook_dir: Path | None, passphrase_file: Path | None, as_json: bool
) -> None:
    """A short sheet to read from when you call 101: who, what, when, and your references."""
    from safetrail.services.prepare import prepare_report, sheet_text

    with opened(casebook_dir, passphrase_file) as book:
        sheet = prepare_report(book)
    if as_json:
        echo_json(sheet.to_json())
    else:
        click.echo(inert(sheet_text(sheet)))
