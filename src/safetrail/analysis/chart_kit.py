"""The shared look of Safetrail's charts: palette, markers, hatches, fonts, and rendering.

Series differ by hatch, marker and line style as well as by colour, so nothing depends on seeing
colour. Text is drawn as paths in matplotlib's bundled DejaVu Sans, and the files carry no date,
no creator and no DOCTYPE URL, so the same data always gives the same bytes. matplotlib is only
imported inside the functions that draw.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from safetrail.analysis.words import MONTHS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

Format = Literal["svg", "png"]
FORMATS: tuple[Format, ...] = ("svg", "png")

# Okabe & Ito (2008), "Color Universal Design": distinguishable with the common colour-blindness.
OKABE_ITO = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINE_STYLES: tuple[str | tuple[int, tuple[int, ...]], ...] = (
    "-",
    "--",
    ":",
    "-.",
    (0, (5, 1)),
    (0, (3, 1, 1, 1, 1, 1)),
    (0, (1, 3)),
    (0, (8, 3, 2, 3)),
)
HATCHES = ("//", "..", "xx", "\\\\", "oo", "--", "++", "**")
MAX_SERIES = len(OKABE_ITO)
Painter: TypeAlias = "Callable[[Axes], None]"
ChartMaker: TypeAlias = "Callable[[Format], bytes]"
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>]*>\s*")


def series_style(index: int) -> dict[str, object]:
    """Colour, marker, line style and hatch for the nth series: each differs on its own."""
    slot = index % MAX_SERIES
    return {
        "color": OKABE_ITO[slot],
        "marker": MARKERS[slot],
        "linestyle": LINE_STYLES[slot],
        "hatch": HATCHES[slot],
    }


def settings() -> dict[RcKeyType, Any]:
    return {
        "svg.fonttype": "path",  # glyphs as outlines: the SVG names no font
        "svg.hashsalt": "safetrail",  # stable ids, so the same data gives the same file
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans"],  # bundled with matplotlib
        "hatch.linewidth": 0.8,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


def new_figure(width: float = 9.0, height: float = 4.8) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def render(figure: Figure, fmt: Format) -> bytes:
    """SVG without a date, creator or DOCTYPE URL; PNG without the Software text chunk."""
    buffer = io.BytesIO()
    if fmt == "svg":
        figure.savefig(
            buffer,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
        return _DOCTYPE.sub(b"", buffer.getvalue(), count=1)
    if fmt == "png":
        figure.savefig(buffer, format="png", dpi=120, metadata={"Software": None})
        return buffer.getvalue()
    raise ValueError(f"unknown chart format {fmt!r}; choose svg or png")


def draw(fmt: Format, paint: Painter, width: float = 9.0, height: float = 4.8) -> bytes:
    import matplotlib

    with matplotlib.rc_context(settings()):
        figure = new_figure(width, height)
        paint(figure.add_subplot())
        return render(figure, fmt)


def day_numbers(days: Sequence[date]) -> list[float]:
    """Dates as day numbers on the x axis; `_date_axis` writes them back as dates."""
    return [float(day.toordinal()) for day in days]


def short_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def date_axis(axes: Axes, days: Sequence[date], most: int = 8) -> None:
    """At most `most` date labels, evenly spread, written '3 Jan 2026'."""
    if not days:
        return
    step = max(1, -(-len(days) // most))
    shown = list(days[::step])
    axes.set_xticks(
        day_numbers(shown), [f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}" for day in shown]
    )
    axes.tick_params(axis="x", labelrotation=30, labelsize=8)


def empty(axes: Axes, message: str) -> None:
    axes.set_axis_off()
    axes.text(0.5, 0.5, message, ha="center", va="center", fontsize=12)


def spread(values: Sequence[float], gap: float) -> list[float]:
    """Label heights near `values`, pushed apart so no two are closer than `gap`."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    placed = list(values)
    floor = float("-inf")
    for i in order:
        placed[i] = max(values[i], floor + gap)
        floor = placed[i]
    return placed


def readable(name: str) -> str:
    return name.replace("_", " ")
