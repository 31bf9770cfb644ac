"""Which plan is current, its proposals, what moved, and the plan's tables for the pages."""

from __future__ import annotations

import pandas as pd

from dashboards.lib.warehouse import WarehouseUnavailable, has_table, query
from orchestration.core.plan_versions import CURRENT_PLAN_SQL, PROPOSALS_SQL

NO_PLAN = "No plan published yet: run `make run` first, then reload this page."


def current_plan_id() -> str:
    """The plan of the latest version marked current (every plan the pipeline makes has a version)."""
    if not has_table("plans.plan_versions"):
        raise WarehouseUnavailable(NO_PLAN)
    found = query(CURRENT_PLAN_SQL)
    if found.empty:
        raise WarehouseUnavailable(NO_PLAN)
    return found.plan_id.iloc[0]


def proposals() -> pd.DataFrame:
    """Plan versions still waiting for a decision (no later row for the same plan)."""
    return query(f"{PROPOSALS_SQL} ORDER BY made_at DESC")


def what_moved(plan_id: str) -> list[str]:
    return query("SELECT move FROM plans.plan_what_moved WHERE plan_id = ? ORDER BY line_no", [plan_id]).move.tolist()


def rebalancing_transfers(plan_id: str) -> pd.DataFrame:
    """The plan's proposed rebalancing transfers, each with the stable id its decision is kept under."""
    return query("""SELECT r.*, i.product_family FROM plans.plan_rebalancing r
                    LEFT JOIN marts.dim_item i USING (item_id)
                    WHERE plan_id = ? ORDER BY cost DESC, from_plant_code, to_plant_code, item_id""", [plan_id])


def run(plan_id: str) -> pd.Series:
    return query("SELECT * FROM plans.plan_runs WHERE plan_id = ?", [plan_id]).iloc[0]


def production(plan_id: str) -> pd.DataFrame:
    return query("""SELECT p.plant_code, p.item_id, i.product_family, p.period, p.period_start, p.qty
                    FROM plans.plan_production p LEFT JOIN marts.dim_item i USING (item_id)
                    WHERE plan_id = ? ORDER BY period, plant_code, item_id""", [plan_id])


def capacity(plan_id: str) -> pd.DataFrame:
    return query("""SELECT plant_code, work_center_id, period, available_hours, used_hours, overtime_hours, utilization
                    FROM plans.plan_capacity WHERE plan_id = ? ORDER BY plant_code, work_center_id, period""",
                 [plan_id])


def transfers(plan_id: str) -> pd.DataFrame:
    return query("""SELECT t.from_plant_code, t.to_plant_code, t.item_id, i.product_family, t.period,
                           t.arrival_period, t.qty, t.cost
                    FROM plans.plan_transfers t LEFT JOIN marts.dim_item i USING (item_id)
                    WHERE plan_id = ? ORDER BY period""", [plan_id])


def backlog(plan_id: str) -> pd.DataFrame:
    return query("""SELECT b.customer_id, c.customer_name, b.item_id, i.product_family, b.period, b.qty
                    FROM plans.plan_backlog b LEFT JOIN marts.dim_customer c USING (customer_id)
                    LEFT JOIN marts.dim_item i USING (item_id)
                    WHERE plan_id = ? ORDER BY period, customer_id, item_id""", [plan_id])


def bottlenecks(plan_id: str) -> pd.DataFrame:
    return query("""SELECT kind, subject, periods, amount, message, overtime_hours FROM plans.plan_bottlenecks
                    WHERE plan_id = ? ORDER BY kind, amount DESC""", [plan_id])


def sync_summary(plan_id: str) -> pd.DataFrame:
    return query("""SELECT metric, synchronized, coordinated, difference, unit FROM plans.plan_sync_summary
                    WHERE plan_id = ?""", [plan_id])


def assumptions(plan_id: str) -> list[str]:
    return query("SELECT assumption FROM plans.plan_assumptions WHERE plan_id = ?", [plan_id]).assumption.tolist()


def horizon(plan_id: str) -> int:
    """The current plan's number of periods (stock has a row for each), so a what-if plans the same weeks."""
    found = query("SELECT max(period) AS periods FROM plans.plan_inventory WHERE plan_id = ?", [plan_id])
    periods = found.periods.iloc[0]
    return 12 if pd.isna(periods) else int(periods)
