"""Network design: which (plant, product family) assignments to open, at a fixed cost each, so that
customers' demand is served at least total cost under capacity: a capacitated facility location MIP.
Multi-sourcing is allowed; demand that no open assignment can serve is penalized, never infeasible.

Built with joins and numpy straight into HiGHS (one `passModel`, as `optimization.arrays` does for the
plan): every flow is one row of a join (options x demand x serve cost), so the build is linear in the
flows; a Pyomo build that looked up each constraint's flows by scanning all of them was quadratic.

    min   sum fixed[o] open[o] + sum cost[p,c] flow[p,c,f] + PENALTY sum unserved[c,f]
    s.t.  sum_p flow[p,c,f] + unserved[c,f] = need[c,f]                 (served, per demand)
          sum_c flow[p,c,f] <= capacity[p,f] open[p,f]                  (capacity, per option)
          flow[p,c,f] <= min(need[c,f], capacity[p,f]) open[p,f]        (linking, per flow)
          open binary, flow and unserved >= 0

The linking rows follow from the other two (a flow never exceeds its demand, nor its option's capacity,
and is 0 when the option is closed), so they cut off no design; but they cut off the LP relaxation's
fractional designs that open a sliver of every option (open = its flows / capacity), which lifts the
relaxation's bound close to the optimum (at 100 sites x 1000 customers from 53 163 to 70 446, the best
design found costing 70 690; benchmarks/results/design.md). There is one per flow, and with
all of them the LP relaxation alone took HiGHS 56 s, so they are added only where the LP relaxation
violates them, round after round, before the MIP starts: a few thousand reach the bound of all of them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd
from scipy import sparse

from optimization.arrays import highs_lp, outcome

UNSERVED_PENALTY = 1e4  # per unit
# HiGHS stopped early: the status reported when it holds a design (an incumbent) it has not proven optimal
STOPPED = {highspy.HighsModelStatus.kTimeLimit: "time_limit", highspy.HighsModelStatus.kSolutionLimit: "node_limit",
           highspy.HighsModelStatus.kInterrupt: "interrupted"}


@dataclass
class Design:
    """The best design HiGHS found; `status` says whether it is proven optimal (`gap` 0 up to the
    requested `mip_gap`) or the best found when a limit stopped the search (`gap` how far it may be)."""

    status: str  # optimal | time_limit | node_limit | interrupted
    chosen: pd.DataFrame  # plant_code, product_family, is_open
    flows: pd.DataFrame  # plant_code, customer_id, product_family, qty (qty > 0 only)
    unserved: pd.DataFrame  # customer_id, product_family, qty (qty > 0 only)
    costs: dict[str, float]  # fixed, serve, unserved
    total_cost: float
    best_bound: float  # no design costs less
    gap: float  # (total_cost - best_bound) / total_cost
    nodes: int
    linking_rows: int  # linking rows the LP relaxation needed (of one per flow)
    build_seconds: float
    solve_seconds: float


def design_network(demand: pd.DataFrame, options: pd.DataFrame, serve_cost: pd.DataFrame, *,
                   time_limit: float = 60.0, mip_gap: float = 1e-6, node_limit: int | None = None,
                   open_fixed: dict[tuple[str, str], int] | None = None, linking: bool = True) -> Design:
    """demand: customer_id, product_family, qty; options: plant_code, product_family, fixed_cost, capacity;
    serve_cost: plant_code, customer_id, cost_per_unit. `open_fixed` pins some options open (1) or
    closed (0); `linking=False` leaves out the linking rows (only to measure what they bring).
    Raises PlanningSolveError when HiGHS ends without any design."""
    started = time.perf_counter()
    need = demand.groupby(["customer_id", "product_family"], as_index=False).qty.sum()
    options = options.reset_index(drop=True)
    flows = (options[["plant_code", "product_family", "capacity"]].assign(option=np.arange(len(options)))
             .merge(need.assign(demand=np.arange(len(need))), on="product_family")
             .merge(serve_cost, on=["plant_code", "customer_id"]))
    n_open, n_flow, n_demand = len(options), len(flows), len(need)
    flow_columns = n_open + np.arange(n_flow)
    option, demand_of = flows.option.to_numpy(), flows.demand.to_numpy()
    capacity = options.capacity.to_numpy(float)

    # served rows (one per demand) first, capacity rows (one per option) next
    rows = [demand_of, np.arange(n_demand), n_demand + option, n_demand + np.arange(n_open)]
    columns = [flow_columns, n_open + n_flow + np.arange(n_demand), flow_columns, np.arange(n_open)]
    values = [np.ones(n_flow), np.ones(n_demand), np.ones(n_flow), -capacity]
    row_bound = need.qty.to_numpy(float)
    row_lower = np.concatenate([row_bound, np.full(n_open, -np.inf)])
    row_upper = np.concatenate([row_bound, np.zeros(n_open)])
    n_columns = n_open + n_flow + n_demand
    matrix = sparse.coo_array((np.concatenate(values), (np.concatenate(rows), np.concatenate(columns))),
                              shape=(len(row_lower), n_columns)).tocsc()
    cost = np.concatenate([options.fixed_cost.to_numpy(float), flows.cost_per_unit.to_numpy(float),
                           np.full(n_demand, UNSERVED_PENALTY)])
    most = np.minimum(row_bound[demand_of], capacity[option])  # the most a flow can carry when its option is open
    col_lower, col_upper = np.zeros(n_columns), np.concatenate([np.ones(n_open), most, np.full(n_demand, np.inf)])
    position = {key: i for i, key in enumerate(zip(options.plant_code, options.product_family))}
    for key, value in (open_fixed or {}).items():
        col_lower[position[key]] = col_upper[position[key]] = value

    lp = highs_lp(matrix, cost, col_lower, col_upper, row_lower, row_upper)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("mip_rel_gap", float(mip_gap))
    if node_limit is not None:
        highs.setOptionValue("mip_max_nodes", int(node_limit))
    highs.passModel(lp)
    built = time.perf_counter()

    def run() -> None:
        highs.setOptionValue("time_limit", max(0.0, time_limit - (time.perf_counter() - built)))
        highs.run()

    linking_rows = 0
    while linking:  # the LP relaxation, with the linking rows it violates added, until it violates none
        run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break
        x = np.asarray(highs.getSolution().col_value)
        violated = np.flatnonzero(x[flow_columns] > most * x[option] + 1e-6 * most)
        if len(violated) == 0:
            break
        k = len(violated)
        highs.addRows(k, np.full(k, -np.inf), np.zeros(k), 2 * k, np.arange(0, 2 * k, 2),
                      np.column_stack([flow_columns[violated], option[violated]]).ravel(),
                      np.column_stack([np.ones(k), -most[violated]]).ravel())
        linking_rows += k
    highs.changeColsIntegrality(n_open, np.arange(n_open), np.full(n_open, highspy.HighsVarType.kInteger))
    run()
    solved = time.perf_counter()

    status, info = outcome(highs, STOPPED, "network design"), highs.getInfo()
    x = np.asarray(highs.getSolution().col_value)
    is_open = np.round(x[:n_open]) == 1
    flow_qty, unserved_qty = x[n_open:n_open + n_flow], x[n_open + n_flow:]
    costs = {"fixed": float(cost[:n_open] @ is_open), "serve": float(cost[n_open:n_open + n_flow] @ flow_qty),
             "unserved": float(UNSERVED_PENALTY * unserved_qty.sum())}
    total = float(info.objective_function_value)
    return Design(
        status=status,
        chosen=options[["plant_code", "product_family"]].assign(is_open=is_open),
        flows=flows[["plant_code", "customer_id", "product_family"]].assign(qty=flow_qty)[flow_qty > 1e-9]
        .reset_index(drop=True),
        unserved=need[["customer_id", "product_family"]].assign(qty=unserved_qty)[unserved_qty > 1e-9]
        .reset_index(drop=True),
        costs=costs, total_cost=total, best_bound=float(info.mip_dual_bound), gap=float(info.mip_gap),
        nodes=int(info.mip_node_count), linking_rows=linking_rows,
        build_seconds=built - started, solve_seconds=solved - built)
