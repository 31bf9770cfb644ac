"""One entry point for a plan, by either of two routes to HiGHS that solve the same model.

    result = plan(data, synchronized=True, time_limit=60)   # PlanResult(record, tables, figures)

"pyomo" builds `optimization.model` (the readable reference) and solves it through Pyomo's highspy
interface; "arrays" builds the same LP as arrays (`optimization.arrays`) in one `passModel`. "auto"
takes arrays from ARRAY_ROUTE_NONZEROS up, where Pyomo's build, hand-off and read-back would cost
more than the solve itself (benchmarks/results/planning.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import pyomo.environ as pyo

from optimization.arrays import build_arrays, estimated_nonzeros, solve_arrays
from optimization.data import PlanningData
from optimization.model import build_model
from optimization.report import VARIABLES, plan_summary, report, report_values, summary
from optimization.solve import RunRecord, solve

ARRAY_ROUTE_NONZEROS = 50_000  # estimated nonzeros from which "auto" takes arrays: below, Pyomo adds < ~1 s
CHANGE_PENALTY = 0.01  # EUR per unit produced or moved differently from an anchor plan: breaks ties only
ARRAY_METHOD = "choose"  # HiGHS's default, dual simplex for an LP: 2-4x faster than its interior point here


@dataclass
class PlanResult:
    record: RunRecord
    tables: dict[str, pd.DataFrame]
    figures: dict[str, float]


def choose_route(data: PlanningData, synchronized: bool = True) -> str:
    return "arrays" if estimated_nonzeros(data, synchronized) >= ARRAY_ROUTE_NONZEROS else "pyomo"


def plan(data: PlanningData, synchronized: bool = True, *, scenario: str | None = None, trigger: str = "manual",
         time_limit: float = 60.0, route: str = "auto", fixed: dict[str, pd.DataFrame] | None = None,
         anchor: dict[str, pd.DataFrame] | None = None, input_rows: dict | None = None,
         made_at: datetime | None = None) -> PlanResult:
    """Plan validated `data`. `fixed` pins variables: {"production" | "transfers": key columns, period, qty},
    as a re-plan pins its frozen horizon; keys the model does not have are ignored.

    `anchor` (a current plan's tables) adds CHANGE_PENALTY per unit of production and transfers that
    differs from it. A plan LP has many optima of the same cost; without an anchor a re-plan may reshuffle
    what the disruption does not touch, and every shuffle is work on the shop floor. The plan's cost
    figures leave the charge out; the record's objective includes it."""
    scenario = scenario or ("synchronized" if synchronized else "coordinated")
    route = choose_route(data, synchronized) if route == "auto" else route
    fixed = fixed or {}
    if route == "pyomo":
        started = time.perf_counter()
        model = build_model(data, synchronized)
        for family, frame in fixed.items():
            _fix(model, family, frame)
        if anchor:
            _anchor(model, anchor)
        record = solve(model, scenario=scenario, trigger=trigger, time_limit=time_limit,
                       build_seconds=time.perf_counter() - started, source_load_ids=data.source_load_ids,
                       input_rows=input_rows, made_at=made_at)
        record.settings["route"] = "pyomo"
        tables = report(model, data)
        return PlanResult(record, tables, plan_summary(model, tables, data))
    if route != "arrays":
        raise ValueError(f"route must be auto, pyomo or arrays, got {route!r}")
    started = time.perf_counter()
    arrays = build_arrays(data, synchronized)
    for family, frame in fixed.items():
        arrays.fix(family, frame)
    for family in ANCHORED if anchor else ():
        arrays.anchor(family, anchor[family], CHANGE_PENALTY)
    built = time.perf_counter() - started
    solution = solve_arrays(arrays, time_limit=time_limit, solver=ARRAY_METHOD)
    tables = report_values(solution.values, data)
    record = RunRecord.stamped(
        scenario, made_at, trigger=trigger, status=solution.status, termination=solution.termination,
        objective=solution.objective, gap=0.0 if solution.status == "optimal" else None,
        variables=arrays.matrix.shape[1], constraints=arrays.matrix.shape[0], build_seconds=built,
        solve_seconds=solution.handoff_seconds + solution.solve_seconds + solution.read_seconds,
        source_load_ids=list(data.source_load_ids),
        settings={"solver": "highs", "route": "arrays", "method": ARRAY_METHOD, "time_limit": time_limit},
        input_rows=dict(input_rows or {}))
    return PlanResult(record, tables, summary(solution.costs, tables, data))


ANCHORED = ("production", "transfers")


def _anchor(model: pyo.ConcreteModel, current: dict[str, pd.DataFrame]) -> None:
    """Objective: the plan's cost plus CHANGE_PENALTY per unit away from `current` (see `plan`)."""
    changes = []
    for family in ANCHORED:
        name, columns = VARIABLES[family]
        variable = getattr(model, name)
        index = list(variable)
        was = {(*key, int(period)): float(qty) for *key, period, qty in
               current[family][[*columns, "period", "qty"]].itertuples(index=False, name=None)}
        raised = pyo.Var(index, domain=pyo.NonNegativeReals)
        lowered = pyo.Var(index, domain=pyo.NonNegativeReals)
        model.add_component(f"{name}_raised", raised)
        model.add_component(f"{name}_lowered", lowered)
        model.add_component(f"{name}_change", pyo.Constraint(
            index, rule=lambda m, *k, variable=variable, raised=raised, lowered=lowered, was=was:
            variable[k] - was.get(k, 0.0) == raised[k] - lowered[k]))
        changes.append(sum(raised[k] + lowered[k] for k in index))
    model.total_cost.deactivate()
    model.cost_with_changes = pyo.Objective(expr=model.total_cost.expr + CHANGE_PENALTY * sum(changes),
                                            sense=pyo.minimize)


def _fix(model: pyo.ConcreteModel, family: str, frame: pd.DataFrame) -> None:
    name, columns = VARIABLES[family]
    variable = getattr(model, name)
    for *key, period, qty in frame[[*columns, "period", "qty"]].itertuples(index=False, name=None):
        if (*key, int(period)) in variable:
            variable[(*key, int(period))].fix(float(qty))
