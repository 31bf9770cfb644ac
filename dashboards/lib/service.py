"""Service per customer: what the order history delivered, and what the current plan will deliver.

History follows the KPI marts: OTIF is closed lines shipped on time and in full over closed lines, fill
is units filled over units ordered on closed lines, lead time is order to shipment in days. In the plan,
demand is fct_demand in the plan's weeks; a unit is late when its week ends with it in backlog. Shipments
serve the oldest backlog first, so of a week's demand min(demand, backlog at week end) units are late.
"""

from __future__ import annotations

import pandas as pd

from dashboards.lib.warehouse import query
from dashboards.lib.weeks import WEEKS

HISTORY = """count(*) FILTER (WHERE NOT is_open) AS lines_due,
             count(*) FILTER (WHERE is_on_time AND is_in_full)
                 / nullif(count(*) FILTER (WHERE NOT is_open), 0) AS otif_rate,
             sum(least(shipped_qty, ordered_qty)) FILTER (WHERE NOT is_open)
                 / nullif(sum(ordered_qty) FILTER (WHERE NOT is_open), 0) AS fill_rate,
             avg(date_diff('day', order_date, shipped_date)) FILTER (WHERE shipped_date IS NOT NULL)
                 AS avg_lead_time_days,
             count(*) FILTER (WHERE is_open) AS open_lines"""


def history() -> pd.DataFrame:
    """Every customer with its order history's service (nulls where it has no orders)."""
    return query(f"""SELECT c.customer_id, c.customer_name, c.customer_kind, c.country, {HISTORY}
                     FROM marts.dim_customer c LEFT JOIN marts.fct_order_lines o USING (customer_id)
                     GROUP BY ALL ORDER BY c.customer_id""")


def item_history(customer: str) -> pd.DataFrame:
    return query(f"""SELECT item_id, {HISTORY} FROM marts.fct_order_lines WHERE customer_id = ?
                     GROUP BY ALL ORDER BY item_id""", [customer])


def weekly(plan_id: str) -> pd.DataFrame:
    """Per customer, item and week: demand, planned shipments, backlog at week end and units late."""
    return query(f"""WITH {WEEKS},
                     demand AS (SELECT d.customer_id, d.item_id, weeks.period, sum(d.qty) AS qty
                                FROM marts.fct_demand d JOIN weeks USING (week_start) GROUP BY ALL),
                     shipped AS (SELECT customer_id, item_id, period, sum(qty) AS qty
                                 FROM plans.plan_shipments WHERE plan_id = ? GROUP BY ALL),
                     backlog AS (SELECT customer_id, item_id, period, qty
                                 FROM plans.plan_backlog WHERE plan_id = ?),
                     keyed AS (SELECT customer_id, item_id, period FROM demand
                               UNION SELECT customer_id, item_id, period FROM shipped
                               UNION SELECT customer_id, item_id, period FROM backlog)
                     SELECT k.customer_id, k.item_id, k.period, weeks.week_start,
                            coalesce(d.qty, 0) AS demand_qty, coalesce(s.qty, 0) AS shipped_qty,
                            coalesce(b.qty, 0) AS backlog_qty,
                            least(coalesce(d.qty, 0), coalesce(b.qty, 0)) AS late_qty
                     FROM keyed k JOIN weeks USING (period)
                     LEFT JOIN demand d USING (customer_id, item_id, period)
                     LEFT JOIN shipped s USING (customer_id, item_id, period)
                     LEFT JOIN backlog b USING (customer_id, item_id, period)
                     ORDER BY k.customer_id, k.item_id, k.period""", [plan_id, plan_id, plan_id, plan_id])


def plan_service(weekly: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """The plan's service per `by` (customer, or customer and item): demand, on time, late, weeks late."""
    last = weekly.period.max()
    frame = weekly.assign(late_week=weekly.period.where(weekly.backlog_qty > 0),
                          unmet_qty=weekly.backlog_qty.where(weekly.period == last, 0.0))
    summary = frame.groupby(by, as_index=False).agg(
        demand_qty=("demand_qty", "sum"), shipped_qty=("shipped_qty", "sum"), late_qty=("late_qty", "sum"),
        weeks_late=("late_week", "nunique"), unmet_qty=("unmet_qty", "sum"))
    summary["on_time_qty"] = summary.demand_qty - summary.late_qty
    summary["on_time_share"] = summary.on_time_qty / summary.demand_qty.where(summary.demand_qty > 0)
    return summary


def promises(plan_id: str) -> pd.DataFrame:
    """Each open order line in the plan's pegging: the plants that serve it, its promised date (its last part's),
    how late, and why (the reason of its latest late part)."""
    latest = "ORDER BY coalesce(p.ship_period, 1e9) DESC"
    return query(f"""SELECT p.order_line_id, p.customer_id, p.item_id, o.requested_date, sum(p.qty) AS open_qty,
                            string_agg(DISTINCT p.plant_code, ', ' ORDER BY p.plant_code) AS plant_codes,
                            max(p.promised_date) AS promised_date, max(p.days_late) AS days_late,
                            coalesce(sum(p.qty) FILTER (WHERE p.supply_kind = 'unmet'), 0) AS unmet_qty,
                            bool_or(p.supply_kind = 'unmet' OR p.days_late > 0) AS is_late,
                            first(p.late_reason {latest}) AS late_reason,
                            first(p.reason_detail {latest}) AS reason_detail
                     FROM plans.plan_pegging p LEFT JOIN marts.fct_order_lines o USING (order_line_id)
                     WHERE p.plan_id = ? AND p.order_line_id IS NOT NULL
                     GROUP BY ALL ORDER BY p.customer_id, o.requested_date, p.order_line_id""", [plan_id])
