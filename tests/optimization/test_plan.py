"""The network plan on small instances whose optimum is known by hand, and properties of real plans."""

import pandas as pd
import pytest

from optimization import PlanningData, PlanningInputError, build_model, plan_summary, report, routes, solve


def instance(periods=2, demand=((1, 10), (2, 10)), plants=("A",), capacity_hours=8.0, overtime_limit=5.0,
             alternate=None, down=()):
    """One item X sold to customer C; plant A (and optionally an alternate plant B) can make it."""
    makers = list(plants) + ([alternate] if alternate else [])
    cap = [(p, f"{p}-W", t, 0.0 if (p, t) in down else capacity_hours, 0.0 if (p, t) in down else overtime_limit, 3.0)
           for p in makers for t in range(1, periods + 1)]
    return PlanningData(
        periods=periods,
        plants=pd.DataFrame({"plant_code": makers}),
        items=pd.DataFrame({"item_id": ["X"], "production_cost": [1.0], "holding_cost": [0.5],
                            "backlog_penalty": [100.0]}),
        capacity=pd.DataFrame(cap, columns=["plant_code", "work_center_id", "period", "available_hours",
                                            "overtime_limit_hours", "overtime_cost"]),
        routings=pd.DataFrame([(p, f"{p}-W", "X", 1.0) for p in makers],
                              columns=["plant_code", "work_center_id", "item_id", "hours_per_unit"]),
        bom=pd.DataFrame(columns=["parent_item_id", "component_item_id", "qty_per"]),
        lanes=pd.DataFrame(columns=["from_plant_code", "to_plant_code", "transit_days", "cost_per_unit",
                                    "capacity_per_period"]),
        delivery_lanes=pd.DataFrame([(p, "C", 0.0 if p == "A" else 0.5) for p in makers],
                                    columns=["plant_code", "customer_id", "cost_per_unit"]),
        demand=pd.DataFrame([("C", "X", t, q, "A") for t, q in demand],
                            columns=["customer_id", "item_id", "period", "qty", "home_plant_code"]),
        initial_inventory=pd.DataFrame(columns=["plant_code", "item_id", "qty"]),
        safety_stock=pd.DataFrame(columns=["plant_code", "item_id", "qty"]),
        fixed_supply=pd.DataFrame(columns=["from_plant_code", "to_plant_code", "item_id", "qty_per_period"]),
    ).validate()


def plan(data, synchronized=True):
    model = build_model(data, synchronized)
    record = solve(model, time_limit=30)
    return model, record, report(model, data)


def test_capacity_binding_uses_overtime_at_its_cost():
    # 10 units a period on 8 hours: 2 overtime hours a period at 3 EUR, 20 units at 1 EUR: 32 EUR.
    _, record, tables = plan(instance())
    assert record.status == "optimal"
    assert record.objective == pytest.approx(20 * 1.0 + 4 * 3.0)
    assert tables["capacity"].overtime_hours.sum() == pytest.approx(4.0)
    assert tables["backlog"].empty


def test_building_ahead_beats_overtime_when_holding_is_cheaper():
    # Period 1 has 2 spare hours and period 2 needs 2 more than it has: build ahead, hold 2 units at 0.5.
    _, record, tables = plan(instance(demand=((1, 6), (2, 10))))
    assert record.objective == pytest.approx(16 * 1.0 + 2 * 0.5)
    production = tables["production"].set_index("period").qty
    assert production[1] == pytest.approx(8) and production[2] == pytest.approx(8)


def test_a_parent_needs_its_components_from_somewhere():
    # X needs one C; nobody makes C and no plant holds any: X cannot be made, its demand stays backlogged.
    data = instance()
    data.items = pd.concat([data.items, data.items.assign(item_id="C")], ignore_index=True)
    data.bom = pd.DataFrame([("X", "C", 1.0)], columns=["parent_item_id", "component_item_id", "qty_per"])
    _, _, tables = plan(data.validate())
    assert tables["production"].qty.sum() == pytest.approx(0.0)
    assert tables["backlog"].query("period == 2").qty.sum() == pytest.approx(20.0)
    data.initial_inventory = pd.DataFrame([("A", "C", 5.0)], columns=["plant_code", "item_id", "qty"])
    _, _, tables = plan(data.validate())  # five components in stock: five X
    assert tables["production"].qty.sum() == pytest.approx(5.0)


def test_impossible_demand_is_a_bottleneck_report_not_an_exception():
    _, record, tables = plan(instance(demand=((1, 100), (2, 100))))
    assert record.status == "optimal"
    kinds = set(tables["bottlenecks"].kind)
    assert {"unmet_demand", "work_center"} <= kinds
    unmet = tables["bottlenecks"].query("kind == 'unmet_demand'").amount.sum()
    assert unmet == pytest.approx(200 - 2 * 13)
    assert ("A-W runs at its full regular hours in periods 1-2, plus 10.0 h of overtime; "
            "no overtime left in periods 1-2.") in tables["bottlenecks"].message.tolist()


def test_taking_a_plant_down_moves_its_load_to_the_alternate():
    demand = ((1, 8), (2, 8))
    base = plan(instance(alternate="B", demand=demand))[2]["production"]
    assert set(base.plant_code) == {"A"}  # A fits it in regular hours and ships for free
    down = plan(instance(alternate="B", demand=demand, down=[("A", 1), ("A", 2)]))[2]["production"]
    assert set(down.plant_code) == {"B"} and down.qty.sum() == pytest.approx(16)


def test_synchronized_never_costs_more_than_each_plant_alone():
    data = instance(alternate="B", demand=((1, 20), (2, 20)))
    sync_model, sync_record, sync_tables = plan(data, synchronized=True)
    alone_model, alone_record, alone_tables = plan(data, synchronized=False)
    assert sync_record.objective <= alone_record.objective + 1e-6
    assert set(alone_tables["production"].plant_code) == {"A"}  # alone, only the home plant works
    assert plan_summary(sync_model, sync_tables, data)["fill_rate"] >= \
        plan_summary(alone_model, alone_tables, data)["fill_rate"]


def test_flow_balance_and_capacity_hold():
    data = instance(alternate="B", demand=((1, 15), (2, 12)))
    _, _, tables = plan(data)
    produced = tables["production"].qty.sum()
    shipped = tables["shipments"].qty.sum()
    end_stock = tables["inventory"].query("period == 2").qty.sum()
    assert produced == pytest.approx(shipped + end_stock)
    cap = tables["capacity"]
    assert (cap.used_hours <= cap.available_hours + cap.overtime_hours + 1e-6).all()


def test_bad_input_names_table_row_and_column():
    data = instance()
    data.routings.loc[0, "hours_per_unit"] = 0.0
    with pytest.raises(PlanningInputError, match="routings: row 0: column hours_per_unit: must be positive"):
        data.validate()
    data = instance()
    data.demand.loc[1, "item_id"] = "Y"
    with pytest.raises(PlanningInputError, match="demand: row 1: column item_id: unknown item 'Y'"):
        data.validate()


def test_disruption_replan_moves_load_to_the_alternate_and_says_so():
    from optimization.scenario import Scenario, replan

    data = instance(periods=4, alternate="B", demand=((1, 8), (2, 8), (3, 8), (4, 8)))
    base = routes.plan(data, route="pyomo")
    result = replan(data, base, Scenario("A down", down=[("A", 3, 4)], frozen_periods=1))
    assert result.record.status == "optimal"
    production = result.tables["production"]
    assert set(production[production.period >= 3].plant_code) == {"B"}
    assert "plant B picks up 16 units of X in periods 3-4" in result.moves
    assert "plant A drops 16 units of X in periods 3-4" in result.moves
    assert result.changes["total_cost"] == pytest.approx(16 * 0.5)  # B ships at 0.5 EUR a unit more
    assert data.capacity.available_hours.min() == 8.0  # the scenario ran on a copy of the inputs


def test_demand_surge_in_the_frozen_horizon_cannot_change_what_is_already_fixed():
    from optimization.scenario import Scenario, replan

    data = instance(periods=3, demand=((1, 5), (2, 5), (3, 5)))
    base = routes.plan(data, route="pyomo")
    result = replan(data, base, Scenario("surge", demand_factor=[("X", None, 2.0, 1, 3)], frozen_periods=1))
    production = result.tables["production"].set_index("period").qty
    assert production[1] == pytest.approx(5)  # frozen: the current plan's quantity
    assert result.figures["end_backlog_units"] == pytest.approx(0)
    assert result.changes["total_cost"] > 0


def test_rebalancing_moves_excess_to_shortage_cheapest_lane_first_within_capacity():
    from optimization.rebalance import rebalance

    positions = pd.DataFrame([("A", "X", 100, 10, 40), ("B", "X", 90, 10, 60), ("C", "X", 0, 50, 80)],
                             columns=["plant_code", "item_id", "on_hand_qty", "safety_stock_qty", "max_stock_qty"])
    lanes = pd.DataFrame([("A", "C", 2, 1.0, 20.0), ("B", "C", 5, 0.5, None)],
                         columns=["from_plant_code", "to_plant_code", "transit_days", "cost_per_unit", "capacity"])
    moves = rebalance(positions, lanes).set_index("from_plant_code")
    # C needs 50. B is cheaper but has only 30 above its target; A covers the other 20, its lane's capacity.
    assert moves.qty["B"] == pytest.approx(30) and moves.qty["A"] == pytest.approx(20)
    assert moves.cost.sum() == pytest.approx(30 * 0.5 + 20 * 1.0)
    assert moves.transit_days["A"] == 2


def test_network_design_mip_equals_brute_force_enumeration():
    import itertools

    from optimization.design import design_network

    demand = pd.DataFrame([("C1", "DISC", 60), ("C2", "DISC", 50), ("C1", "CAL", 40), ("C2", "CAL", 30)],
                          columns=["customer_id", "product_family", "qty"])
    options = pd.DataFrame([("A", "DISC", 500, 80), ("B", "DISC", 300, 70), ("A", "CAL", 200, 100),
                            ("B", "CAL", 450, 100)], columns=["plant_code", "product_family", "fixed_cost", "capacity"])
    serve = pd.DataFrame([("A", "C1", 1.0), ("A", "C2", 4.0), ("B", "C1", 5.0), ("B", "C2", 1.5)],
                         columns=["plant_code", "customer_id", "cost_per_unit"])
    design = design_network(demand, options, serve)
    chosen, cost = design.chosen, design.total_cost
    keys = list(zip(options.plant_code, options.product_family))
    best = float("inf")
    for pattern in itertools.product([0, 1], repeat=len(keys)):
        best = min(best, design_network(demand, options, serve, open_fixed=dict(zip(keys, pattern))).total_cost)
    assert cost == pytest.approx(best)
    assert chosen.is_open.any()


@pytest.mark.parametrize("route", ["pyomo", "arrays"])
def test_the_plan_ends_its_horizon_at_safety_stock_rather_than_running_it_down(route):
    # 10 on hand = safety stock, 5 a period sold, production at 5 EUR: a 2 EUR penalty per unit and period
    # below safety stock alone would let the last period sell the safety stock (10 short: 20 EUR < 50 EUR).
    data = instance(periods=3, demand=((1, 5), (2, 5), (3, 5)))
    data.items = data.items.assign(production_cost=5.0)
    data.initial_inventory = pd.DataFrame([("A", "X", 10.0)], columns=["plant_code", "item_id", "qty"])
    data.safety_stock = pd.DataFrame([("A", "X", 10.0)], columns=["plant_code", "item_id", "qty"])
    result = routes.plan(data.validate(), synchronized=True, route=route)
    stock = result.tables["inventory"].set_index("period").qty
    assert stock[3] == pytest.approx(10.0)
    assert result.tables["production"].qty.sum() == pytest.approx(15.0)
