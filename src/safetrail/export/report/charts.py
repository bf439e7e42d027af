"""The charts of the report, as SVG text: drawn from the analysis, never from anyone's words."""

from __future__ import annotations

from safetrail.analysis.charts import (
    behaviours_chart,
    escalation_chart,
    heatmap_chart,
    weekly_by_channel_chart,
)
from safetrail.analysis.results import Analysis
from safetrail.export.report.model import Chart

MOST_ESCALATION_CHARTS = 3


def charts(analysis: Analysis) -> tuple[Chart, ...]:
    """Weekly contacts, behaviours by week, time of day, and each subject's escalation view."""
    overall = analysis.overall
    if not overall.frequency.weeks:
        return ()
    made = [
        Chart(
            "Contacts each week, by channel",
            "How many contacts or acts were logged in each week, one line per channel.",
            weekly_by_channel_chart(overall).decode("utf-8"),
        ),
        Chart(
            "Behaviours by week",
            "A mark in each week a behaviour was logged; a larger mark means more often.",
            behaviours_chart(overall).decode("utf-8"),
        ),
        Chart(
            "Day of the week and hour of the day",
            "When contact happened: the number in each cell counts contacts at that hour.",
            heatmap_chart(overall).decode("utf-8"),
        ),
    ]
    for subject in analysis.subjects[:MOST_ESCALATION_CHARTS]:
        if subject.subject_id is None:
            continue
        made.append(
            Chart(
                f"Escalation: {subject.name}",
                "Weekly totals, the trend, and where each sign of escalation began.",
                escalation_chart(subject.pattern, subject.escalation, analysis.now.date()).decode(
                    "utf-8"
                ),
            )
        )
    return tuple(made)
