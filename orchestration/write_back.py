"""Write-back: the current plan's released orders, written into each plant's own ERP once.

The released part of a plan is what starts inside the release horizon (`planning.release_periods`,
default 2 weekly periods): planned production (by its week), transfers (by the week they ship, written
to the shipping plant) and purchase proposals (by the week they are ordered, at their order quantity).
Quantities are rounded up to whole base units. An order starts on the first day of its start week and
is due on the last day of the week it is needed in (production: its own week; a transfer or a
purchase: the week it arrives). Its key is what the order is (type, plant, counterpart, item, due
date), so the same order from a re-made plan has the same key: `PRD/DE1/-/DISC-0001/20261213` (a
transfer to DE3: `TRF/DE1/DE3/...`, a purchase: `PUR/DE1/<supplier>/...`).

Only the current plan is written (`CURRENT_PLAN_SQL`: the pipeline's plan, an event re-plan within the
limits, or an approved proposal); a proposal, a rejected or a superseded plan is refused.

Idempotent: `plans.writebacks` is the ledger, a row per order written with the plan it came from.
Against each key's latest ledger row a released order is `new`, a `change` (written before with another
quantity: the target's order is updated, not duplicated) or already written (skipped); an order written
before that the current plan no longer releases and that starts after the frozen horizon
(`planning.frozen_periods`: an order inside it is the plants' to execute, not the plan's to re-decide) is
a `cancel` (quantity 0). Each target refuses duplicates of its own accord as well, by the order key: the files already in the
outbound folder, the plant database's unique key, the cloud API's external reference.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb
import pandas as pd

from orchestration.config import NetworkConfig
from orchestration.core import clock
from orchestration.core.plan_store import CONTRACTS, ensure_plan_tables, transaction, write_rows
from orchestration.core.plan_versions import CURRENT_PLAN_SQL
from orchestration.core.replan import ReplanLimits
from orchestration.sources import SOURCE_KINDS
from orchestration.sources.order_writer import ORDER_COLUMNS, WriteBackError

RELEASE_PERIODS = 2
QTY_EPSILON = 1e-6  # below this a plan quantity is solver noise, not an order
RELEASED_COLUMNS = list(CONTRACTS["released_orders"])


class WriteBackRefused(ValueError):
    """A plan that may not reach the plants: not the current plan, or no plan at all."""


@dataclass
class WriteBack:
    """What one write-back did."""

    plan_id: str
    released: int  # orders the plan releases
    written: dict[str, int] = field(default_factory=dict)  # plant -> orders written (new, changed, cancelled)
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        total = sum(self.written.values())
        plants = ", ".join(f"{plant} {n}" for plant, n in self.written.items())
        where = f" to {len(self.written)} plants ({plants})" if self.written else ""
        failed = f"; failed: {'; '.join(self.failures)}" if self.failures else ""
        return f"{total} orders{where} from plan {self.plan_id}, {self.released} released{failed}"


def writable_plan(con: duckdb.DuckDBPyConnection, plan_id: str | None = None) -> str:
    """The current plan, or `plan_id` when it is the current plan; refused otherwise."""
    ensure_plan_tables(con)
    current = con.execute(CURRENT_PLAN_SQL).fetchone()
    if plan_id is None or (current and plan_id == current[0]):
        if current is None:
            raise WriteBackRefused("no current plan to write back")
        return current[0]
    status = con.execute("SELECT status FROM plans.plan_versions WHERE plan_id = ? ORDER BY made_at DESC LIMIT 1",
                         [plan_id]).fetchone()
    state = "unknown" if status is None else "no longer current" if status[0] == "current" else f"a {status[0]}"
    raise WriteBackRefused(f"plan {plan_id} is {state}: only the current plan ({current[0] if current else 'none'}) "
                           "is written back; a proposal is written once an analyst approves it")


def first_day(con: duckdb.DuckDBPyConnection, plan_id: str, settings: Mapping) -> date:
    """The first day of the plan's first period (its production rows carry their periods' dates)."""
    day = con.execute("SELECT any_value(period_start - CAST((period - 1) * ? AS INTEGER)) FROM plans.plan_production "
                      "WHERE plan_id = ?", [int(settings.get("period_days", 7)), plan_id]).fetchone()[0]
    if day is None:
        raise ValueError(f"plan {plan_id} has no production rows, so its periods have no dates")
    return day


def released_orders(con: duckdb.DuckDBPyConnection, plan_id: str, settings: Mapping) -> pd.DataFrame:
    """The plan's orders that start inside the release horizon, one row per order key."""
    orders = con.execute("""
        WITH orders (order_type, key_prefix, plant_code, item_id, counterpart, period, due_period, qty) AS (
            SELECT 'production', 'PRD', plant_code, item_id, NULL, period, period, qty
            FROM plans.plan_production WHERE plan_id = $plan
            UNION ALL SELECT 'transfer', 'TRF', from_plant_code, item_id, to_plant_code, period, arrival_period, qty
            FROM plans.plan_transfers WHERE plan_id = $plan
            UNION ALL SELECT 'purchase', 'PUR', plant_code, item_id, supplier_id, period, arrival_period,
                             coalesce(order_qty, qty)
            FROM plans.plan_purchases WHERE plan_id = $plan),
        released AS (
            SELECT order_type, key_prefix, plant_code, item_id, counterpart,
                   $day + CAST((period - 1) * $days AS INTEGER) AS start_date,
                   $day + CAST(due_period * $days - 1 AS INTEGER) AS due_date, ceil(sum(qty) - $eps) AS qty
            FROM orders
            WHERE period BETWEEN 1 AND $window AND qty > $eps
            GROUP BY ALL)
        SELECT concat_ws('/', key_prefix, plant_code, coalesce(counterpart, '-'), item_id,
                         strftime(due_date, '%Y%m%d')) AS order_key, $plan AS plan_id, *
        FROM released
        ORDER BY order_key""",
                         {"plan": plan_id, "day": first_day(con, plan_id, settings),
                          "days": int(settings.get("period_days", 7)),
                          "window": int(settings.get("release_periods", RELEASE_PERIODS)), "eps": QTY_EPSILON}).df()
    return orders.assign(start_date=_dates(orders.start_date), due_date=_dates(orders.due_date))[RELEASED_COLUMNS]


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.date


def pending(con: duckdb.DuckDBPyConnection, released: pd.DataFrame, plan_id: str, open_from: date) -> pd.DataFrame:
    """What the ledger says still has to reach the plants: released orders new or changed, and orders
    written before that the plan no longer releases and that start on or after `open_from` (cancels),
    each with its action."""
    written = con.execute("""SELECT order_key, qty AS written_qty FROM plans.writebacks
                             QUALIFY row_number() OVER (PARTITION BY order_key ORDER BY written_at DESC) = 1""").df()
    orders = released.merge(written, on="order_key", how="left")
    orders = orders[orders.written_qty.isna() | (orders.written_qty != orders.qty)]
    orders = orders.assign(action=orders.written_qty.isna().map({True: "new", False: "change"}))
    dropped = written[(written.written_qty > 0) & ~written.order_key.isin(released.order_key)]
    cancels = con.execute("""SELECT * FROM plans.released_orders
                             WHERE list_contains(CAST(? AS VARCHAR[]), order_key) AND start_date >= ?
                             QUALIFY row_number() OVER (PARTITION BY order_key ORDER BY plan_id DESC) = 1""",
                          [list(dropped.order_key), open_from]).df()
    cancels = cancels.assign(qty=0.0, plan_id=plan_id, action="cancel", start_date=_dates(cancels.start_date),
                             due_date=_dates(cancels.due_date))
    return pd.concat([orders[[*RELEASED_COLUMNS, "action"]], cancels[[*RELEASED_COLUMNS, "action"]]],
                     ignore_index=True)


def in_local_terms(con: duckdb.DuckDBPyConnection, orders: pd.DataFrame) -> pd.DataFrame:
    """Orders with the plant's own item code (from the code cross-reference; the network's id when the
    plant has none), the item's base unit, and None for no counterpart."""
    xref = con.execute("""SELECT plant_code, item_id, min(local_item_code) AS local_item_code
                          FROM staging.stg_reference__item_xref GROUP BY ALL""").df()
    units = con.execute("SELECT item_id, base_unit FROM marts.dim_item").df()
    orders = orders.merge(xref, on=["plant_code", "item_id"], how="left").merge(units, on="item_id", how="left")
    return orders.assign(local_item_code=orders.local_item_code.fillna(orders.item_id),
                         counterpart=orders.counterpart.astype(object).where(orders.counterpart.notna(), None))[
        list(ORDER_COLUMNS)]


def write_back(con: duckdb.DuckDBPyConnection, config: NetworkConfig, simulated: Mapping[str, str],
               plan_id: str | None = None) -> WriteBack:
    """Write the current plan's released orders that the plants do not hold yet, plant by plant, each
    plant's writes recorded in the ledger once its ERP has taken them; a plant whose ERP fails is named
    in `failures` and the others are still written."""
    plan = writable_plan(con, plan_id)
    released = released_orders(con, plan, config.planning)
    with transaction(con):
        con.execute("DELETE FROM plans.released_orders WHERE plan_id = ?", [plan])
        write_rows(con, "released_orders", released)
    frozen_periods = ReplanLimits.from_settings(config.planning).frozen_periods  # as the planner freezes them
    frozen_days = frozen_periods * int(config.planning.get("period_days", 7))
    open_from = first_day(con, plan, config.planning) + timedelta(days=frozen_days)
    todo = in_local_terms(con, pending(con, released, plan, open_from))
    result = WriteBack(plan, len(released))
    for plant in config.plants:
        orders = todo[todo.plant_code == plant.code]
        connect = SOURCE_KINDS[plant.erp_kind].write_back
        if orders.empty:
            continue
        if connect is None:
            result.failures.append(f"{plant.code}: its ERP kind {plant.erp_kind} takes no orders")
            continue
        try:
            details = connect(config, plant, simulated).write(orders)
        except WriteBackError as exc:
            result.failures.append(str(exc))
            continue
        ledger = orders[["order_key", "plan_id", "plant_code", "qty"]].assign(
            target=plant.erp_kind, written_at=clock.now().replace(tzinfo=None), detail=details)
        with transaction(con):
            write_rows(con, "writebacks", ledger)
        result.written[plant.code] = len(orders)
    return result
