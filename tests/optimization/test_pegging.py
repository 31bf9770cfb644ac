"""Pegging on tiny networks solved by the plan, each checked by hand: every unit of demand is pegged, FIFO
names the right plant, week and supply, and a late unit names what held it back."""

from datetime import date

import pandas as pd
import pytest

from optimization import PlanningData, PlanningInputError, plan
from optimization.pegging import pegging

STARTS = list(pd.date_range("2026-12-07", periods=4, freq="7D"))


def network(demand, orders=(), plants=("A",), makers=("A",), hours=8.0, stock=(), bom=(), lanes=(),
            delivery=(("A", 0.0),), periods=2):
    """Item X (and any components in `bom`) for customer C; `makers` have a work center <plant>-W making X at
    one hour a unit with `hours` a period and no overtime."""
    items = {"X"} | {c for _, c, _ in bom}
    return PlanningData(
        periods=periods,
        plants=pd.DataFrame({"plant_code": list(plants)}),
        items=pd.DataFrame([(i, 1.0, 0.5, 100.0) for i in sorted(items)],
                           columns=["item_id", "production_cost", "holding_cost", "backlog_penalty"]),
        capacity=pd.DataFrame([(p, f"{p}-W", t, hours, 0.0, 3.0) for p in makers for t in range(1, periods + 1)],
                              columns=["plant_code", "work_center_id", "period", "available_hours",
                                       "overtime_limit_hours", "overtime_cost"]),
        routings=pd.DataFrame([(p, f"{p}-W", "X", 1.0) for p in makers],
                              columns=["plant_code", "work_center_id", "item_id", "hours_per_unit"]),
        bom=pd.DataFrame(list(bom), columns=["parent_item_id", "component_item_id", "qty_per"]),
        lanes=pd.DataFrame(list(lanes), columns=["from_plant_code", "to_plant_code", "transit_days",
                                                 "cost_per_unit", "capacity_per_period"]),
        delivery_lanes=pd.DataFrame([(p, "C", cost) for p, cost in delivery],
                                    columns=["plant_code", "customer_id", "cost_per_unit"]),
        demand=pd.DataFrame([("C", "X", t, q, plants[0]) for t, q in demand],
                            columns=["customer_id", "item_id", "period", "qty", "home_plant_code"]),
        initial_inventory=pd.DataFrame(list(stock), columns=["plant_code", "item_id", "qty"]),
        safety_stock=pd.DataFrame(columns=["plant_code", "item_id", "qty"]),
        fixed_supply=pd.DataFrame(columns=["from_plant_code", "to_plant_code", "item_id", "qty_per_period"]),
        orders=pd.DataFrame([(line, "C", "X", t, q) for line, t, q in orders],
                            columns=["order_line_id", "customer_id", "item_id", "period", "qty"]),
    ).validate()


def pegged(data, delivery_days=None):
    result = plan(data)
    assert result.record.status == "optimal"
    return pegging(data, result.tables, STARTS, delivery_days)


def rows(frame, *columns):
    """The columns' values as tuples, missing values as None."""
    picked = frame[list(columns)].astype(object)
    return [tuple(r) for r in picked.where(picked.notna(), None).itertuples(index=False)]


def test_every_unit_of_demand_is_pegged_shipped_or_unmet():
    # two plants, more demand than both can make: part ships late, part stays unmet
    data = network(demand=[(1, 30), (2, 25)], orders=[("O1", 1, 12), ("O2", 1, 8), ("O3", 2, 25)],
                   plants=("A", "B"), makers=("A", "B"), delivery=(("A", 0.0), ("B", 0.5)), stock=[("B", "X", 3.0)])
    peg = pegged(data)
    per_demand = peg.groupby("due_period").qty.sum()
    assert per_demand.to_dict() == pytest.approx({1: 30.0, 2: 25.0})
    per_line = peg.dropna(subset=["order_line_id"]).groupby("order_line_id").qty.sum()
    assert per_line.to_dict() == pytest.approx({"O1": 12.0, "O2": 8.0, "O3": 25.0})
    assert peg[peg.order_line_id.isna()].qty.sum() == pytest.approx(10.0)  # period 1's forecast beyond its orders
    assert peg.query("supply_kind == 'unmet'").qty.sum() == pytest.approx(55 - 2 * 2 * 8 - 3)
    assert peg[peg.supply_kind != "unmet"].qty.sum() == pytest.approx(plan(data).tables["shipments"].qty.sum())


def test_fifo_names_the_plant_week_and_supply_computed_by_hand():
    # A holds 5 and makes 8 a week; B makes the rest of week 2 at 0.4 a unit delivered (cheaper than holding
    # A's week-1 spare hours at 0.5). Week 1: A ships its 5 in stock and makes 5; week 2: A makes 8, B makes 4.
    # Order O1 (6) is served before week 1's forecast (4): stock 5, then 1 of A's week-1 production.
    data = network(demand=[(1, 10), (2, 12)], orders=[("O1", 1, 6), ("O2", 2, 12)], plants=("A", "B"),
                   makers=("A", "B"), stock=[("A", "X", 5.0)], delivery=(("A", 0.0), ("B", 0.4)))
    days = pd.DataFrame([("A", "C", 2), ("B", "C", 3)], columns=["plant_code", "customer_id", "transit_days"])
    peg = pegged(data, days)
    assert rows(peg, "order_line_id", "due_period", "plant_code", "ship_period", "supply_kind", "supply_period",
                "qty", "promised_date", "days_late") == [
        ("O1", 1, "A", 1, "stock", 1, pytest.approx(5.0), date(2026, 12, 9), 0),
        ("O1", 1, "A", 1, "production", 1, pytest.approx(1.0), date(2026, 12, 9), 0),
        (None, 1, "A", 1, "production", 1, pytest.approx(4.0), date(2026, 12, 9), 0),
        ("O2", 2, "A", 2, "production", 2, pytest.approx(8.0), date(2026, 12, 16), 0),
        ("O2", 2, "B", 2, "production", 2, pytest.approx(4.0), date(2026, 12, 17), 0)]
    assert peg.late_reason.isna().all()


def test_a_full_work_center_makes_an_order_late_for_capacity():
    # A makes 8 a week: O1 (10) ships 8 in week 1 and 2 in week 2, a week late; week 2's 10 leave 4 unmet
    peg = pegged(network(demand=[(1, 10), (2, 10)], orders=[("O1", 1, 10), ("O2", 2, 10)]))
    late = peg[peg.late_reason.notna()]
    assert rows(late, "order_line_id", "ship_period", "supply_kind", "qty", "days_late", "late_reason",
                "reason_detail") == [
        ("O1", 2, "production", pytest.approx(2.0), 7, "capacity", "A-W"),
        ("O2", None, "unmet", pytest.approx(4.0), None, "capacity", "A-W")]
    on_time = peg[peg.late_reason.isna()]
    assert rows(on_time, "order_line_id", "ship_period", "qty") == [("O1", 1, pytest.approx(8.0)),
                                                                    ("O2", 2, pytest.approx(6.0))]


def test_a_full_lane_makes_an_order_late_for_the_lane():
    # only B reaches the customer and only A makes X; the lane A->B carries 5 a week
    data = network(demand=[(1, 10)], orders=[("O1", 1, 10)], plants=("B", "A"), makers=("A",), hours=100.0,
                   lanes=[("A", "B", 0, 0.1, 5.0)], delivery=(("B", 0.0),))
    peg = pegged(data)
    assert rows(peg, "plant_code", "ship_period", "supply_kind", "supply_period", "qty", "late_reason",
                "reason_detail") == [
        ("B", 1, "transfer", 1, pytest.approx(5.0), None, None),
        ("B", 2, "transfer", 2, pytest.approx(5.0), "lane", "lane A->B full")]


def test_a_lane_whose_transit_ends_after_the_due_week_is_the_reason():
    data = network(demand=[(1, 10)], orders=[("O1", 1, 10)], plants=("B", "A"), makers=("A",), hours=100.0,
                   lanes=[("A", "B", 7, 0.1, None)], delivery=(("B", 0.0),))
    peg = pegged(data)
    assert rows(peg, "ship_period", "supply_kind", "supply_period", "qty", "late_reason") == [
        (2, "transfer", 2, pytest.approx(10.0), "lane")]
    assert peg.reason_detail[0].startswith("lane A->B: transit 1 period")


def test_a_component_that_runs_out_makes_an_order_late_for_material():
    # X needs one M; nobody makes M and A holds 5: 5 X ship, 5 stay unmet though A-W has hours left
    data = network(demand=[(1, 10)], orders=[("O1", 1, 10)], bom=[("X", "M", 1.0)], stock=[("A", "M", 5.0)],
                   hours=100.0)
    peg = pegged(data)
    assert rows(peg, "ship_period", "supply_kind", "qty", "late_reason", "reason_detail") == [
        (1, "production", pytest.approx(5.0), None, None),
        (None, "unmet", pytest.approx(5.0), "material", "M at A runs out (no supplier)")]


def test_orders_beyond_their_demand_are_refused():
    data = network(demand=[(1, 5)], orders=[("O1", 1, 6)])
    with pytest.raises(PlanningInputError, match="orders: the open order lines of C / X in period 1 exceed"):
        pegged(data)


def test_a_material_whose_supplier_is_at_capacity_names_the_supplier():
    # the material case, with its plan's bottlenecks saying supplier S1 delivers all it can of M from period 1
    data = network(demand=[(1, 10)], orders=[("O1", 1, 10)], bom=[("X", "M", 1.0)], stock=[("A", "M", 5.0)],
                   hours=100.0)
    tables = dict(plan(data).tables)
    full = pd.DataFrame([("supplier", "S1 / M", "1-2", 5.0, "Supplier S1 delivers all it can of M in periods 1-2.",
                          None, None)], columns=tables["bottlenecks"].columns)
    tables["bottlenecks"] = pd.concat([tables["bottlenecks"], full], ignore_index=True)
    peg = pegging(data, tables, STARTS)
    assert rows(peg[peg.supply_kind == "unmet"], "late_reason", "reason_detail") == [
        ("material", "M at A: supplier S1 at capacity")]
