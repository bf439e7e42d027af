from __future__ import annotations

from safetrail.safety.directory import load_directory
from safetrail.safety.help_now import build_help_now, help_now_dict, help_now_text
from tests.safety.readability import MIN_READING_EASE, reading_ease


def test_help_now_text_has_999_55_and_101() -> None:
    text = help_now_text(build_help_now())
    assert "999" in text
    assert "55" in text
    assert "101" in text


def test_help_now_order_puts_999_first() -> None:
    screen = build_help_now()
    assert [line.dial for line in screen.emergency][:3] == ["999", "999, then 55", "101"]


def test_help_now_lists_the_stalking_helpline_with_hours() -> None:
    screen = build_help_now()
    helpline = next(h for h in screen.helplines if h.name == "National Stalking Helpline")
    assert helpline.dial == "0808 802 0300"
    assert "Weekdays" in helpline.detail
    assert "0808 802 0300" in help_now_text(screen)


def test_help_now_never_shows_held_back_numbers() -> None:
    text = help_now_text(build_help_now())
    for service in load_directory().services:
        for contact in service.held_back:
            assert contact.value not in text


def test_help_now_is_easy_to_read() -> None:
    assert reading_ease(help_now_text(build_help_now())) >= MIN_READING_EASE


def test_help_now_structure_carries_sources() -> None:
    data = help_now_dict(build_help_now())
    for key in ("emergency", "helplines"):
        lines = data[key]
        assert isinstance(lines, list) and lines
        for line in lines:
            assert line["source"].startswith(("https://", "http://"))
            assert line["checked"]
