"""Which plan is current, its proposals, and stable ids for the transfers an analyst decides on."""

from __future__ import annotations

import pandas as pd

from dashboards.lib.warehouse import WarehouseUnavailable, has_table, query

NO_PLAN = "No plan published yet: run `make run` first, then reload this page."


def current_plan_id() -> str:
    """The latest plan version marked current; without `plans.plan_versions`, the latest synchronized run."""
    if has_table("plans.plan_versions"):
        found = query("""SELECT plan_id FROM plans.plan_versions WHERE status = 'current'
                         ORDER BY made_at DESC LIMIT 1""")
        if len(found):
            return found.plan_id.iloc[0]
    if not has_table("plans.plan_runs"):
        raise WarehouseUnavailable(NO_PLAN)
    found = query("""SELECT plan_id FROM plans.plan_runs WHERE scenario = 'synchronized'
                     ORDER BY created_at DESC, plan_id DESC LIMIT 1""")
    if found.empty:
        raise WarehouseUnavailable(NO_PLAN)
    return found.plan_id.iloc[0]


def proposals() -> pd.DataFrame:
    """Plan versions still waiting for a decision (no later row for the same plan)."""
    if not has_table("plans.plan_versions"):
        return pd.DataFrame(columns=["plan_id", "made_at", "reason", "made_by", "detail"])
    return query("""SELECT * FROM plans.plan_versions
                    QUALIFY row_number() OVER (PARTITION BY plan_id ORDER BY made_at DESC) = 1
                        AND status = 'proposal'
                    ORDER BY made_at DESC""")


def what_moved(plan_id: str) -> list[str]:
    if not has_table("plans.plan_what_moved"):
        return []
    return query("SELECT move FROM plans.plan_what_moved WHERE plan_id = ? ORDER BY line_no", [plan_id]).move.tolist()


def transfer_id(from_plant_code: str, to_plant_code: str, item_id: str, as_of=None) -> str:
    """The id a rebalancing decision is recorded under, until the pipeline publishes its own."""
    base = f"{from_plant_code}>{to_plant_code}:{item_id}"
    return f"{base}@{pd.Timestamp(as_of).date()}" if as_of is not None and not pd.isna(as_of) else base


def rebalancing_transfers(plan_id: str) -> pd.DataFrame:
    """The plan's proposed rebalancing transfers, each with the id its decision is kept under."""
    transfers = query("""SELECT r.*, i.product_family FROM plans.plan_rebalancing r
                         LEFT JOIN marts.dim_item i USING (item_id)
                         WHERE plan_id = ? ORDER BY cost DESC, from_plant_code, to_plant_code, item_id""",
                      [plan_id])
    if "transfer_id" not in transfers.columns:
        as_of = query("SELECT max(as_of_date) AS as_of FROM marts.inventory_position").as_of.iloc[0]
        transfers["transfer_id"] = [transfer_id(r.from_plant_code, r.to_plant_code, r.item_id, as_of)
                                    for r in transfers.itertuples()]
    return transfers


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
    return query("""SELECT kind, subject, periods, amount, message FROM plans.plan_bottlenecks
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
