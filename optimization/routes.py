"""One entry point for a plan: built as arrays (`optimization.arrays`) and handed to HiGHS in one `passModel`.

    result = plan(data, synchronized=True, time_limit=60)   # PlanResult(record, tables, figures)

`route="pyomo"` solves the readable reference (`optimization.model`) through Pyomo's highspy interface
instead: the same plan, for tests that hold the two equal and for a reader who wants to follow one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import datetime

import pandas as pd

from optimization.arrays import build_arrays, solve_arrays
from optimization.data import PlanningData, empty
from optimization.model import build_model
from optimization.report import plan_summary, report, report_values, summary
from optimization.solve import RunRecord, solve

ARRAY_METHOD = "choose"  # HiGHS's default, dual simplex for an LP: 2-4x faster than its interior point here


def rationed_shares(wanted: pd.DataFrame) -> pd.DataFrame:
    """Each plant's share of a supplier's capacity when plants plan alone: what it orders when the supplier
    could deliver all (`wanted`: the purchases of that plan), as a share of all plants' orders for the item,
    so an over-subscribed supplier rations in proportion to orders, the usual allocation."""
    ordered = wanted.groupby(["supplier_id", "item_id", "plant_code"], as_index=False).qty.sum()
    ordered["share"] = ordered.qty / ordered.groupby(["supplier_id", "item_id"]).qty.transform("sum")
    return ordered[ordered.share.notna()].drop(columns="qty")


@dataclass
class PlanResult:
    record: RunRecord
    tables: dict[str, pd.DataFrame]
    figures: dict[str, float]


def plan(data: PlanningData, synchronized: bool = True, *, scenario: str | None = None, trigger: str = "manual",
         time_limit: float = 60.0, route: str = "arrays", fixed: dict[str, pd.DataFrame] | None = None,
         anchor: dict[str, pd.DataFrame] | None = None, input_rows: dict | None = None,
         made_at: datetime | None = None) -> PlanResult:
    """Plan validated `data`. `fixed` pins variables: {"production" | "purchases" | "transfers": key columns,
    period, qty}, as a re-plan pins its frozen horizon; keys the model does not have are ignored.

    `anchor` (a current plan's tables) adds CHANGE_PENALTY per unit of production, purchases and transfers
    that differs from it. A plan LP has many optima of the same cost; without an anchor a re-plan may reshuffle
    what the disruption does not touch, and every shuffle is work on the shop floor. The plan's cost
    figures leave the charge out; the record's objective includes it."""
    scenario = scenario or ("synchronized" if synchronized else "coordinated")
    if not synchronized and data.supplier_shares.empty and len(data.supplier_capacity):
        data = replace(data, supplier_shares=rationed_shares(
            plan(replace(data, supplier_capacity=empty("supplier_capacity")), False, time_limit=time_limit,
                 route=route, fixed=fixed).tables["purchases"]))
    started = time.perf_counter()
    if route == "pyomo":
        model = build_model(data, synchronized, fixed=fixed, anchor=anchor)
        record = solve(model, scenario=scenario, trigger=trigger, time_limit=time_limit,
                       build_seconds=time.perf_counter() - started, source_load_ids=data.source_load_ids,
                       input_rows=input_rows, made_at=made_at)
        record.settings["route"] = "pyomo"
        tables = report(model, data, synchronized)
        return PlanResult(record, tables, plan_summary(model, tables, data))
    if route != "arrays":
        raise ValueError(f"route must be arrays or pyomo, got {route!r}")
    arrays = build_arrays(data, synchronized, fixed=fixed, anchor=anchor)
    built = time.perf_counter() - started
    solution = solve_arrays(arrays, time_limit=time_limit, solver=ARRAY_METHOD)
    tables = report_values(solution.values, data, synchronized)
    record = RunRecord.stamped(
        scenario, made_at, trigger=trigger, status=solution.status, termination=solution.termination,
        objective=solution.objective, gap=0.0 if solution.status == "optimal" else None,
        variables=arrays.matrix.shape[1], constraints=arrays.matrix.shape[0], build_seconds=built,
        solve_seconds=solution.handoff_seconds + solution.solve_seconds + solution.read_seconds,
        source_load_ids=list(data.source_load_ids),
        settings={"solver": "highs", "route": "arrays", "method": ARRAY_METHOD, "time_limit": time_limit},
        input_rows=dict(input_rows or {}))
    return PlanResult(record, tables, summary(solution.costs, tables, data))
