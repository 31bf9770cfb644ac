"""The plan's periods as the weeks planners talk about: period n starts on a Monday, n - 1 weeks after the
first.

Only plan_production carries period_start; every other plan table joins `WEEKS` (two plan_id parameters).
"""

from __future__ import annotations

import pandas as pd

from dashboards.lib.warehouse import query

WEEKS = """weeks AS (
    SELECT s.period, CAST(w.first_day + to_weeks(CAST(s.period - 1 AS INTEGER)) AS DATE) AS week_start
    FROM (SELECT min(period_start - to_weeks(CAST(period - 1 AS INTEGER))) AS first_day
          FROM plans.plan_production WHERE plan_id = ?) w,
         generate_series(1, (SELECT max(period) FROM plans.plan_inventory WHERE plan_id = ?)) AS s(period))"""


def weeks(plan_id: str) -> pd.DataFrame:
    """period -> week_start for every period of the plan."""
    return query(f"WITH {WEEKS} SELECT * FROM weeks ORDER BY period", [plan_id, plan_id])


def label(week_start) -> str:
    """A week as a short heading: `7 Dec 2026`."""
    day = pd.Timestamp(week_start)
    return f"{day.day} {day:%b %Y}"


def span(first, last) -> str:
    """Weeks from first to last as text, e.g. `7 Dec 2026 – 4 Jan 2027` or one week alone."""
    return label(first) if first == last else f"{label(first)} – {label(last)}"
