"""Inventory rebalancing now: move stock from plants above their target to plants below it, cheapest
first, within lane capacities; what cannot be covered is reported, not forced."""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo
from pyomo.contrib.solver.common.factory import SolverFactory

UNCOVERED_PENALTY = 1000.0  # per unit still short: far above any lane cost, so every feasible unit moves


def rebalance(positions: pd.DataFrame, lanes: pd.DataFrame) -> pd.DataFrame:
    """Transfers to make now.

    positions: plant_code, item_id, on_hand_qty, safety_stock_qty, max_stock_qty (what a plant keeps)
    lanes: from_plant_code, to_plant_code, transit_days, cost_per_unit, capacity (units now; NaN: none)
    Returns from_plant_code, to_plant_code, item_id, qty, cost, transit_days.
    """
    excess = {(r.plant_code, r.item_id): r.on_hand_qty - r.max_stock_qty for r in positions.itertuples()
              if r.on_hand_qty - r.max_stock_qty > 0}
    short = {(r.plant_code, r.item_id): r.safety_stock_qty - r.on_hand_qty for r in positions.itertuples()
             if r.safety_stock_qty - r.on_hand_qty > 0}
    lane = lanes.set_index(["from_plant_code", "to_plant_code"])
    moves = [(f, t, i) for (f, i) in excess for (t, i2) in short if i2 == i and (f, t) in lane.index]
    columns = ["from_plant_code", "to_plant_code", "item_id", "qty", "cost", "transit_days"]
    if not moves:
        return pd.DataFrame({"from_plant_code": [], "to_plant_code": [], "item_id": [], "qty": [], "cost": [],
                             "transit_days": []}).astype({"qty": "float64", "cost": "float64", "transit_days": "int64",
                                                          "from_plant_code": "str", "to_plant_code": "str",
                                                          "item_id": "str"})
    m = pyo.ConcreteModel(name="rebalancing")
    m.MOVES = pyo.Set(initialize=moves, dimen=3)
    m.SHORT = pyo.Set(initialize=sorted(short), dimen=2)
    m.move = pyo.Var(m.MOVES, domain=pyo.NonNegativeReals)
    m.uncovered = pyo.Var(m.SHORT, domain=pyo.NonNegativeReals)

    @m.Constraint(sorted({(f, i) for f, _, i in moves}))
    def available(m, p, i):
        return sum(m.move[f, t, i2] for (f, t, i2) in moves if (f, i2) == (p, i)) <= excess[(p, i)]

    @m.Constraint(m.SHORT)
    def covered(m, p, i):
        return sum(m.move[f, t, i2] for (f, t, i2) in moves if (t, i2) == (p, i)) + m.uncovered[p, i] == short[(p, i)]

    capped = {k: float(v) for k, v in lane.capacity.dropna().items() if any(mv[:2] == k for mv in moves)}

    @m.Constraint(list(capped))
    def lane_capacity(m, f, t):
        return sum(m.move[f, t, i] for (f2, t2, i) in moves if (f2, t2) == (f, t)) <= capped[(f, t)]

    m.cost = pyo.Objective(expr=sum(float(lane.cost_per_unit[(f, t)]) * m.move[f, t, i] for (f, t, i) in moves)
                           + UNCOVERED_PENALTY * sum(m.uncovered[k] for k in m.SHORT))
    SolverFactory("highs").solve(m)
    rows = [(f, t, i, m.move[f, t, i].value, m.move[f, t, i].value * float(lane.cost_per_unit[(f, t)]),
             int(lane.transit_days[(f, t)])) for (f, t, i) in moves if (m.move[f, t, i].value or 0) > 1e-6]
    return pd.DataFrame(rows, columns=columns).sort_values(["item_id", "cost"], ignore_index=True)
