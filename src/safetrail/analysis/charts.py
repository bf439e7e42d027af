"""Charts of the pattern, as SVG or PNG bytes: weekly contacts, behaviours, time of day, escalation.

Built with matplotlib's object API (no pyplot, no global figure state), imported only when a
chart is drawn so the command line starts quickly. Every chart reads in grey-scale and with
colour-blindness: series differ by hatch, marker and line style as well as by colour (the
Okabe–Ito palette), and are labelled directly. Text is drawn as paths with matplotlib's bundled
DejaVu Sans, so an SVG needs no font and names no font, and nothing is fetched from anywhere.
Charts hold counts, dates, channel and behaviour names: never the words of any entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from safetrail.analysis.chart_kit import (
    FORMATS,
    MAX_SERIES,
    ChartMaker,
    Format,
    date_axis,
    day_numbers,
    draw,
    empty,
    readable,
    series_style,
    short_date,
    spread,
)
from safetrail.analysis.pattern import WEEKDAYS, Pattern

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from safetrail.analysis.escalation import Escalation
    from safetrail.analysis.results import Analysis


def _top_series(series: dict[str, tuple[int, ...]]) -> list[tuple[str, tuple[int, ...]]]:
    """At most MAX_SERIES series, busiest first; the rest are added together as 'others'."""
    ranked = sorted(series.items(), key=lambda item: (-sum(item[1]), item[0]))
    if len(ranked) <= MAX_SERIES:
        return ranked
    kept, rest = ranked[: MAX_SERIES - 1], ranked[MAX_SERIES - 1 :]
    others = tuple(sum(values) for values in zip(*(counts for _, counts in rest), strict=True))
    return [*kept, ("others", others)]


class _WeeklyByChannel:
    def __init__(self, pattern: Pattern) -> None:
        self.pattern = pattern

    def __call__(self, axes: Axes) -> None:
        frequency = self.pattern.frequency
        if not frequency.weeks:
            empty(axes, "Nothing logged yet")
            return
        weeks = day_numbers(frequency.weeks)
        ranked = _top_series(dict(frequency.weekly_by_channel))
        label_at = spread([counts[-1] for _, counts in ranked], max(frequency.weekly) * 0.06)
        for index, (channel, counts) in enumerate(ranked):
            style = series_style(index)
            axes.plot(
                weeks,
                counts,
                color=style["color"],
                marker=style["marker"],
                linestyle=style["linestyle"],
                markersize=5,
                linewidth=1.6,
                label=readable(channel),
            )
            axes.annotate(
                readable(channel),
                (weeks[-1], counts[-1]),
                xytext=(weeks[-1] + 2, label_at[index]),
                textcoords="data",
                va="center",
                fontsize=8,
                color="#000000",
                arrowprops={"arrowstyle": "-", "color": "#777777", "linewidth": 0.6},
                annotation_clip=False,
            )
        axes.set_title("Contacts each week, by how they came")
        axes.set_xlabel("Week starting (the last week may not be over yet)")
        axes.set_ylabel("Entries logged")
        axes.set_ylim(bottom=0)
        axes.legend(loc="upper left", fontsize=8, frameon=False)
        date_axis(axes, frequency.weeks)


class _Behaviours:
    def __init__(self, pattern: Pattern) -> None:
        self.pattern = pattern

    def __call__(self, axes: Axes) -> None:
        frequency = self.pattern.frequency
        series = {tag.value: counts for tag, counts in frequency.weekly_by_tag.items()}
        if not series:
            empty(axes, "No behaviours tagged yet")
            return
        ranked = _top_series(series)
        biggest = max(max(counts) for _, counts in ranked) or 1
        for row, (name, counts) in enumerate(ranked):
            style = series_style(row)
            points = list(zip(day_numbers(frequency.weeks), counts, strict=True))
            shown = [(week, count) for week, count in points if count]
            axes.scatter(
                [week for week, _ in shown],
                [row] * len(shown),
                s=[20 + 180 * count / biggest for _, count in shown],
                marker=str(style["marker"]),
                color=str(style["color"]),
                edgecolors="#000000",
                linewidths=0.6,
                label=readable(name),
            )
        axes.set_yticks(range(len(ranked)), [readable(name) for name, _ in ranked])
        axes.set_ylim(-0.7, len(ranked) - 0.3)
        axes.invert_yaxis()
        axes.set_title("Behaviours over time (bigger mark: more entries that week)")
        axes.set_xlabel("Week starting")
        date_axis(axes, frequency.weeks)


class _Heatmap:
    def __init__(self, pattern: Pattern) -> None:
        self.pattern = pattern

    def __call__(self, axes: Axes) -> None:
        counts = self.pattern.heatmap.counts
        peak = max(max(row) for row in counts)
        if peak == 0:
            empty(axes, "Nothing logged yet")
            return
        grid = axes.pcolormesh(
            counts, cmap="cividis", vmin=0, vmax=peak, edgecolors="#FFFFFF", linewidth=0.5
        )
        for day, row in enumerate(counts):
            for hour, count in enumerate(row):
                if count:
                    dark = count / peak < 0.55  # cividis is dark at the low end
                    axes.text(
                        hour + 0.5,
                        day + 0.5,
                        str(count),
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="#FFFFFF" if dark else "#000000",
                    )
        axes.invert_yaxis()
        axes.set_yticks([day + 0.5 for day in range(7)], list(WEEKDAYS))
        axes.set_xticks([hour + 0.5 for hour in range(24)], [f"{hour:02d}" for hour in range(24)])
        axes.set_xlabel("Hour of the day (local time)")
        axes.set_title("When things happened: day of the week and hour (numbers are entries)")
        colourbar = axes.figure.colorbar(grid, ax=axes, shrink=0.8)
        colourbar.set_label("Entries")


class _EscalationView:
    def __init__(
        self, pattern: Pattern, escalation: Escalation, now: date, plain: bool = False
    ) -> None:
        self.pattern = pattern
        self.escalation = escalation
        self.now = now
        self.plain = plain

    def __call__(self, axes: Axes) -> None:
        trend = self.escalation.trend
        weekly = trend.weekly
        if not weekly:
            empty(axes, "Nothing logged yet")
            return
        starts = [self.now - timedelta(weeks=len(weekly) - i) for i in range(len(weekly))]
        recent = 4 if trend.rates is None else trend.rates.recent_weeks
        split = max(0, len(weekly) - recent)
        self._bars(axes, starts[:split], weekly[:split], 0, "Earlier weeks")
        self._bars(axes, starts[split:], weekly[split:], 1, f"Last {recent} weeks")
        self._trend_line(axes, starts)
        self._signals(axes)
        axes.set_title(self._title(), pad=16)
        axes.set_xlabel("Seven days starting")
        axes.set_ylabel("Entries logged")
        axes.set_ylim(bottom=0)
        axes.legend(loc="upper left", fontsize=8, frameon=False)
        date_axis(axes, starts)

    @staticmethod
    def _bars(
        axes: Axes, starts: Sequence[date], counts: Sequence[int], slot: int, label: str
    ) -> None:
        if not starts:
            return
        style = series_style(slot)
        axes.bar(
            day_numbers(starts),
            list(counts),
            width=6,
            align="edge",
            color=str(style["color"]),
            hatch=str(style["hatch"]),
            edgecolor="#000000",
            linewidth=0.6,
            label=label,
        )

    def _trend_line(self, axes: Axes, starts: Sequence[date]) -> None:
        test = self.escalation.trend.mann_kendall
        if test is None:
            return
        weekly = self.escalation.trend.weekly
        middle_x = (len(weekly) - 1) / 2
        middle_y = sorted(weekly)[len(weekly) // 2]
        line = [middle_y + test.sen_slope * (i - middle_x) for i in range(len(weekly))]
        centres = [start + timedelta(days=3) for start in starts]
        axes.plot(
            day_numbers(centres),
            line,
            linestyle="--",
            color="#000000",
            linewidth=1.2,
            label="Trend",
        )

    def _signals(self, axes: Axes) -> None:
        """A numbered dotted line where each signal began; the legend says what each number is."""
        by_day: dict[date, list[str]] = {}
        for signal in self.escalation.signals:
            by_day.setdefault(signal.since.date(), []).append(readable(signal.signal))
        for number, (day, names) in enumerate(sorted(by_day.items()), start=1):
            where = day_numbers([day])[0]
            axes.axvline(
                where,
                color="#333333",
                linestyle=":",
                linewidth=1.2,
                label=f"{number}: {'; '.join(names)} ({short_date(day)})",
            )
            axes.text(
                where,
                1.0,
                str(number),
                transform=axes.get_xaxis_transform(),
                ha="center",
                va="bottom",
                fontsize=8,
                fontweight="bold",
            )

    def _title(self) -> str:
        if self.plain:
            return plain_trend_title(self.escalation)
        test = self.escalation.trend.mann_kendall
        if test is None:
            return "Contacts in each 7 days (too few weeks to test for a trend)"
        rising = "rising" if self.escalation.trend.rising else "no clear rise"
        return (
            f"Contacts in each 7 days: {rising} "
            f"(Mann-Kendall S = {test.s}, p = {test.p_increasing:.3g})"
        )


def plain_trend_title(escalation: Escalation) -> str:
    """The escalation chart's title in everyday words, for the person's own pages."""
    trend = escalation.trend
    if trend.mann_kendall is None:
        return "Contacts in each 7 days (not enough weeks yet to see a trend)"
    if trend.rising:
        return "Contacts in each 7 days: rising"
    return "Contacts in each 7 days: no clear rise or fall yet"


def weekly_by_channel_chart(pattern: Pattern, fmt: Format = "svg") -> bytes:
    """Contacts each week, one line per channel."""
    return draw(fmt, _WeeklyByChannel(pattern))


def behaviours_chart(pattern: Pattern, fmt: Format = "svg") -> bytes:
    """One row per behaviour, a mark in each week it was logged (size shows how often)."""
    rows = max(1, len(pattern.frequency.weekly_by_tag))
    return draw(fmt, _Behaviours(pattern), height=max(3.0, 1.2 + 0.45 * min(rows, MAX_SERIES)))


def heatmap_chart(pattern: Pattern, fmt: Format = "svg") -> bytes:
    """Day of week by hour of day, with the count written in each cell."""
    return draw(fmt, _Heatmap(pattern), width=11.0, height=4.2)


def escalation_chart(
    pattern: Pattern,
    escalation: Escalation,
    now: date,
    fmt: Format = "svg",
    plain: bool = False,
) -> bytes:
    """Weekly totals back from `now`, the trend, and where each escalation signal began.

    The title names the statistical test for the police report; `plain` gives everyday words.
    """
    return draw(fmt, _EscalationView(pattern, escalation, now, plain))


def write_charts(results: Analysis, folder: Path) -> list[Path]:
    """Write every chart as SVG and PNG into `folder`, per subject (and overall if several)."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    now = results.now.date()
    for subject in results.subjects:
        prefix = "unlinked" if subject.subject_id is None else f"subject-{subject.subject_id}"
        makers: dict[str, ChartMaker] = {
            **_pattern_makers(subject.pattern),
            "escalation": partial(escalation_chart, subject.pattern, subject.escalation, now),
        }
        written.extend(_write(folder, prefix, makers))
    if len(results.subjects) > 1:
        written.extend(_write(folder, "all", _pattern_makers(results.overall)))
    return written


def _pattern_makers(pattern: Pattern) -> dict[str, ChartMaker]:
    return {
        "weekly-by-channel": partial(weekly_by_channel_chart, pattern),
        "behaviours": partial(behaviours_chart, pattern),
        "heatmap": partial(heatmap_chart, pattern),
    }


def _write(folder: Path, prefix: str, makers: dict[str, ChartMaker]) -> list[Path]:
    written: list[Path] = []
    for name, make in makers.items():
        for fmt in FORMATS:
            path = folder / f"{prefix}-{name}.{fmt}"
            path.write_bytes(make(fmt))
            written.append(path)
    return written
