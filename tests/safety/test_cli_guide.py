from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from safetrail.cli.guide import guide_command, help_now_command
from safetrail.safety.guide import TOPICS


def test_guide_without_topic_lists_topics() -> None:
    result = CliRunner().invoke(guide_command, [])
    assert result.exit_code == 0, result.output
    for topic in TOPICS:
        assert topic in result.output
    assert "England and Wales" in result.output


def test_guide_topic_prints_page_sources_and_review_date() -> None:
    result = CliRunner().invoke(guide_command, ["contacting-police"])
    assert result.exit_code == 0, result.output
    assert "Contacting the police" in result.output
    assert "Sources" in result.output
    assert "Reviewed 2026-" in result.output
    assert "https://" in result.output
    assert "999" in result.output


def test_guide_jurisdiction_option() -> None:
    result = CliRunner().invoke(guide_command, ["the-law", "--jurisdiction", "scotland"])
    assert result.exit_code == 0, result.output
    assert "The law in Scotland" in result.output
    assert "section 39" in result.output


def test_guide_json() -> None:
    result = CliRunner().invoke(guide_command, ["forms", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["topic"] == "forms"
    assert data["jurisdiction"] == "england-wales"
    assert data["sources"] and data["reviewed"]


def test_guide_topic_list_json() -> None:
    result = CliRunner().invoke(guide_command, ["--json", "-j", "northern-ireland"])
    assert result.exit_code == 0, result.output
    assert [item["topic"] for item in json.loads(result.output)] == list(TOPICS)


def test_guide_rejects_unknown_topic() -> None:
    result = CliRunner().invoke(guide_command, ["nonsense"])
    assert result.exit_code != 0


def test_help_now_text() -> None:
    result = CliRunner().invoke(help_now_command, [])
    assert result.exit_code == 0, result.output
    for needed in ("999", "55", "101", "0808 802 0300"):
        assert needed in result.output


def test_help_now_json() -> None:
    result = CliRunner().invoke(help_now_command, ["--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["emergency"][0]["dial"] == "999"
    assert data["helplines"][0]["source"].startswith("https://")


def test_output_does_not_interpret_rich_markup(monkeypatch: pytest.MonkeyPatch) -> None:
    from safetrail.safety import guide as guide_module

    real = guide_module.load_page

    def tampered(topic: str, jurisdiction: str = "england-wales") -> guide_module.GuidePage:
        page = real(topic, jurisdiction)
        return guide_module.GuidePage(
            title="[bold red]Title[/bold red]",
            topic=page.topic,
            jurisdiction=page.jurisdiction,
            summary="[link=https://evil.example]click[/link]",
            reviewed=page.reviewed,
            sources=page.sources,
            body="[blink]body[/blink]\n- [i]item[/i]",
        )

    monkeypatch.setattr(guide_module, "load_page", tampered)
    result = CliRunner().invoke(guide_command, ["forms"])
    assert result.exit_code == 0, result.output
    assert "[bold red]Title[/bold red]" in result.output
    assert "[link=https://evil.example]click[/link]" in result.output
    assert "[blink]body[/blink]" in result.output
