"""Generated planning networks for the planning benchmark and the route-agreement tests.

`generate(plants, items, periods, seed)` is deterministic for its arguments. The network is sparse like
a real one: each plant has lanes to two or three others, each item is made at one to three plants, a
fifth of the items have a bill of materials (components may have their own, so it is multi-level),
each customer buys up to a dozen of the items its home plant makes or receives by lane, and work-center hours are set around the expected load so that some
bind and need overtime.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimization.data import PlanningData

CUSTOMERS_PER_PLANT = 5
WORK_CENTERS_PER_PLANT = 2


def generate(plants: int, items: int, periods: int, seed: int = 0, demand_factor: float = 1.0) -> PlanningData:
    """A validated network; `demand_factor` scales demand after capacity is set (above ~2 it outgrows
    capacity and overtime)."""
    rng = np.random.default_rng([plants, items, periods, seed])
    plant_codes = [f"P{p:02d}" for p in range(plants)]
    item_ids = [f"I{i:04d}" for i in range(items)]
    unit_cost = rng.uniform(5, 50, items).round(2)
    item_table = pd.DataFrame({"item_id": item_ids, "production_cost": unit_cost,
                               "holding_cost": (unit_cost * 0.005).round(3), "backlog_penalty": unit_cost * 2})

    makers = {i: sorted(rng.choice(plants, size=min(plants, int(rng.integers(1, 4))), replace=False))
              for i in range(items)}
    routings = [(plant_codes[p], f"{plant_codes[p]}-W{w}", item_ids[i], round(float(rng.uniform(0.05, 0.5)), 3))
                for i, at in makers.items() for p in at
                for w in sorted(rng.choice(WORK_CENTERS_PER_PLANT, size=int(rng.integers(1, 3)), replace=False))]
    routings = pd.DataFrame(routings, columns=["plant_code", "work_center_id", "item_id", "hours_per_unit"])

    bom = [(item_ids[i], item_ids[c], float(rng.integers(1, 4)))
           for i in range(items - 1) if rng.random() < 0.2
           for c in sorted(set(rng.integers(i + 1, items, size=int(rng.integers(1, 3)))))]
    bom = pd.DataFrame(bom, columns=["parent_item_id", "component_item_id", "qty_per"])

    lanes = {}
    for p in range(plants):
        others = [q for q in range(plants) if q != p]
        targets = {(p + 1) % plants} | set(rng.choice(others, size=min(len(others), int(rng.integers(1, 3))),
                                                       replace=False)) if others else set()
        for q in sorted(targets - {p}):
            lanes[(plant_codes[p], plant_codes[q])] = (7 * int(rng.integers(0, 3)), round(float(rng.uniform(0.5, 3)), 2),
                                                       float(rng.integers(200, 2000)) if rng.random() < 0.5
                                                       else np.nan)
    lanes = pd.DataFrame([(f, t, *v) for (f, t), v in lanes.items()],
                         columns=["from_plant_code", "to_plant_code", "transit_days", "cost_per_unit",
                                  "capacity_per_period"])

    lanes_index = set(zip(lanes.from_plant_code, lanes.to_plant_code))
    customers = [(f"C{p:02d}{k}", plant_codes[p]) for p in range(plants) for k in range(CUSTOMERS_PER_PLANT)]
    delivery = []
    for customer, home in customers:
        others = [c for c in plant_codes if c != home]
        delivery.append((home, customer, round(float(rng.uniform(0.5, 1.5)), 2)))
        for other in rng.choice(others, size=min(len(others), int(rng.integers(1, 3))), replace=False):
            delivery.append((str(other), customer, round(float(rng.uniform(1, 4)), 2)))
    delivery = pd.DataFrame(delivery, columns=["plant_code", "customer_id", "cost_per_unit"])

    season = 1 + 0.3 * np.sin(np.arange(periods) / max(periods, 1) * 2 * np.pi)
    demand = []
    reachable = {home: sorted({i for i, at in makers.items() for p in at
                               if plant_codes[p] == home or (plant_codes[p], home) in lanes_index})
                 for home in plant_codes}
    for customer, home in customers:
        for i in sorted(set(rng.choice(reachable[home], size=12))):
            base = rng.uniform(5, 60)
            qty = rng.poisson(base * season)
            demand += [(customer, item_ids[i], t + 1, float(q), home) for t, q in enumerate(qty) if q > 0]
    demand = pd.DataFrame(demand, columns=["customer_id", "item_id", "period", "qty", "home_plant_code"])

    capacity = _capacity(routings, demand, bom, periods, rng)
    demand["qty"] *= demand_factor
    stocked = routings[["plant_code", "item_id"]].drop_duplicates().sample(frac=0.3, random_state=seed)
    initial = stocked.assign(qty=rng.integers(0, 200, len(stocked)).astype(float))
    safety = stocked.sample(frac=0.5, random_state=seed).assign(qty=lambda f: rng.integers(10, 80, len(f)).astype(float))
    supply = _fixed_supply(routings, demand, lanes)
    return PlanningData(periods=periods, plants=pd.DataFrame({"plant_code": plant_codes}), items=item_table,
                        capacity=capacity, routings=routings, bom=bom, lanes=lanes, delivery_lanes=delivery,
                        demand=demand, initial_inventory=initial.reset_index(drop=True),
                        safety_stock=safety.reset_index(drop=True), fixed_supply=supply).validate()


def _capacity(routings: pd.DataFrame, demand: pd.DataFrame, bom: pd.DataFrame, periods: int,
              rng: np.random.Generator) -> pd.DataFrame:
    """Hours around the load each work center would see if every item's demand (and one level of its
    components) were split evenly over its makers: between 60 % and 140 % of it, so some centers bind."""
    need = demand.groupby("item_id").qty.sum() / periods
    components = bom.merge(need.rename("parent_qty"), left_on="parent_item_id", right_index=True)
    need = need.add((components.parent_qty * components.qty_per).groupby(components.component_item_id).sum(),
                    fill_value=0)
    makers = routings.groupby("item_id").plant_code.nunique()
    load = routings.assign(hours=routings.item_id.map(need).fillna(0) / routings.item_id.map(makers)
                           * routings.hours_per_unit).groupby(["plant_code", "work_center_id"]).hours.sum()
    rows = []
    for (plant, center), hours in load.items():
        level = max(hours, 1.0) * rng.uniform(0.6, 1.4)
        rows += [(plant, center, t, round(level, 1), round(0.25 * level, 1), float(rng.integers(40, 80)))
                 for t in range(1, periods + 1)]
    return pd.DataFrame(rows, columns=["plant_code", "work_center_id", "period", "available_hours",
                                       "overtime_limit_hours", "overtime_cost"])


def _fixed_supply(routings: pd.DataFrame, demand: pd.DataFrame, lanes: pd.DataFrame) -> pd.DataFrame:
    """Where a customer's home plant cannot make an item, the first maker with a lane to it supplies it."""
    wanted = demand[["home_plant_code", "item_id"]].drop_duplicates()
    made = set(zip(routings.plant_code, routings.item_id))
    wanted = wanted[[(p, i) not in made for p, i in zip(wanted.home_plant_code, wanted.item_id)]]
    routes = lanes.merge(routings[["plant_code", "item_id"]].drop_duplicates(), left_on="from_plant_code",
                         right_on="plant_code").merge(wanted, left_on=["to_plant_code", "item_id"],
                                                      right_on=["home_plant_code", "item_id"])
    first = routes.sort_values(["to_plant_code", "item_id", "from_plant_code"]).drop_duplicates(
        ["to_plant_code", "item_id"])
    return first[["from_plant_code", "to_plant_code", "item_id"]].reset_index(drop=True).assign(qty_per_period=float("nan"))
