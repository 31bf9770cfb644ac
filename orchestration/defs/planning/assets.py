"""The network plan: synchronized and coordinated plans from the marts, written to the `plans` schema."""

from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd

from optimization import ASSUMPTIONS, PlanningData, PlanResult, plan, sync_summary
from optimization.pegging import pegging
from optimization.rebalance import rebalance
from optimization.scenario import replan
from orchestration.core import clock
from orchestration.core.decisions import decisions_path, read_decisions
from orchestration.core.plan_store import transaction, write_plan, write_rows
from orchestration.core.plan_versions import (
    notify,
    proposals,
    record_moves,
    record_version,
    send_notifications,
)
from orchestration.core.planning_inputs import delivery_days, planning_data
from orchestration.core.replan import MachineDown, ReplanLimits, check_limits, outage_scenario
from orchestration.defs.resources import PlantSources
from orchestration.raw import connect

PLAN_KEY = dg.AssetKey(["plans", "network_plan"])
DECISIONS_KEY = dg.AssetKey(["plans", "plan_decisions"])
PLAN_INPUTS = ["fct_inventory_daily", "fct_capacity_daily", "fct_demand", "fct_order_lines", "fct_routings", "fct_bom", "fct_transfers",
               "fct_production_orders", "fct_purchase_orders", "fct_supplier_items", "dim_supplier",
               "dim_item", "dim_lane", "dim_plant", "dim_work_center", "inventory_position"]
TABLES = ("production", "purchases", "receipts", "transfers", "shipments", "inventory", "backlog", "capacity",
          "bottlenecks")


def rebalancing_inputs(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Positions with the stock each plant keeps (the mart's maximum, above which stock is excess), and lanes."""
    positions = con.execute("""
        SELECT plant_code, item_id, on_hand_qty, safety_stock_qty, max_stock_qty
        FROM marts.inventory_position""").df()
    lanes = con.execute("""
        SELECT from_code AS from_plant_code, to_code AS to_plant_code, transit_days,
               cost_per_unit_eur AS cost_per_unit, capacity_per_day AS capacity
        FROM marts.dim_lane WHERE lane_kind = 'transfer'""").df()
    return positions, lanes


def rebalancing_now(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Rebalancing transfers, each with an id that stays the same for the same stock snapshot, so an
    analyst's decision on it still applies when the plan is made again from the same data."""
    as_of = con.execute("SELECT max(as_of_date) FROM marts.inventory_position").fetchone()[0]
    moves = rebalance(*rebalancing_inputs(con))
    ids = [f"{as_of}:{m.from_plant_code}>{m.to_plant_code}:{m.item_id}" for m in moves.itertuples()]
    return moves.assign(transfer_id=pd.Series(ids, index=moves.index, dtype="str"))


def _why(tags: dict[str, str]) -> tuple[str, str]:
    """The reason a plan is made and by whom, from the tags of the run that makes it."""
    trigger = tags.get("trigger", "pipeline")
    reason = {"schedule": "schedule", "machine_down": "event", "analyst": "analyst"}.get(trigger, "pipeline")
    return reason, tags.get("made_by") or f"plantsync:{trigger}"


def _plan(data: PlanningData, starts: list[pd.Timestamp], scenario: str, trigger: str, settings: dict) -> PlanResult:
    result = plan(data, synchronized=scenario != "coordinated", scenario=scenario, trigger=trigger,
                  time_limit=float(settings.get("time_limit_seconds", 60)),
                  input_rows={k: len(v) for k, v in data.tables().items()}, made_at=clock.now())
    _date_periods(result.tables, starts)
    return result


def _date_periods(tables: dict[str, pd.DataFrame], starts: list[pd.Timestamp]) -> None:
    tables["production"]["period_start"] = [starts[p - 1].date() for p in tables["production"].period]


def make_network_plan(con: duckdb.DuckDBPyConnection, settings: dict, tags: dict[str, str]) -> dict:
    """The synchronized plan and the coordination baseline; the synchronized plan becomes current."""
    data, starts = planning_data(con, settings)
    reason, made_by = _why(tags)
    figures, plans = {}, {}
    for scenario in ("synchronized", "coordinated"):
        result = _plan(data, starts, scenario, tags.get("trigger", "pipeline"), settings)
        figures[scenario], plans[scenario] = result.figures, (result.record, result.tables)
    plans["synchronized"][1]["pegging"] = pegging(data, plans["synchronized"][1], starts, delivery_days(con))
    summary = sync_summary(figures["synchronized"], figures["coordinated"])
    rebalancing = rebalancing_now(con)
    sync_id = plans["synchronized"][0].plan_id
    with transaction(con):
        for scenario, (record, tables) in plans.items():
            write_plan(con, tables, record.plan_id, scenario)
        write_plan(con, {"sync_summary": summary, "rebalancing": rebalancing,
                         "assumptions": pd.DataFrame({"assumption": ASSUMPTIONS}),
                         "runs": pd.DataFrame([record.as_row() for record, _ in plans.values()])}, sync_id, "synchronized")
        sync, alone = figures["synchronized"], figures["coordinated"]
        record_version(con, sync_id, reason=reason, made_by=made_by, status="current",
                       detail=f"network plan: {sync['total_cost']:,.0f} EUR, "
                              f"on-time fill rate {sync['on_time_fill_rate']:.1%}")
        notify(con, sync_id, "plan_published", f"new network plan {sync_id} ({reason}): {sync['total_cost']:,.0f} EUR, "
                                               f"value of synchronization {alone['total_cost'] - sync['total_cost']:,.0f} EUR")
    records = [record for record, _ in plans.values()]
    return {"plan_id": sync_id, "status": "current", "total_cost_eur": round(sync["total_cost"], 2),
            "coordinated_cost_eur": round(alone["total_cost"], 2),
            "value_of_synchronization_eur": round(alone["total_cost"] - sync["total_cost"], 2),
            "fill_rate": round(sync["fill_rate"], 4), "coordinated_fill_rate": round(alone["fill_rate"], 4),
            "on_time_fill_rate": round(sync["on_time_fill_rate"], 4),
            "coordinated_on_time_fill_rate": round(alone["on_time_fill_rate"], 4),
            "rebalancing_transfers": len(rebalancing), "solve_seconds": sum(r.solve_seconds for r in records),
            "solver_status": records[0].status}


def make_event_replan(con: duckdb.DuckDBPyConnection, settings: dict, tags: dict[str, str]) -> dict:
    """Re-plan with a machine down; publish as current inside the limits, else keep as a proposal."""
    event = MachineDown.from_tags(tags)
    limits = ReplanLimits.from_settings(settings)
    data, starts = planning_data(con, settings)
    base = _plan(data, starts, "synchronized", "machine_down", settings)
    scenario = outage_scenario(event, starts, limits.frozen_periods)
    result = replan(data, base, scenario, time_limit=float(settings.get("time_limit_seconds", 60)),
                    trigger="machine_down", made_at=clock.now())
    _date_periods(result.tables, starts)
    result.tables["pegging"] = pegging(data, result.tables, starts, delivery_days(con))
    new_cost = result.figures["total_cost"]
    check = check_limits(limits, base.tables, result.tables, base.figures["total_cost"], new_cost)
    status = "current" if check.within_limits else "proposal"
    plan_id = result.record.plan_id
    outcome = ("published as the current plan" if check.within_limits
               else "kept as a proposal for an analyst: " + "; ".join(check.breaches))
    with transaction(con):
        write_plan(con, {**result.tables, "runs": pd.DataFrame([result.record.as_row()])}, plan_id, scenario.name)
        record_version(con, plan_id, reason="event", made_by=_why(tags)[1], detail=event.describe(), status=status,
                       check=check)
        record_moves(con, plan_id, result.moves)
        notify(con, plan_id, "plan_published" if check.within_limits else "plan_proposed",
               f"{event.describe()}: re-plan {plan_id} {outcome}; cost {check.cost_change_share:+.2%}, "
               f"on-time fill rate {result.figures['on_time_fill_rate']:.1%} "
               f"(was {base.figures['on_time_fill_rate']:.1%}), "
               f"largest share of a plant's load moved {check.max_load_moved_share:.0%}")
    return {"plan_id": plan_id, "status": status, "event": event.describe(),
            "total_cost_eur": round(new_cost, 2), "cost_change_share": round(check.cost_change_share, 4),
            "max_load_moved_share": round(check.max_load_moved_share, 4),
            "on_time_fill_rate": round(result.figures["on_time_fill_rate"], 4),
            "limit_breaches": "; ".join(check.breaches) or "none", "moves": len(result.moves),
            "solve_seconds": result.record.solve_seconds}


@dg.asset(key=PLAN_KEY, deps=[dg.AssetKey(["marts", name]) for name in PLAN_INPUTS], group_name="planning",
          kinds={"pyomo", "duckdb"},
          description="The network plan for the next weeks, synchronized and with each plant planning alone (the "
                      "difference is the value of synchronization); after a machine-down event, a bounded re-plan.")
def network_plan(context: dg.AssetExecutionContext, sources: PlantSources) -> dg.MaterializeResult:
    settings = sources.network().planning
    tags = dict(context.run.tags)
    make = make_event_replan if tags.get("trigger") == "machine_down" else make_network_plan
    con = connect(sources.warehouse)
    try:
        metadata = make(con, settings, tags)
        metadata["notifications_sent"] = send_notifications(con)
    finally:
        con.close()
    context.log.info(f"plan {metadata['plan_id']}: {metadata['status']}")
    return dg.MaterializeResult(metadata=metadata)


def apply_decisions(con: duckdb.DuckDBPyConnection, decisions_file: Path) -> dict[str, int]:
    """Copy the analysts' decision log into the warehouse and act on decisions about proposals."""
    log = read_decisions(decisions_file, latest=False)
    with transaction(con):
        con.execute("DELETE FROM plans.decisions")
        write_rows(con, "decisions", log)
        waiting = proposals(con).set_index("plan_id")
        decided = con.execute("""SELECT * FROM plans.decisions WHERE subject_kind = 'plan_proposal'
                                 QUALIFY row_number() OVER (PARTITION BY subject_id ORDER BY decided_at DESC) = 1
                                 ORDER BY decided_at""").df()
        applied = 0
        for decision in decided[decided.subject_id.isin(waiting.index)].itertuples():
            status = "current" if decision.decision == "approved" else "rejected"
            record_version(con, decision.subject_id, reason="analyst", made_by=decision.decided_by, status=status,
                           detail=f"proposal {decision.decision}" + (f": {decision.note}" if decision.note else ""))
            notify(con, decision.subject_id, "proposal_" + decision.decision,
                   f"plan {decision.subject_id} {decision.decision} by {decision.decided_by}")
            applied += 1
    return {"decisions": len(log), "proposals_decided": applied, "notifications_sent": send_notifications(con)}


@dg.asset(key=DECISIONS_KEY, deps=[PLAN_KEY], group_name="planning", kinds={"duckdb"},
          description="Analysts' decisions (rebalancing transfers, plan proposals) copied into plans.decisions; "
                      "an approved proposal becomes the current plan.")
def plan_decisions(context: dg.AssetExecutionContext, sources: PlantSources) -> dg.MaterializeResult:
    con = connect(sources.warehouse)
    try:
        counts = apply_decisions(con, decisions_path(sources.warehouse.parent))
    finally:
        con.close()
    return dg.MaterializeResult(metadata=counts)
