"""share create | list | revoke | notice | fingerprint: sharing with a caseworker, by consent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from safetrail.cli.common import casebook_options, interactive, json_option, opened
from safetrail.cli.display import echo_json, line

if TYPE_CHECKING:
    from safetrail.services.casebook import Casebook
    from safetrail.share.model import ConsentRecord, PackageSummary, Scope

INTRO = (
    "You decide what is shared, with whom, and for how long. The package is locked so that "
    "only the recipient's key can open it."
)
WRONG_FINGERPRINT = (
    "Those digits do not match this key's fingerprint, so nothing was shared or kept. The key "
    "may have been mistyped or swapped: please check it with the recipient again."
)
OUT_OPTION = click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write, e.g. share-for-paladin.age.",
)


@click.group("share")
def share_group() -> None:
    """Share your case with a caseworker or organisation you choose, with your consent."""


def _when(book: Casebook, value: str | None) -> datetime | None:
    from safetrail.services.when import parse_when
    from safetrail.storage.repository import now_utc

    if not value:
        return None
    return parse_when(value, book.setting("timezone") or "Europe/London", now_utc()).at


def _scope(
    book: Casebook,
    everything: bool,
    incidents: tuple[int, ...],
    evidence: tuple[int, ...],
    reports: tuple[str, ...],
    start: str | None,
    end: str | None,
    flags: tuple[bool, bool, bool],
) -> Scope:
    """`flags`: (include private notes, safety plan, may pass to police)."""
    from safetrail.services.errors import InvalidInput
    from safetrail.share.model import Scope

    try:
        return Scope(
            everything=everything,
            incident_ids=frozenset(incidents),
            evidence_ids=frozenset(evidence),
            reports=frozenset(reports),
            start=_when(book, start),
            end=_when(book, end),
            include_private_notes=flags[0],
            safety_plan=flags[1],
            pass_to_police=flags[2],
        )
    except ValueError as exc:
        raise InvalidInput(f"{exc}.") from exc


def _show_consent(consent: ConsentRecord) -> None:
    from safetrail.services.sharing import describe_scope

    until = f"{consent.valid_until:%d %B %Y}" if consent.valid_until else "until you revoke it"
    click.echo(f"Consent {consent.consent_id}: to {line(consent.recipient_name)}")
    click.echo(f"  Purpose: {line(consent.purpose)}")
    if consent.case_label:
        click.echo(f"  Case label: {line(consent.case_label)}")
    click.echo(f"  From {consent.valid_from:%d %B %Y}, {until}")
    click.echo("  What is shared:")
    for sentence in describe_scope(consent.scope):
        click.echo(f"    {sentence}")


def _show_key(key: str, show_qr: bool) -> None:
    from safetrail.services.sharing import key_check

    check = key_check(key)
    click.echo(f"Recipient key: {check.key}")
    click.echo(f"Fingerprint:   {check.fingerprint}")
    if show_qr:
        click.echo(check.qr_text)


def _ask_fingerprint(typed: str | None) -> str:
    if typed is not None:
        return typed
    if not interactive():
        raise click.ClickException(
            "Please check the recipient's key first: give --fingerprint with the digits "
            "the recipient reads to you."
        )
    click.echo(
        "Before anything is sent, ask the recipient to read their key's fingerprint to you "
        "(by phone or in person), and type the digits they read."
    )
    return str(click.prompt("Fingerprint the recipient read"))


@dataclass(frozen=True)
class NewConsent:
    recipient: str
    key: str
    purpose: str
    scope: Scope
    until: str | None
    label: str | None


def _start_consent(
    book: Casebook, request: NewConsent, typed: str | None, yes: bool, as_json: bool
) -> ConsentRecord | None:
    """A new consent, stored only once the key is checked and the person agrees."""
    from safetrail.services import sharing

    key = sharing.key_check(request.key).key
    if not as_json:
        click.echo(INTRO)
        click.echo(f"To {line(request.recipient)}, for: {line(request.purpose)}")
        for sentence in sharing.describe_scope(request.scope):
            click.echo(f"  {sentence}")
        _show_key(key, show_qr=True)
    typed = _ask_fingerprint(typed)
    if not sharing.fingerprint_matches(typed, key):
        raise click.ClickException(WRONG_FINGERPRINT)
    if not _agreed(yes):
        return None
    consent = sharing.new_consent(
        book,
        recipient_name=request.recipient,
        recipient_key=key,
        purpose=request.purpose,
        scope=request.scope,
        valid_until=_when(book, request.until),
        case_label=request.label,
    )
    return sharing.confirm_key(book, consent.consent_id, typed)


def _agreed(yes: bool) -> bool:
    from safetrail.services.sharing import NOT_UNSENT

    if yes or not interactive():
        return True
    click.echo(NOT_UNSENT)
    return click.confirm("Share this now?", default=False)


def _report_package(summary: PackageSummary, as_json: bool) -> None:
    from safetrail.services.sharing import NOT_UNSENT

    if as_json:
        echo_json(summary.to_json())
        return
    kind = "update" if summary.is_update else "first package"
    click.echo(f"Wrote {line(str(summary.path))} ({kind}, number {summary.sequence})")
    click.echo(
        f"  {summary.incidents} incidents, {summary.evidence} evidence items, "
        f"{summary.records} records"
        + (f", reports: {', '.join(summary.reports)}" if summary.reports else "")
    )
    withdrawn = len(summary.withdrawn_incidents) + len(summary.withdrawn_evidence)
    if withdrawn:
        click.echo(f"  {withdrawn} item(s) sent before are no longer shared; the package says so.")
    click.echo(f"  Only {line(summary.recipient_name)}'s key can open it.")
    click.echo(f"  SHA-256: {summary.marker.sha256}")
    click.echo(NOT_UNSENT)


@share_group.command("create")
@click.option("--consent", "consent_id", type=int, help="Send an update under this consent.")
@click.option("--recipient", help="Who receives it: a named caseworker or organisation.")
@click.option("--key", "recipient_key", help="The recipient's public key (starts with age1).")
@click.option("--purpose", help="Why you are sharing, e.g. 'support from my caseworker'.")
@click.option("--all", "everything", is_flag=True, help="Share everything in the casebook.")
@click.option("--incident", "incidents", type=int, multiple=True, help="Share this incident.")
@click.option("--evidence", "evidence", type=int, multiple=True, help="Share this item.")
@click.option(
    "--report",
    "reports",
    type=click.Choice(["chronology", "timeline"]),
    multiple=True,
    help="Include a report (only with --all).",
)
@click.option("--from", "start", help="Only what happened from this date.")
@click.option("--to", "end", help="Only what happened before this date.")
@click.option(
    "--include-private-notes", is_flag=True, help="Also share your private notes (not usual)."
)
@click.option(
    "--safety-plan",
    is_flag=True,
    help="Also share your safety plan, risk answers, court orders and police contacts.",
)
@click.option("--police", is_flag=True, help="They may pass what is shared on to the police.")
@click.option("--label", help="A short name for them to file your case under (optional).")
@click.option("--until", help="The consent ends on this date (you can revoke it sooner).")
@click.option("--fingerprint", "typed", help="The key's fingerprint, as the recipient read it.")
@click.option("--yes", is_flag=True, help="Do not ask before writing the package.")
@OUT_OPTION
@casebook_options
@json_option
def create_command(
    consent_id: int | None,
    recipient: str | None,
    recipient_key: str | None,
    purpose: str | None,
    everything: bool,
    incidents: tuple[int, ...],
    evidence: tuple[int, ...],
    reports: tuple[str, ...],
    start: str | None,
    end: str | None,
    include_private_notes: bool,
    safety_plan: bool,
    police: bool,
    label: str | None,
    until: str | None,
    typed: str | None,
    yes: bool,
    out: Path,
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    as_json: bool,
) -> None:
    """Make a share package: a new consent and its first package, or an update (--consent).

    An update holds only what is new or changed since the last package for that consent.
    """
    from safetrail.services import sharing

    if out.exists():
        raise click.ClickException(f"{out} already exists. Choose another name.")
    with opened(casebook_dir, passphrase_file) as book:
        if consent_id is None:
            if not (recipient and recipient_key and purpose):
                raise click.ClickException(
                    "To share with someone new, give --recipient, --key and --purpose "
                    "(or --consent N to send an update)."
                )
            chosen = _scope(
                book,
                everything,
                incidents,
                evidence,
                reports,
                start,
                end,
                (include_private_notes, safety_plan, police),
            )
            request = NewConsent(recipient, recipient_key, purpose, chosen, until, label)
            started = _start_consent(book, request, typed, yes, as_json)
            if started is None:
                click.echo("Nothing was shared and nothing was kept.")
                return
            consent = started
        else:
            consent = sharing.get_consent(book, consent_id)
            if not as_json:
                click.echo(INTRO)
                _show_consent(consent)
            if consent.fingerprint_confirmed_at is None:
                _show_key(consent.recipient_key, show_qr=True)
                consent = sharing.confirm_key(book, consent.consent_id, _ask_fingerprint(typed))
            if not _agreed(yes):
                click.echo("Nothing was sent.")
                return
        summary = sharing.make_package(book, consent.consent_id, out)
    _report_package(summary, as_json)


@share_group.command("list")
@casebook_options
@json_option
def list_command(casebook_dir: Path | None, passphrase_file: Path | None, as_json: bool) -> None:
    """Everyone you have consented to share with, and what was sent."""
    from safetrail.services.sharing import overview

    with opened(casebook_dir, passphrase_file) as book:
        consents = overview(book)
    if as_json:
        echo_json([item.to_json() for item in consents])
        return
    if not consents:
        click.echo("You have not shared anything. Nothing leaves your computer unless you do.")
        return
    for item in consents:
        _show_consent(item.consent)
        click.echo(f"  Status: {item.status}")
        click.echo(f"  Fingerprint: {item.consent.recipient_fingerprint}")
        for package in item.packages:
            click.echo(f"  Package {package.marker.sequence}: {package.created_at[:16]} UTC")
        click.echo("")


@share_group.command("revoke")
@click.argument("consent_id", type=int)
@click.option("--reason", default="", help="Why, if you want to say (the recipient sees it).")
@click.option("--yes", is_flag=True, help="Do not ask first.")
@casebook_options
@json_option
def revoke_command(
    consent_id: int,
    reason: str,
    yes: bool,
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    as_json: bool,
) -> None:
    """Withdraw a consent: nothing more will be shared under it."""
    from safetrail.services.sharing import consent_json, get_consent, revoke

    with opened(casebook_dir, passphrase_file) as book:
        consent = get_consent(book, consent_id)
        if not yes and interactive():
            _show_consent(consent)
            if not click.confirm("Revoke this consent?", default=False):
                click.echo("Nothing was changed.")
                return
        consent = revoke(book, consent_id, reason)
    if as_json:
        echo_json(consent_json(consent))
        return
    click.echo(f"Consent {consent_id} is revoked. Nothing more will be shared under it.")
    click.echo("What was already sent cannot be taken back. To tell the recipient, run:")
    click.echo(f"  safetrail share notice {consent_id} --out revocation-notice.age")


@share_group.command("notice")
@click.argument("consent_id", type=int)
@OUT_OPTION
@casebook_options
@json_option
def notice_command(
    consent_id: int,
    out: Path,
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    as_json: bool,
) -> None:
    """Write a revocation notice for a revoked consent, to send to its recipient."""
    from safetrail.services.sharing import make_notice

    with opened(casebook_dir, passphrase_file) as book:
        notice = make_notice(book, consent_id, out)
    if as_json:
        echo_json({"path": str(out), **notice.to_json()})
        return
    click.echo(f"Wrote {line(str(out))}")
    click.echo("Send it to the recipient. Their system can check that it came from you.")


@share_group.command("fingerprint")
@click.argument("key", required=False)
@click.option("--consent", "consent_id", type=int, help="The key of this consent.")
@click.option("--confirm", "typed", help="Confirm the consent's key with these digits.")
@click.option(
    "--qr",
    "qr_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the key as a QR code (.svg or .png).",
)
@casebook_options
@json_option
def fingerprint_command(
    key: str | None,
    consent_id: int | None,
    typed: str | None,
    qr_out: Path | None,
    casebook_dir: Path | None,
    passphrase_file: Path | None,
    as_json: bool,
) -> None:
    """Show a recipient key's fingerprint (to read aloud) and QR code, or confirm it."""
    from safetrail.services import sharing

    if (key is None) == (consent_id is None):
        raise click.ClickException("Give either a key (age1...) or --consent N.")
    confirmed = False
    if consent_id is not None:
        with opened(casebook_dir, passphrase_file) as book:
            consent = sharing.get_consent(book, consent_id)
            if typed is not None:
                consent = sharing.confirm_key(book, consent_id, typed)
                confirmed = True
        key = consent.recipient_key
    elif typed is not None:
        raise click.ClickException("--confirm needs --consent N.")
    assert key is not None
    check = sharing.key_check(key)
    if qr_out is not None:
        sharing.write_key_qr(check.key, qr_out)
    if as_json:
        echo_json({**check.to_json(), "confirmed": confirmed})
        return
    _show_key(check.key, show_qr=True)
    click.echo("Read the fingerprint aloud with the recipient; every digit must match.")
    if confirmed:
        click.echo("Confirmed: packages for this consent can now be made.")
