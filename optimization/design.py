"""Network design: which (plant, product family) assignments to open, at a fixed cost each, so that
customers' demand is served at least total cost under capacity: a capacitated facility location MIP.
Multi-sourcing is allowed; demand that no open assignment can serve is penalized, never infeasible.
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo
from pyomo.contrib.solver.common.factory import SolverFactory

UNSERVED_PENALTY = 1e4  # per unit


def build_design_model(demand: pd.DataFrame, options: pd.DataFrame, serve_cost: pd.DataFrame,
                       open_fixed: dict[tuple[str, str], int] | None = None) -> pyo.ConcreteModel:
    """demand: customer_id, product_family, qty; options: plant_code, product_family, fixed_cost, capacity;
    serve_cost: plant_code, customer_id, cost_per_unit. `open_fixed` pins some decisions (0 or 1)."""
    need = demand.groupby(["customer_id", "product_family"]).qty.sum().to_dict()
    option = options.set_index(["plant_code", "product_family"])
    cost = serve_cost.set_index(["plant_code", "customer_id"]).cost_per_unit
    flows = [(p, c, f) for (p, f) in option.index for (c, f2) in need if f2 == f and (p, c) in cost.index]
    m = pyo.ConcreteModel(name="network_design")
    m.OPTIONS = pyo.Set(initialize=list(option.index), dimen=2)
    m.DEMAND = pyo.Set(initialize=sorted(need), dimen=2)
    m.FLOWS = pyo.Set(initialize=flows, dimen=3)
    m.open = pyo.Var(m.OPTIONS, domain=pyo.Binary)
    m.flow = pyo.Var(m.FLOWS, domain=pyo.NonNegativeReals)
    m.unserved = pyo.Var(m.DEMAND, domain=pyo.NonNegativeReals)

    @m.Constraint(m.DEMAND)
    def served(m, c, f):
        return sum(m.flow[p, c2, f2] for (p, c2, f2) in flows if (c2, f2) == (c, f)) + m.unserved[c, f] == need[(c, f)]

    @m.Constraint(m.OPTIONS)
    def capacity(m, p, f):
        return sum(m.flow[p2, c, f2] for (p2, c, f2) in flows if (p2, f2) == (p, f)) \
            <= float(option.capacity[(p, f)]) * m.open[p, f]

    for key, value in (open_fixed or {}).items():
        m.open[key].fix(value)
    m.total_cost = pyo.Objective(
        expr=sum(float(option.fixed_cost[k]) * m.open[k] for k in m.OPTIONS)
        + sum(float(cost[(p, c)]) * m.flow[p, c, f] for (p, c, f) in flows)
        + UNSERVED_PENALTY * sum(m.unserved[k] for k in m.DEMAND))
    return m


def design_network(demand: pd.DataFrame, options: pd.DataFrame, serve_cost: pd.DataFrame,
                   time_limit: float = 60.0, mip_gap: float = 1e-6) -> tuple[pd.DataFrame, float]:
    """The assignments to open and the total cost of the best design found."""
    m = build_design_model(demand, options, serve_cost)
    SolverFactory("highs").solve(m, time_limit=time_limit, rel_gap=mip_gap)
    chosen = pd.DataFrame([(p, f, round(m.open[p, f].value or 0) == 1) for (p, f) in m.OPTIONS],
                          columns=["plant_code", "product_family", "is_open"])
    return chosen, float(pyo.value(m.total_cost))
