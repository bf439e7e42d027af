"""The `safetrail` command. Subcommands are imported only when used, so start-up stays fast."""

from __future__ import annotations

import importlib

import click

# name -> "module:attribute" of a click command. Kept sorted by name.
COMMANDS: dict[str, str] = {
    "analyse": "safetrail.cli.analysis:analyse_command",
    "backup": "safetrail.cli.casebook:backup_command",
    "bundle": "safetrail.cli.bundle:bundle_command",
    "evidence": "safetrail.cli.evidence:evidence_group",
    "guide": "safetrail.cli.guide:guide_command",
    "help-now": "safetrail.cli.guide:help_now_command",
    "import": "safetrail.cli.importing:import_command",
    "incident": "safetrail.cli.incident:incident_group",
    "init": "safetrail.cli.casebook:init_command",
    "order": "safetrail.cli.safety:order_group",
    "passphrase": "safetrail.cli.casebook:passphrase_group",
    "plan": "safetrail.cli.safety:plan_group",
    "police": "safetrail.cli.safety:police_group",
    "prepare-report": "safetrail.cli.safety:prepare_report_command",
    "records": "safetrail.cli.records:records_group",
    "report": "safetrail.cli.report:report_command",
    "restore": "safetrail.cli.casebook:restore_command",
    "risk": "safetrail.cli.safety:risk_group",
    "serve": "safetrail.cli.serve:serve_command",
    "server": "safetrail.cli.server:server_group",
    "share": "safetrail.cli.share:share_group",
    "start": "safetrail.cli.start:start_command",
    "subject": "safetrail.cli.subject:subject_group",
    "tag": "safetrail.cli.analysis:tag_group",
    "timeline": "safetrail.cli.analysis:timeline_command",
    "verify": "safetrail.cli.casebook:verify_command",
    "verify-bundle": "safetrail.cli.bundle:verify_bundle_command",
}

HELP = """Safetrail keeps an encrypted diary and evidence vault for people who are being
stalked or harassed, and turns it into a clear, verifiable case.

If you are in immediate danger, call 999. If you cannot speak, call 999 and press 55.

New here? Run one of these:

\b
  safetrail serve    opens Safetrail in your web browser
  safetrail start    the guided start, here in the terminal
"""


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = COMMANDS.get(cmd_name)
        if spec is None:
            return None
        module_name, _, attribute = spec.partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{spec} is not a click command")
        return command


@click.group(cls=LazyGroup, help=HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="safetrail")
def cli() -> None:
    pass


def main() -> None:
    import os

    from safetrail.cli.errors import run_safely

    os.umask(0o077)  # everything Safetrail writes is for this user alone

    run_safely(cli)
