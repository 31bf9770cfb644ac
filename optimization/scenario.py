"""Disruption re-plans: change the inputs, re-plan from the current plan with a frozen near horizon,
and say in plain words what moved and what it costs.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from optimization.data import PlanningData, supplier_capacity_by_period
from optimization.model import index_sets
from optimization.routes import PlanResult, plan
from optimization.solve import RunRecord

MOVE_THRESHOLD = 0.5  # units: smaller differences are solver noise, not a move


@dataclass
class Scenario:
    """What happens: resources down, capacity cut, a supplier cut, demand up. Periods are inclusive ranges."""

    name: str
    down: list[tuple[str, int, int]] = field(default_factory=list)  # plant code or work center id, periods
    capacity_share: list[tuple[str, float, int, int]] = field(default_factory=list)  # plant or wc keeps a share
    demand_factor: list[tuple[str | None, str | None, float, int, int]] = field(default_factory=list)
    supplier_share: list[tuple[str, float, int, int]] = field(default_factory=list)  # supplier keeps a share
    # (item or None for all, customer or None for all, factor, first period, last period)
    frozen_periods: int = 1


def apply(data: PlanningData, scenario: Scenario) -> PlanningData:
    """A copy of the inputs with the scenario's changes; the original is never touched."""
    changed = copy.deepcopy(data)
    # as floats: a share of whole hours or a factor on whole units need not be whole
    capacity = changed.capacity = changed.capacity.astype({"available_hours": float, "overtime_limit_hours": float})
    cuts = [(who, 0.0, first, last) for who, first, last in scenario.down] + list(scenario.capacity_share)
    for who, share, first, last in cuts:
        hit = ((capacity.plant_code == who) | (capacity.work_center_id == who)) & capacity.period.between(first, last)
        capacity.loc[hit, ["available_hours", "overtime_limit_hours"]] *= share
    demand = changed.demand = changed.demand.astype({"qty": float})
    for item, customer, factor, first, last in scenario.demand_factor:
        hit = demand.period.between(first, last)
        if item:
            hit &= demand.item_id == item
        if customer:
            hit &= demand.customer_id == customer
        demand.loc[hit, "qty"] *= factor
    if scenario.supplier_share:
        supply = changed.supplier_capacity = supplier_capacity_by_period(changed).astype({"qty_per_period": float})
        for supplier, share, first, last in scenario.supplier_share:
            supply.loc[(supply.supplier_id == supplier) & supply.period.between(first, last), "qty_per_period"] *= share
    return changed.validate()


def frozen(data: PlanningData, current: dict[str, pd.DataFrame], scenario: Scenario) -> dict[str, pd.DataFrame]:
    """Production, purchases and transfers of the frozen periods, pinned to the current plan (nothing where
    it has nothing), except production at plants whose capacity the scenario cuts and purchases from
    suppliers it cuts in those periods: a plan that cannot run is not kept."""
    sets = index_sets(data, synchronized=True)
    capacity = data.capacity
    cuts = [(who, first, last) for who, first, last in scenario.down]
    cuts += [(who, first, last) for who, _, first, last in scenario.capacity_share]
    cut = pd.DataFrame([(plant, period) for who, first, last in cuts
                        for plant in set(capacity.loc[(capacity.plant_code == who) | (capacity.work_center_id == who),
                                                      "plant_code"])
                        for period in range(first, last + 1)], columns=["plant_code", "period"]).drop_duplicates()
    supplier_cut = pd.DataFrame([(supplier, period) for supplier, _, first, last in scenario.supplier_share
                                 for period in range(first, last + 1)], columns=["supplier_id", "period"])
    unrunnable = {"production": cut, "purchases": supplier_cut.drop_duplicates()}
    pinned = {}
    for family in ("production", "purchases", "transfers"):
        keys = sets[family].merge(pd.DataFrame({"period": range(1, scenario.frozen_periods + 1)}), how="cross")
        planned = current[family][[*sets[family].columns, "period", "qty"]]
        keys = keys.merge(planned, how="left").fillna({"qty": 0.0})
        if family in unrunnable:
            keys = keys.merge(unrunnable[family].assign(cut=True), how="left")
            keys = keys[keys.cut.isna()].drop(columns="cut")
        pinned[family] = keys
    return pinned


def _ranges(periods: list[int]) -> str:
    periods = sorted(periods)
    return f"period {periods[0]}" if len(periods) == 1 else f"periods {periods[0]}-{periods[-1]}"


def what_moved(base: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame]) -> list[str]:
    """Plain sentences: which plant picks up or drops how much of which item, which transfers and purchases
    change."""
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
    buyers = ["plant_code", "supplier_id", "item_id"]
    purchases = (base["purchases"].groupby(buyers).qty.sum().rename("base").to_frame()
                 .join(new["purchases"].groupby(buyers).qty.sum().rename("new"), how="outer").fillna(0))
    for (plant, supplier, item), row in purchases.iterrows():
        change = row.new - row.base
        if abs(change) > MOVE_THRESHOLD:
            lines.append(f"plant {plant} buys {abs(change):,.0f} {'more' if change > 0 else 'fewer'} units of {item} "
                         f"from {supplier}")
    return lines


@dataclass
class Replan:
    record: RunRecord
    tables: dict[str, pd.DataFrame]
    figures: dict[str, float]
    moves: list[str]
    changes: dict[str, float]  # scenario minus current, per headline figure


def replan(data: PlanningData, base: PlanResult, scenario: Scenario, *, time_limit: float = 60.0,
           trigger: str = "scenario", route: str = "arrays", made_at: datetime | None = None) -> Replan:
    """Re-plan `data` under `scenario` from the current plan `base`, frozen for the near periods; `route` as
    in `plan`."""
    changed = apply(data, scenario)
    result = plan(changed, synchronized=True, scenario=scenario.name, trigger=trigger, time_limit=time_limit,
                  route=route, fixed=frozen(changed, base.tables, scenario), anchor=base.tables, made_at=made_at)
    return Replan(result.record, result.tables, result.figures, what_moved(base.tables, result.tables),
                  {k: result.figures[k] - base.figures[k] for k in result.figures})
