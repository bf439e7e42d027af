"""`safetrail guide` and `safetrail help-now`: guidance pages and the get-help-now screen.

Kept light at import time: YAML, JSON and rich load only when a command runs, because
`safetrail --help` imports every command module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from safetrail.safety.guide import DEFAULT_JURISDICTION, JURISDICTIONS, TOPICS

if TYPE_CHECKING:
    from rich.console import Console

    from safetrail.safety.guide import GuidePage

FOOTER = (
    "This is general information, not legal advice. For advice about your situation, "
    "call the National Stalking Helpline or the police (run: safetrail help-now).",
    "If you are in danger now, call 999. If you cannot speak, call 999 and press 55 when asked.",
)


def _console() -> Console:
    from rich.console import Console

    # soft_wrap: never break a phone number across lines; the terminal wraps long lines itself.
    return Console(highlight=False, soft_wrap=True, emoji=False)


def _print(console: Console, text: str, style: str = "") -> None:
    """Print text as-is: rich.text.Text never reads square brackets as markup."""
    from rich.text import Text

    console.print(Text(text, style=style))


def _echo_json(value: object) -> None:
    import json

    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


@click.command("guide", short_help="Plain guidance: stalking, the law, diaries, police.")
@click.argument("topic", required=False, type=click.Choice(TOPICS))
@click.option(
    "--jurisdiction",
    "-j",
    type=click.Choice(JURISDICTIONS),
    default=DEFAULT_JURISDICTION,
    show_default=True,
    help="Which part of the UK the law and guidance should be for.",
)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON instead of text.")
def guide_command(topic: str | None, jurisdiction: str, as_json: bool) -> None:
    """Read plain guidance on stalking: what it is, the law, keeping a diary, the police.

    Run without TOPIC to list the topics.
    """
    from safetrail.safety.guide import GuideError, load_page, page_to_dict

    try:
        if topic is None:
            _list_topics(jurisdiction, as_json)
            return
        page = load_page(topic, jurisdiction)
    except GuideError as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        _echo_json(page_to_dict(page))
    else:
        _print_page(_console(), page)


def _list_topics(jurisdiction: str, as_json: bool) -> None:
    from safetrail.safety.guide import JURISDICTION_NAMES, load_page

    pages = [load_page(topic, jurisdiction) for topic in TOPICS]
    if as_json:
        _echo_json([{"topic": p.topic, "title": p.title, "summary": p.summary} for p in pages])
        return
    console = _console()
    _print(console, f"Guidance for {JURISDICTION_NAMES[jurisdiction]}", "bold")
    for page in pages:
        _print(console, "")
        _print(console, f"  {page.topic}", "bold")
        _print(console, f"    {page.title}. {page.summary}")
    _print(console, "")
    _print(console, "Read a topic with: safetrail guide TOPIC")


def _print_page(console: Console, page: GuidePage) -> None:
    from safetrail.safety.guide import JURISDICTION_NAMES

    _print(console, page.title, "bold")
    _print(console, f"{JURISDICTION_NAMES[page.jurisdiction]}. Reviewed {page.reviewed}.", "dim")
    _print(console, page.summary, "italic")
    _print(console, "")
    for line in page.body.splitlines():
        _print_body_line(console, line)
    _print(console, "")
    _print(console, "Sources", "bold")
    for number, source in enumerate(page.sources, start=1):
        _print(console, f"  {number}. {source.title}: {source.what}")
        _print(console, f"     {source.url}")
    _print(console, "")
    for line in FOOTER:
        _print(console, line)


def _print_body_line(console: Console, line: str) -> None:
    stripped = line.strip()
    if stripped.startswith("#"):
        _print(console, stripped.lstrip("#").strip(), "bold")
    elif stripped.startswith(("- ", "* ")):
        _print(console, f"  • {stripped[2:]}")
    else:
        _print(console, line)


@click.command("help-now", short_help="Who to call now: 999, 999 then 55, 101, helplines.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON, with each number's source.")
def help_now_command(as_json: bool) -> None:
    """Who to call right now: 999, 999 then 55, 101 and the main helplines."""
    from safetrail.safety.help_now import build_help_now, help_now_dict, help_now_text

    screen = build_help_now()
    if as_json:
        _echo_json(help_now_dict(screen))
        return
    console = _console()
    for line in help_now_text(screen).splitlines():
        _print(console, line, "bold" if line == screen.title else "")
