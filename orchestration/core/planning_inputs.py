"""Planning inputs read from the marts: the only place that knows both the warehouse and the planner."""

from __future__ import annotations

import duckdb
import pandas as pd

from optimization import PlanningData
from orchestration.core.replan import ReplanLimits

CARRYING_RATE_PER_YEAR = 0.25  # share of standard cost to hold one unit for a year
PRODUCTION_COST_SHARE = 0.6  # variable production cost as a share of standard cost
BACKLOG_PENALTY_SHARE = 2.0  # per unit and week late, as a share of standard cost
OVERTIME_COST_PER_HOUR = 60.0
SUPPLY_WEEKS = 8  # a plant planning alone keeps receiving its average weekly supply of these last weeks


def planning_data(con: duckdb.DuckDBPyConnection, settings: dict) -> tuple[PlanningData, list[pd.Timestamp]]:
    """Weekly periods after the latest stock snapshot; returns the inputs and each period's start."""
    horizon = int(settings.get("horizon_periods", 12))
    overtime_share = float(settings.get("overtime_share", 0.25))
    as_of = con.execute("SELECT max(snapshot_date) FROM marts.fct_inventory_daily").fetchone()[0]
    first = pd.Timestamp(as_of) + pd.Timedelta(days=7 - pd.Timestamp(as_of).day_of_week)
    starts = [first + pd.Timedelta(weeks=k) for k in range(horizon)]

    def period_of(dates: pd.Series) -> pd.Series:
        return ((pd.to_datetime(dates) - first).dt.days // 7 + 1).astype("int64")

    items = con.execute("SELECT item_id, standard_cost_eur FROM marts.dim_item").df()
    items = items.assign(production_cost=items.standard_cost_eur * PRODUCTION_COST_SHARE,
                         holding_cost=items.standard_cost_eur * CARRYING_RATE_PER_YEAR / 52,
                         backlog_penalty=items.standard_cost_eur * BACKLOG_PENALTY_SHARE)
    capacity = con.execute("""
        SELECT plant_code, work_center_id, date_day, available_hours - planned_downtime_hours AS hours
        FROM marts.fct_capacity_daily WHERE date_day >= ? AND date_day < ?""",
                           [first.date(), (first + pd.Timedelta(weeks=horizon)).date()]).df()
    capacity["period"] = period_of(capacity.date_day)
    capacity = capacity.groupby(["plant_code", "work_center_id", "period"], as_index=False).hours.sum()
    capacity = capacity.rename(columns={"hours": "available_hours"}).assign(
        overtime_limit_hours=lambda f: f.available_hours * overtime_share, overtime_cost=OVERTIME_COST_PER_HOUR)
    lanes = con.execute("SELECT * FROM marts.dim_lane").df()
    transfers = lanes[lanes.lane_kind == "transfer"]
    demand = con.execute("SELECT * FROM marts.fct_demand WHERE week_start >= ? OR source = 'open_orders'",
                         [first.date()]).df()
    demand["period"] = period_of(demand.week_start).clip(lower=1)  # an open order already past due is owed now
    demand = demand[demand.period <= horizon].groupby(["customer_id", "item_id", "plant_code", "period"],
                                                      as_index=False).qty.sum()
    orders = con.execute("""SELECT order_line_id, customer_id, item_id, date_trunc('week', requested_date) AS week_start,
                                   ordered_qty - shipped_qty AS qty
                            FROM marts.fct_order_lines WHERE is_open AND ordered_qty > shipped_qty""").df()
    orders["period"] = period_of(orders.week_start).clip(lower=1)  # as fct_demand's open orders
    receipts = con.execute("""
        SELECT plant_code, item_id, due_date AS arrives, greatest(planned_qty - produced_qty - scrap_qty, 0) AS qty,
               'production_order' AS source
        FROM marts.fct_production_orders WHERE status IN ('released', 'in_progress')
        UNION ALL
        SELECT to_plant_code, item_id, planned_receipt_date, qty, 'transfer' FROM marts.fct_transfers WHERE is_in_transit
        UNION ALL
        SELECT plant_code, item_id, due_date, open_qty, 'purchase_order' FROM marts.fct_purchase_orders WHERE is_open
        """).df()
    receipts["period"] = period_of(receipts.arrives).clip(lower=1)  # overdue supply is expected now
    receipts = receipts[(receipts.period <= horizon) & (receipts.qty > 0)].groupby(
        ["plant_code", "item_id", "period", "source"], as_index=False).qty.sum()
    options = con.execute("""SELECT supplier_id, plant_code, item_id, lead_time_days, min_order_qty,
                                    unit_price_eur AS unit_price, capacity_per_week
                             FROM marts.fct_supplier_items ORDER BY ALL""").df()
    position = con.execute("SELECT plant_code, item_id, on_hand_qty, safety_stock_qty FROM marts.inventory_position").df()
    loads = [r[0] for r in con.execute("SELECT arg_max(load_id, finished_at) FROM raw._loads GROUP BY plant_code, entity "
                                       "ORDER BY 1").fetchall()]
    data = PlanningData(
        periods=horizon,
        plants=con.execute("SELECT plant_code FROM marts.dim_plant").df(),
        items=items[["item_id", "production_cost", "holding_cost", "backlog_penalty"]],
        capacity=capacity,
        routings=con.execute("""SELECT r.plant_code, r.work_center_id, r.item_id, r.hours_per_unit
                                FROM marts.fct_routings r JOIN marts.dim_work_center w USING (work_center_id)""").df(),
        bom=con.execute("SELECT * FROM marts.fct_bom").df(),
        lanes=pd.DataFrame({
            "from_plant_code": transfers.from_code, "to_plant_code": transfers.to_code,
            "transit_days": transfers.transit_days,
            "cost_per_unit": transfers.cost_per_unit_eur,
            "capacity_per_period": transfers.capacity_per_day * 7}),
        delivery_lanes=lanes.loc[lanes.lane_kind == "delivery", ["from_code", "to_code", "cost_per_unit_eur"]].set_axis(
            ["plant_code", "customer_id", "cost_per_unit"], axis=1),
        demand=demand[["customer_id", "item_id", "period", "qty"]].assign(home_plant_code=demand.plant_code),
        initial_inventory=position[["plant_code", "item_id"]].assign(qty=position.on_hand_qty),
        safety_stock=position[["plant_code", "item_id"]].assign(qty=position.safety_stock_qty),
        scheduled_receipts=receipts[["plant_code", "item_id", "period", "qty", "source"]],
        supply_options=options.drop(columns="capacity_per_week"),
        supplier_capacity=options.groupby(["supplier_id", "item_id"], as_index=False).capacity_per_week.max()
        .rename(columns={"capacity_per_week": "qty_per_period"}),
        frozen_periods=ReplanLimits.from_settings(settings).frozen_periods,
        orders=orders.loc[orders.period <= horizon, ["order_line_id", "customer_id", "item_id", "period", "qty"]],
        fixed_supply=con.execute(f"""
            SELECT from_plant_code, to_plant_code, item_id,
                   sum(qty) FILTER (WHERE ship_date > ?::DATE - {SUPPLY_WEEKS * 7}) / {SUPPLY_WEEKS} AS qty_per_period
            FROM marts.fct_transfers GROUP BY ALL ORDER BY ALL""", [as_of]).df().fillna({"qty_per_period": 0.0}),
        source_load_ids=[load for load in loads if load],
    )
    return data.validate(), starts


def delivery_days(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Transit days of each delivery lane: a shipment's promised date is its week's start plus these."""
    return con.execute("""SELECT from_code AS plant_code, to_code AS customer_id, transit_days
                          FROM marts.dim_lane WHERE lane_kind = 'delivery'""").df()
