"""Disruption re-plans: change the inputs, re-plan from the current plan with a frozen near horizon,
and say in plain words what moved and what it costs.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field

import pandas as pd
import pyomo.environ as pyo

from optimization.data import PlanningData
from optimization.model import build_model
from optimization.report import plan_summary, report
from optimization.solve import RunRecord, solve

MOVE_THRESHOLD = 0.5  # units: smaller differences are solver noise, not a move
CHANGE_PENALTY = 0.01  # EUR per unit of production moved from the current plan: breaks ties, not costs


@dataclass
class Scenario:
    """What happens: resources down, capacity cut, demand up. Periods are inclusive ranges."""

    name: str
    down: list[tuple[str, int, int]] = field(default_factory=list)  # plant code or work center id, periods
    capacity_share: list[tuple[str, float, int, int]] = field(default_factory=list)  # plant or wc keeps a share
    demand_factor: list[tuple[str | None, str | None, float, int, int]] = field(default_factory=list)
    # (item or None for all, customer or None for all, factor, first period, last period)
    frozen_periods: int = 1


def apply(data: PlanningData, scenario: Scenario) -> PlanningData:
    """A copy of the inputs with the scenario's changes; the original is never touched."""
    changed = copy.deepcopy(data)
    capacity = changed.capacity
    cuts = [(who, 0.0, first, last) for who, first, last in scenario.down] + list(scenario.capacity_share)
    for who, share, first, last in cuts:
        hit = ((capacity.plant_code == who) | (capacity.work_center_id == who)) & capacity.period.between(first, last)
        capacity.loc[hit, ["available_hours", "overtime_limit_hours"]] *= share
    demand = changed.demand
    for item, customer, factor, first, last in scenario.demand_factor:
        hit = demand.period.between(first, last)
        if item:
            hit &= demand.item_id == item
        if customer:
            hit &= demand.customer_id == customer
        demand.loc[hit, "qty"] *= factor
    return changed.validate()


def _freeze(model: pyo.ConcreteModel, base: pyo.ConcreteModel, scenario: Scenario, data: PlanningData) -> None:
    """Fix production and transfers of the frozen periods to the current plan, except at plants whose
    capacity the scenario cuts in those periods (a plan that cannot run is not kept)."""
    cuts = [(who, first, last) for who, first, last in scenario.down]
    cuts += [(who, first, last) for who, _, first, last in scenario.capacity_share]
    capacity = data.capacity
    cut = {(plant, period) for who, first, last in cuts
           for plant in set(capacity.loc[(capacity.plant_code == who) | (capacity.work_center_id == who), "plant_code"])
           for period in range(first, last + 1)}
    for index in base.produce:
        plant, _, period = index
        if period <= scenario.frozen_periods and (plant, period) not in cut and index in model.produce:
            model.produce[index].fix(base.produce[index].value or 0.0)
    for index in base.transfer:
        if index[-1] <= scenario.frozen_periods and index in model.transfer:
            model.transfer[index].fix(base.transfer[index].value or 0.0)


def _anchor(model: pyo.ConcreteModel, base: pyo.ConcreteModel) -> None:
    """Among plans of (almost) equal cost, prefer the one closest to the current plan.

    A plan LP has many optima of the same cost; without this, a re-plan may reshuffle production and
    transfers the disruption does not touch, and every shuffle is work on the shop floor. `total_cost`
    stays the cost of the plan; the objective adds a small charge per unit produced or moved differently.
    """
    changes = []
    for kind in ("produce", "transfer"):
        planned, current = getattr(model, kind), getattr(base, kind)
        index = list(planned)
        was = {k: (current[k].value or 0.0) if k in current else 0.0 for k in index}
        raised = pyo.Var(index, domain=pyo.NonNegativeReals)
        lowered = pyo.Var(index, domain=pyo.NonNegativeReals)
        model.add_component(f"{kind}_raised", raised)
        model.add_component(f"{kind}_lowered", lowered)
        model.add_component(f"{kind}_change", pyo.Constraint(
            index, rule=lambda m, *k, planned=planned, raised=raised, lowered=lowered, was=was:
            planned[k] - was[k] == raised[k] - lowered[k]))
        changes.append(sum(raised[k] + lowered[k] for k in index))
    model.total_cost.deactivate()
    model.cost_with_changes = pyo.Objective(expr=model.total_cost.expr + CHANGE_PENALTY * sum(changes),
                                            sense=pyo.minimize)


def _ranges(periods: list[int]) -> str:
    periods = sorted(periods)
    return f"period {periods[0]}" if len(periods) == 1 else f"periods {periods[0]}-{periods[-1]}"


def what_moved(base: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame]) -> list[str]:
    """Plain sentences: which plant picks up or drops how much of which item, which transfers change."""
    lines = []
    keys = ["plant_code", "item_id", "period"]
    production = base["production"].merge(new["production"], on=keys, how="outer", suffixes=("_base", "_new")).fillna(0)
    production["change"] = production.qty_new - production.qty_base
    for (plant, item), group in production.groupby(["plant_code", "item_id"]):
        for sign, verb in ((1, "picks up"), (-1, "drops")):
            moved = group[group.change * sign > MOVE_THRESHOLD]
            if len(moved):
                lines.append(f"plant {plant} {verb} {abs(moved.change.sum()):,.0f} units of {item} in "
                             f"{_ranges(moved.period.tolist())}")
    lanes = ["from_plant_code", "to_plant_code"]
    transfers = (base["transfers"].groupby(lanes).qty.sum().rename("base").to_frame()
                 .join(new["transfers"].groupby(lanes).qty.sum().rename("new"), how="outer").fillna(0))
    for (source, target), row in transfers.iterrows():
        if row.new - row.base > MOVE_THRESHOLD:
            verb = "added" if row.base <= MOVE_THRESHOLD else "increased"
            lines.append(f"transfers {source} -> {target} {verb}: {row.new - row.base:,.0f} units")
        elif row.base - row.new > MOVE_THRESHOLD:
            lines.append(f"transfers {source} -> {target} reduced by {row.base - row.new:,.0f} units")
    return lines


@dataclass
class Replan:
    record: RunRecord
    tables: dict[str, pd.DataFrame]
    figures: dict[str, float]
    moves: list[str]
    changes: dict[str, float]  # scenario minus current, per headline figure


def replan(data: PlanningData, base_model: pyo.ConcreteModel, scenario: Scenario, *,
           time_limit: float = 60.0, trigger: str = "scenario") -> Replan:
    """Re-plan `data` under `scenario` from the solved `base_model`, frozen for the near periods."""
    started = time.perf_counter()
    changed = apply(data, scenario)
    model = build_model(changed, synchronized=True)
    _freeze(model, base_model, scenario, changed)
    _anchor(model, base_model)
    record = solve(model, scenario=scenario.name, trigger=trigger, time_limit=time_limit,
                   build_seconds=time.perf_counter() - started, source_load_ids=data.source_load_ids)
    tables = report(model, changed)
    base_tables = report(base_model, data)
    figures = plan_summary(model, tables, changed)
    base_figures = plan_summary(base_model, base_tables, data)
    return Replan(record, tables, figures, what_moved(base_tables, tables),
                  {k: figures[k] - base_figures[k] for k in figures})
