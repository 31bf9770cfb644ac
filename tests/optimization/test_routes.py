"""The array route (production) solves the same plan as the Pyomo model (the reference), on a few fixed
generated networks; test_routes_property.py does the same on many small random ones."""

import pandas as pd
import pytest

from benchmarks.planning_instances import generate
from optimization.routes import plan
from optimization.scenario import Scenario, replan

INSTANCES = {
    "plain": {"plants": 3, "items": 12, "periods": 4, "seed": 1},
    "other network": {"plants": 4, "items": 15, "periods": 5, "seed": 2},
    "demand beyond capacity": {"plants": 3, "items": 12, "periods": 4, "seed": 3, "demand_factor": 6.0},
}


@pytest.mark.parametrize("synchronized", [True, False], ids=["synchronized", "coordinated"])
@pytest.mark.parametrize("name", list(INSTANCES))
def test_both_routes_reach_the_same_optimum(name, synchronized):
    data = generate(**INSTANCES[name])
    by_pyomo = plan(data, synchronized, route="pyomo")
    by_arrays = plan(data, synchronized, route="arrays")
    assert by_pyomo.record.settings["route"] == "pyomo" and by_arrays.record.settings["route"] == "arrays"
    assert by_arrays.record.status == by_pyomo.record.status == "optimal"
    assert by_arrays.record.objective == pytest.approx(by_pyomo.record.objective, rel=1e-6)
    assert by_arrays.figures["total_cost"] == pytest.approx(by_arrays.record.objective, rel=1e-9)
    for figure in ("production_cost", "backlog_cost", "total_cost"):
        assert by_arrays.figures[figure] == pytest.approx(by_pyomo.figures[figure], rel=1e-4, abs=1e-3)
    assert by_arrays.record.variables == by_pyomo.record.variables
    assert set(by_arrays.tables) == set(by_pyomo.tables)
    for table, frame in by_pyomo.tables.items():
        assert list(by_arrays.tables[table].columns) == list(frame.columns), table


def test_a_plant_alone_receives_no_more_than_its_fixed_supply_by_either_route():
    data = generate(**INSTANCES["other network"])
    assert len(data.fixed_supply)
    unbounded = plan(data, synchronized=False, route="pyomo")
    received = unbounded.tables["transfers"].groupby(["from_plant_code", "to_plant_code", "item_id"]).qty.max()
    data.fixed_supply["qty_per_period"] = received.reindex(
        pd.MultiIndex.from_frame(data.fixed_supply[["from_plant_code", "to_plant_code", "item_id"]])).to_numpy() / 2
    by_pyomo = plan(data, synchronized=False, route="pyomo")
    by_arrays = plan(data, synchronized=False, route="arrays")
    assert by_arrays.record.objective == pytest.approx(by_pyomo.record.objective, rel=1e-6)
    assert by_pyomo.record.objective > unbounded.record.objective  # half the supply costs something
    for result in (by_pyomo, by_arrays):
        moved = result.tables["transfers"].merge(data.fixed_supply)
        assert (moved.qty <= moved.qty_per_period + 1e-6).all()
    synchronized = plan(data, synchronized=True, route="pyomo")  # the network is not bound by it
    assert synchronized.record.objective <= by_pyomo.record.objective + 1e-6


def test_instances_cover_bill_of_materials_and_unmet_demand():
    data = generate(**INSTANCES["plain"])
    made = plan(data, route="arrays").tables["production"]
    parents = set(data.bom.parent_item_id) & set(made.item_id)
    assert parents, "some parent item with a bill of materials is made"
    short = plan(generate(**INSTANCES["demand beyond capacity"]), route="arrays").tables
    assert not short["backlog"].empty
    assert {"unmet_demand", "work_center"} <= set(short["bottlenecks"].kind)


def test_array_route_plan_balances_stock_and_respects_capacity():
    data = generate(**INSTANCES["demand beyond capacity"])
    tables = plan(data, route="arrays").tables
    keys = ["plant_code", "item_id", "period"]
    made = tables["production"].groupby(keys).qty.sum()
    consumed = (tables["production"].merge(data.bom, left_on="item_id", right_on="parent_item_id")
                .assign(qty=lambda f: f.qty * f.qty_per).groupby(["plant_code", "component_item_id", "period"]).qty.sum())
    consumed.index.names = keys
    arrived = tables["transfers"].groupby(["to_plant_code", "item_id", "arrival_period"]).qty.sum()
    arrived.index.names = keys
    left = tables["transfers"].groupby(["from_plant_code", "item_id", "period"]).qty.sum()
    left.index.names = keys
    shipped = tables["shipments"].groupby(keys).qty.sum()
    stock = tables["inventory"].set_index(keys).qty
    before = tables["inventory"].assign(period=lambda f: f.period + 1).set_index(keys).qty
    opening = data.initial_inventory.groupby(["plant_code", "item_id"]).qty.sum()
    start = pd.Series([opening.get((p, i), 0.0) if t == 1 else before.get((p, i, t), 0.0) for p, i, t in stock.index],
                      index=stock.index)
    change = start + sum(part.reindex(stock.index, fill_value=0.0) for part in (made, arrived)) \
        - sum(part.reindex(stock.index, fill_value=0.0) for part in (left, shipped, consumed))
    assert (stock - change).abs().max() < 1e-6

    capacity = tables["capacity"].merge(data.capacity)
    assert (capacity.used_hours <= capacity.available_hours + capacity.overtime_hours + 1e-6).all()
    assert (capacity.overtime_hours <= capacity.overtime_limit_hours + 1e-6).all()
    assert (capacity.used_hours >= capacity.available_hours + capacity.overtime_limit_hours - 1e-4).any()

    demanded = data.demand.groupby(["customer_id", "item_id", "period"]).qty.sum().groupby(level=[0, 1]).cumsum()
    served = tables["shipments"].groupby(["customer_id", "item_id", "period"]).qty.sum()
    served = served.reindex(demanded.index, fill_value=0.0).groupby(level=[0, 1]).cumsum()
    backlog = tables["backlog"].set_index(["customer_id", "item_id", "period"]).qty.reindex(demanded.index,
                                                                                           fill_value=0.0)
    assert ((demanded - served) - backlog).abs().max() < 1e-6


def test_replan_by_either_route_keeps_the_frozen_period_and_agrees():
    data = generate(**INSTANCES["plain"])
    base = plan(data, route="arrays")
    down = Scenario("P00 down", down=[("P00", 3, 4)], frozen_periods=2)
    by_arrays = replan(data, base, down, route="arrays")
    by_pyomo = replan(data, base, down, route="pyomo")
    assert by_arrays.record.objective == pytest.approx(by_pyomo.record.objective, rel=1e-6)
    keys = ["plant_code", "item_id", "period"]
    frozen = base.tables["production"].query("period <= 2").set_index(keys).qty
    for result in (by_arrays, by_pyomo):
        kept = result.tables["production"].query("period <= 2").set_index(keys).qty
        pd.testing.assert_series_equal(kept.sort_index(), frozen.sort_index(), atol=1e-6)
        assert result.tables["production"].query("period >= 3 and plant_code == 'P00'").empty
        assert result.changes["total_cost"] >= -1e-6
