"""The network plan: synchronized and coordinated plans from the marts, written to the `plans` schema."""

import time

import dagster as dg
import pandas as pd

from optimization import ASSUMPTIONS, build_model, plan_summary, report, solve, sync_summary
from optimization.rebalance import rebalance
from orchestration.defs.planning.inputs import planning_data
from orchestration.defs.resources import PlantSources
from orchestration.raw import connect

PLAN_KEY = dg.AssetKey(["plans", "network_plan"])
PLAN_INPUTS = ["fct_inventory_daily", "fct_capacity_daily", "fct_demand", "fct_routings", "fct_bom", "fct_transfers",
               "dim_item", "dim_lane", "dim_plant", "dim_work_center", "inventory_position"]
TABLES = ("production", "transfers", "shipments", "inventory", "backlog", "capacity", "bottlenecks")


def write_plan(con, tables: dict[str, pd.DataFrame], plan_id: str, scenario: str) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS plans")
    for name, frame in tables.items():
        rows = frame if "plan_id" in frame.columns else frame.assign(plan_id=plan_id, scenario=scenario)
        rows = rows[["plan_id", "scenario", *[c for c in frame.columns if c not in ("plan_id", "scenario")]]]
        con.register("plan_rows", rows)
        exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'plans' "
                             "AND table_name = ?", [f"plan_{name}"]).fetchone()[0]
        if exists:
            con.execute(f"INSERT INTO plans.plan_{name} BY NAME SELECT * FROM plan_rows")
        else:
            con.execute(f"CREATE TABLE plans.plan_{name} AS SELECT * FROM plan_rows")
        con.unregister("plan_rows")


def rebalancing_inputs(con) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Positions with the stock each plant keeps (safety stock plus two weeks), and transfer lanes."""
    positions = con.execute("""
        SELECT plant_code, item_id, on_hand_qty, safety_stock_qty,
               safety_stock_qty + 14 * avg_daily_demand AS max_stock_qty
        FROM marts.inventory_position""").df()
    lanes = con.execute("""
        SELECT from_code AS from_plant_code, to_code AS to_plant_code, transit_days,
               cost_per_unit_eur AS cost_per_unit, capacity_per_day AS capacity
        FROM marts.dim_lane WHERE lane_kind = 'transfer'""").df()
    return positions, lanes


@dg.asset(key=PLAN_KEY, deps=[dg.AssetKey(["marts", name]) for name in PLAN_INPUTS], group_name="planning",
          kinds={"pyomo", "duckdb"},
          description="The network plan for the next weeks, synchronized and with each plant planning alone; "
                      "the difference is the value of synchronization.")
def network_plan(context: dg.AssetExecutionContext, sources: PlantSources) -> dg.MaterializeResult:
    settings = sources.network().planning
    con = connect(sources.warehouse)
    try:
        data, starts = planning_data(con, settings)
        figures, records, plans = {}, [], {}
        for scenario, synchronized in (("synchronized", True), ("coordinated", False)):
            started = time.perf_counter()
            model = build_model(data, synchronized)
            record = solve(model, scenario=scenario, trigger=context.run.tags.get("trigger", "pipeline"),
                           time_limit=float(settings.get("time_limit_seconds", 60)),
                           build_seconds=time.perf_counter() - started, source_load_ids=data.source_load_ids,
                           input_rows={k: len(v) for k, v in data.tables().items()})
            tables = report(model, data)
            tables["production"]["period_start"] = [starts[p - 1].date() for p in tables["production"].period]
            figures[scenario], plans[scenario] = plan_summary(model, tables, data), (record, tables)
            records.append(record)
        summary = sync_summary(figures["synchronized"], figures["coordinated"])
        rebalancing = rebalance(*rebalancing_inputs(con))
        con.execute("BEGIN TRANSACTION")
        for scenario, (record, tables) in plans.items():
            write_plan(con, tables, record.plan_id, scenario)
        sync_id = plans["synchronized"][0].plan_id
        write_plan(con, {"sync_summary": summary, "rebalancing": rebalancing,
                         "assumptions": pd.DataFrame({"assumption": ASSUMPTIONS})}, sync_id, "synchronized")
        write_plan(con, {"runs": pd.DataFrame([r.as_row() for r in records])}, sync_id, "synchronized")
        con.execute("COMMIT")
    finally:
        con.close()
    sync, alone = figures["synchronized"], figures["coordinated"]
    return dg.MaterializeResult(metadata={
        "plan_id": sync_id, "total_cost_eur": round(sync["total_cost"], 2),
        "coordinated_cost_eur": round(alone["total_cost"], 2),
        "value_of_synchronization_eur": round(alone["total_cost"] - sync["total_cost"], 2),
        "fill_rate": round(sync["fill_rate"], 4), "coordinated_fill_rate": round(alone["fill_rate"], 4),
        "rebalancing_transfers": len(rebalancing),
        "solve_seconds": sum(r.solve_seconds for r in records), "status": records[0].status})
