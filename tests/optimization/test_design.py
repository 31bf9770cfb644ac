"""The network-design MIP against enumeration of every open pattern, and its status, gap and limits."""

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from benchmarks.design import generate
from optimization.design import UNSERVED_PENALTY, design_network
from optimization.solve import PlanningSolveError


def cheapest_with(pattern, demand, options, serve_cost) -> float:
    """Fixed cost of the open options plus the cheapest transportation under their capacities, as an LP
    written out term by term (one variable per option and customer, one for each unserved demand)."""
    need = demand.groupby(["customer_id", "product_family"]).qty.sum()
    cost = serve_cost.set_index(["plant_code", "customer_id"]).cost_per_unit
    arcs = [(o, d) for o, (p, f) in enumerate(zip(options.plant_code, options.product_family)) if pattern[o]
            for d, (c, f2) in enumerate(need.index) if f2 == f and (p, c) in cost.index]
    n = len(arcs) + len(need)
    c = [cost[(options.plant_code[o], need.index[d][0])] for o, d in arcs] + [UNSERVED_PENALTY] * len(need)
    a_eq = np.zeros((len(need), n))
    a_ub = np.zeros((len(options), n))
    for j, (o, d) in enumerate(arcs):
        a_eq[d, j] = a_ub[o, j] = 1.0
    a_eq[np.arange(len(need)), len(arcs) + np.arange(len(need))] = 1.0
    result = linprog(c, A_ub=a_ub, b_ub=options.capacity.to_numpy(float), A_eq=a_eq, b_eq=need.to_numpy(float))
    assert result.status == 0
    return float(np.dot(pattern, options.fixed_cost)) + result.fun


@settings(derandomize=True, database=None, max_examples=12, deadline=None)
@given(seed=st.integers(0, 10_000), ratio=st.sampled_from([0.6, 1.5, 4.0]), families=st.integers(1, 2))
def test_the_optimal_design_equals_enumeration_over_all_open_patterns(seed, ratio, families):
    demand, options, serve_cost = generate(3, 4, families, ratio=ratio, buys=0.7, seed=seed)
    serve_cost = serve_cost.sample(frac=0.8, random_state=seed)  # some plants cannot reach some customers
    design = design_network(demand, options, serve_cost)
    best = min(cheapest_with(pattern, demand, options, serve_cost)
               for pattern in itertools.product([0, 1], repeat=len(options)))
    assert design.status == "optimal"
    assert design.total_cost == pytest.approx(best, rel=1e-6)
    assert sum(design.costs.values()) == pytest.approx(design.total_cost, rel=1e-6)


def test_a_moderate_instance_is_proven_optimal_and_its_design_keeps_demand_and_capacity():
    demand, options, serve_cost = generate(15, 120, ratio=5.0, seed=3)
    design = design_network(demand, options, serve_cost)
    assert design.status == "optimal" and design.gap <= 1e-6
    assert design.best_bound == pytest.approx(design.total_cost, rel=1e-6)
    served = design.flows.groupby("customer_id").qty.sum()
    assert served.reindex(demand.customer_id).to_numpy() == pytest.approx(demand.qty.to_numpy())
    load = design.flows.groupby("plant_code").qty.sum()
    limit = options.set_index("plant_code").capacity.where(design.chosen.set_index("plant_code").is_open, 0.0)
    assert (load <= limit.reindex(load.index) + 1e-6).all()
    assert 0 < design.linking_rows < len(serve_cost)


def test_demand_no_open_option_can_reach_is_unserved_and_penalized():
    demand = pd.DataFrame([("C1", "DISC", 10.0), ("C2", "DISC", 5.0), ("C1", "CAL", 4.0)],
                          columns=["customer_id", "product_family", "qty"])
    options = pd.DataFrame([("A", "DISC", 100.0, 8.0)], columns=["plant_code", "product_family", "fixed_cost",
                                                                 "capacity"])
    serve_cost = pd.DataFrame([("A", "C1", 1.0)], columns=["plant_code", "customer_id", "cost_per_unit"])
    design = design_network(demand, options, serve_cost)
    # A opens and ships its 8 to C1; the other 2 of C1's discs, C2 (no lane) and the calipers (no option) go unserved
    unserved = design.unserved.set_index(["customer_id", "product_family"]).qty
    assert unserved.to_dict() == pytest.approx({("C1", "DISC"): 2.0, ("C2", "DISC"): 5.0, ("C1", "CAL"): 4.0})
    assert design.costs == pytest.approx({"fixed": 100.0, "serve": 8.0, "unserved": 11 * UNSERVED_PENALTY})


def test_a_search_stopped_by_its_node_limit_returns_its_incumbent_marked_with_its_gap():
    instance = generate(20, 150, ratio=3.0, seed=1)
    design = design_network(*instance, node_limit=1, linking=False)
    assert design.status == "node_limit"
    assert design.gap > 1e-4
    assert design.best_bound < design.total_cost
    assert design.total_cost >= design_network(*instance).total_cost - 1e-6


def test_no_design_at_all_is_an_error():
    with pytest.raises(PlanningSolveError, match="no network design"):
        design_network(*generate(20, 150, seed=1), time_limit=0.0)
