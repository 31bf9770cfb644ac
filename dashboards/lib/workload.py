"""Work-center load in the plan: hours by week, and the planned production orders behind them.

A work center's planned hours are the plan's production of each item at its plant times the item's
routing hours per unit on that work center (the same product the planner's capacity constraint uses).
"""

from __future__ import annotations

import pandas as pd

from dashboards.lib.warehouse import query
from dashboards.lib.weeks import WEEKS


def work_centers(plan_id: str) -> pd.DataFrame:
    """Every planned work center with its name and its load over the horizon (planned over regular hours)."""
    return query("""SELECT c.work_center_id, c.plant_code, w.work_center_name,
                           sum(c.used_hours) / nullif(sum(c.available_hours), 0) AS utilization
                    FROM plans.plan_capacity c LEFT JOIN marts.dim_work_center w USING (work_center_id)
                    WHERE c.plan_id = ? GROUP BY ALL ORDER BY c.work_center_id""", [plan_id])


def capacity(plan_id: str, work_center: str) -> pd.DataFrame:
    """Regular hours, planned hours (overtime included) and overtime of one work center by week."""
    return query(f"""WITH {WEEKS}
                     SELECT c.period, weeks.week_start, c.available_hours, c.used_hours, c.overtime_hours,
                            c.utilization
                     FROM plans.plan_capacity c JOIN weeks USING (period)
                     WHERE c.plan_id = ? AND c.work_center_id = ? ORDER BY c.period""",
                 [plan_id, plan_id, plan_id, work_center])


def orders(plan_id: str, work_center: str) -> pd.DataFrame:
    """The planned production orders loading a work center: one per plant, item and week, with their hours."""
    return query("""SELECT p.plant_code, p.item_id, i.item_name, p.period, p.period_start AS week_start,
                           p.qty, r.hours_per_unit, p.qty * r.hours_per_unit AS hours
                    FROM plans.plan_production p
                    JOIN marts.fct_routings r USING (plant_code, item_id)
                    LEFT JOIN marts.dim_item i USING (item_id)
                    WHERE p.plan_id = ? AND r.work_center_id = ? ORDER BY p.period, hours DESC, p.item_id""",
                 [plan_id, work_center])
