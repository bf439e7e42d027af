"""Charts: valid SVG and PNG, self-contained, readable without colour, deterministic."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image

from safetrail.analysis.chart_kit import (
    FORMATS,
    HATCHES,
    LINE_STYLES,
    MARKERS,
    OKABE_ITO,
    Format,
    series_style,
)
from safetrail.analysis.charts import (
    behaviours_chart,
    escalation_chart,
    heatmap_chart,
    weekly_by_channel_chart,
    write_charts,
)
from safetrail.analysis.model import Event, Tag
from safetrail.analysis.results import Analysis, analyse
from tests.analysis.eventkit import LONDON, START, Kit

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
XML_NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def case(channels: tuple[str, ...] = ("text_message", "phone_call", "email")) -> Analysis:
    kit = Kit()
    events: list[Event] = []
    for week in range(10):
        for n in range(1 + week):
            channel = channels[n % len(channels)]
            events.append(kit.event(START + timedelta(weeks=week, hours=3 * n), channel=channel))
    events.append(kit.event(START + timedelta(weeks=7), channel="in_person", tags=(Tag.LOITERING,)))
    events.append(kit.event(START + timedelta(weeks=8), tags=(Tag.THREAT_OF_VIOLENCE,)))
    return analyse(events, LONDON, now=START + timedelta(weeks=10))


def all_charts(result: Analysis) -> dict[str, Callable[[Format], bytes]]:
    subject = result.subjects[0]
    now = result.now.date()
    return {
        "weekly": lambda fmt: weekly_by_channel_chart(subject.pattern, fmt),
        "behaviours": lambda fmt: behaviours_chart(subject.pattern, fmt),
        "heatmap": lambda fmt: heatmap_chart(subject.pattern, fmt),
        "escalation": lambda fmt: escalation_chart(subject.pattern, subject.escalation, now, fmt),
    }


@pytest.fixture(scope="module")
def result() -> Analysis:
    return case()


@pytest.fixture(scope="module")
def svgs(result: Analysis) -> dict[str, bytes]:
    return {name: make("svg") for name, make in all_charts(result).items()}


def test_svgs_parse_and_are_svg(svgs: dict[str, bytes]) -> None:
    for name, data in svgs.items():
        root = ET.fromstring(data)
        assert root.tag == "{http://www.w3.org/2000/svg}svg", name


def test_svgs_fetch_nothing_and_need_no_font(svgs: dict[str, bytes]) -> None:
    for name, data in svgs.items():
        text = data.decode("utf-8")
        urls = set(re.findall(r"https?://[^\s\"'<>)]+", text))
        assert urls <= XML_NAMESPACES, (name, urls - XML_NAMESPACES)
        for namespace in urls:
            assert f'="{namespace}"' in text  # only ever as an xmlns value
        assert "<text" not in text, name  # text is drawn as paths
        assert "font-family" not in text and "@font-face" not in text, name
        for href in re.findall(r"<image[^>]*xlink:href=\"([^\"]{0,30})", text):
            assert href.startswith("data:image/png;base64,"), name  # embedded, never linked
        assert "<!DOCTYPE" not in text, name
        assert "<dc:date>" not in text, name


def test_pngs_are_valid(result: Analysis) -> None:
    for name, make in all_charts(result).items():
        data = make("png")
        assert data.startswith(PNG_SIGNATURE), name
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "PNG"
            assert image.size[0] > 400 and image.size[1] > 200
            assert "Software" not in image.info
            assert not any("date" in str(key).lower() for key in image.info)


def test_series_differ_in_marker_hatch_and_line_style_not_only_colour() -> None:
    styles = [series_style(i) for i in range(len(OKABE_ITO))]
    for key in ("color", "marker", "hatch", "linestyle"):
        values = [repr(style[key]) for style in styles]
        assert len(set(values)) == len(values), key
    assert len(MARKERS) == len(HATCHES) == len(LINE_STYLES) == len(OKABE_ITO)


def marker_shapes(svg: bytes) -> set[str]:
    """Distinct marker shapes used: matplotlib writes each as a <path id="m..."> in <defs>."""
    return {match.decode() for match in re.findall(rb'<path id="(m[0-9a-f]+)"', svg)}


def test_each_channel_line_has_its_own_marker() -> None:
    one = weekly_by_channel_chart(case(("text_message",)).subjects[0].pattern, "svg")
    three = weekly_by_channel_chart(case().subjects[0].pattern, "svg")
    # four lines (three channels and in person) against two: two more marker shapes
    assert len(marker_shapes(three)) - len(marker_shapes(one)) == 2


def test_escalation_bars_are_hatched_two_ways(svgs: dict[str, bytes]) -> None:
    patterns = re.findall(rb"<pattern id=", svgs["escalation"])
    assert len(patterns) >= 2


def test_the_same_data_gives_the_same_svg(result: Analysis, svgs: dict[str, bytes]) -> None:
    assert all_charts(result)["heatmap"]("svg") == svgs["heatmap"]


def test_charts_draw_with_matplotlibs_bundled_font() -> None:
    import matplotlib
    from matplotlib import font_manager

    path = font_manager.findfont(font_manager.FontProperties(family=["DejaVu Sans"]))
    assert Path(path).resolve().is_relative_to(Path(matplotlib.get_data_path()).resolve())


def test_empty_analysis_still_draws() -> None:
    kit = Kit()
    quiet = analyse([kit.event(START, by_subject=False)], LONDON, now=START)
    for name, make in all_charts(quiet).items():
        for fmt in FORMATS:
            assert make(fmt), name


def test_unknown_format_is_refused(result: Analysis) -> None:
    with pytest.raises(ValueError, match="format"):
        heatmap_chart(result.subjects[0].pattern, "gif")  # type: ignore[arg-type]


def test_write_charts_writes_svg_and_png_per_subject(tmp_path: Path) -> None:
    kit = Kit()
    events = [
        kit.event(START, subject_id=1),
        kit.event(START + timedelta(days=2), subject_id=2),
    ]
    written = write_charts(analyse(events, LONDON, now=START + timedelta(days=3)), tmp_path)
    names = sorted(path.name for path in written)
    assert len(names) == 2 * 4 * 2 + 3 * 2  # two subjects, four charts, two formats; overall
    assert "subject-1-escalation.svg" in names and "all-heatmap.png" in names
    assert all(path.stat().st_size > 0 for path in written)


def test_importing_the_charts_module_does_not_import_matplotlib() -> None:
    import subprocess
    import sys

    code = (
        "import sys, safetrail.analysis.charts, safetrail.analysis.results; "
        "print('matplotlib' in sys.modules)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "False"
