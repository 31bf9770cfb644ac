"""Chart settings the plan's pages share: week axes planners can read, legends that never cover an axis."""

from __future__ import annotations

import math

import pandas as pd

WEEK_MS = 7 * 24 * 3600 * 1000
MOST_TICKS = 12
LEGEND = {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"}  # above the plot, clear of the axis


def week_axis(week_starts: pd.Series, most_ticks: int = MOST_TICKS) -> dict:
    """A date axis ticked on the plan's Mondays, every week or every few weeks: at most `most_ticks` short
    labels (day and month; hovering shows the year), never tilted."""
    weeks = pd.Series(week_starts).dropna()
    step = max(1, math.ceil(weeks.nunique() / most_ticks))
    return {"title": "Week starting", "tickformat": "%d %b", "hoverformat": "%d %b %Y",
            "tick0": weeks.min() if len(weeks) else None, "dtick": step * WEEK_MS, "tickangle": 0}
