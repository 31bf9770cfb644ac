"""Supply on its way, suppliers and lead times on small networks whose plan is known by hand: scheduled
receipts, purchased materials through the bill of materials, shared supplier capacity, fractional lanes and
the frozen horizon, by both routes."""

import pandas as pd
import pytest

from optimization import PlanningData, plan
from optimization.model import lead_split
from optimization.scenario import Scenario, replan
from tests.optimization.test_plan import instance

ROUTES = pytest.mark.parametrize("route", ["arrays", "pyomo"])


def with_material(makers=("A",), homes=("A",), periods=2, demand=10.0, options=(), capacity=()) -> PlanningData:
    """Product X, made from one material M bought from suppliers (no one makes M), 40 h a period at every
    maker at 1 h a unit; each home plant's customer C<plant> wants `demand` X a period, delivered from its
    home plant at no cost and from another maker at 0.5. `options`: (supplier, plant, lead days, minimum
    order, unit price); `capacity`: (supplier, units a period)."""
    customers = [(f"C{home}", home) for home in homes]
    return PlanningData(
        periods=periods,
        plants=pd.DataFrame({"plant_code": sorted(set(makers) | set(homes))}),
        items=pd.DataFrame([("X", 1.0, 0.5, 100.0), ("M", 0.0, 0.1, 100.0)],
                           columns=["item_id", "production_cost", "holding_cost", "backlog_penalty"]),
        capacity=pd.DataFrame([(p, f"{p}-W", t, 40.0, 0.0, 3.0) for p in makers for t in range(1, periods + 1)],
                              columns=["plant_code", "work_center_id", "period", "available_hours",
                                       "overtime_limit_hours", "overtime_cost"]),
        routings=pd.DataFrame([(p, f"{p}-W", "X", 1.0) for p in makers],
                              columns=["plant_code", "work_center_id", "item_id", "hours_per_unit"]),
        bom=pd.DataFrame([("X", "M", 1.0)], columns=["parent_item_id", "component_item_id", "qty_per"]),
        lanes=pd.DataFrame(columns=["from_plant_code", "to_plant_code", "transit_days", "cost_per_unit",
                                    "capacity_per_period"]),
        delivery_lanes=pd.DataFrame([(p, c, 0.0 if p == home else 0.5) for p in makers for c, home in customers],
                                    columns=["plant_code", "customer_id", "cost_per_unit"]),
        demand=pd.DataFrame([(c, "X", t, demand, home) for c, home in customers for t in range(1, periods + 1)],
                            columns=["customer_id", "item_id", "period", "qty", "home_plant_code"]),
        initial_inventory=pd.DataFrame(columns=["plant_code", "item_id", "qty"]),
        safety_stock=pd.DataFrame(columns=["plant_code", "item_id", "qty"]),
        fixed_supply=pd.DataFrame(columns=["from_plant_code", "to_plant_code", "item_id", "qty_per_period"]),
        supply_options=pd.DataFrame([(s, p, "M", days, moq, price) for s, p, days, moq, price in options],
                                    columns=["supplier_id", "plant_code", "item_id", "lead_time_days",
                                             "min_order_qty", "unit_price"]),
        supplier_capacity=pd.DataFrame([(s, "M", qty) for s, qty in capacity],
                                       columns=["supplier_id", "item_id", "qty_per_period"]),
    ).validate()


def by_period(frame: pd.DataFrame, **match) -> pd.Series:
    for column, value in match.items():
        frame = frame[frame[column] == value]
    return frame.groupby("period").qty.sum()


@ROUTES
def test_a_scheduled_receipt_reduces_production_by_exactly_its_quantity(route):
    data = instance(capacity_hours=20.0)  # X at plant A, 10 wanted in each of two periods
    before = plan(data, route=route)
    data.scheduled_receipts = pd.DataFrame([("A", "X", 1, 6.0, "production_order")],
                                           columns=["plant_code", "item_id", "period", "qty", "source"])
    after = plan(data.validate(), route=route)
    assert before.tables["production"].qty.sum() == pytest.approx(20.0)
    assert after.tables["production"].qty.sum() == pytest.approx(14.0)
    assert by_period(after.tables["production"])[1] == pytest.approx(4.0)
    assert after.tables["receipts"].to_dict("records") == [
        {"plant_code": "A", "item_id": "X", "period": 1, "qty": 6.0, "source": "production_order"}]
    assert after.figures["scheduled_receipt_units"] == pytest.approx(6.0)
    assert after.tables["backlog"].empty


@ROUTES
def test_frozen_periods_take_no_new_production_only_scheduled_receipts(route):
    data = instance(capacity_hours=20.0)
    data.frozen_periods = 1
    alone = plan(data.validate(), route=route)
    assert 1 not in set(alone.tables["production"].period)
    assert by_period(alone.tables["production"])[2] == pytest.approx(20.0)  # catches up in period 2
    assert by_period(alone.tables["backlog"])[1] == pytest.approx(10.0)
    data.scheduled_receipts = pd.DataFrame([("A", "X", 1, 10.0, "production_order")],
                                           columns=["plant_code", "item_id", "period", "qty", "source"])
    received = plan(data.validate(), route=route)
    assert 1 not in set(received.tables["production"].period)
    assert received.tables["backlog"].empty  # the released order serves period 1 on time


@ROUTES
def test_a_supplier_short_of_material_moves_production_to_the_plant_with_its_own_supplier(route):
    # SA sells A at most 4 M a period; B buys from SB without limit and delivers to CA at 0.5 a unit.
    data = with_material(makers=("A", "B"), options=[("SA", "A", 0, 0, 2.0), ("SB", "B", 0, 0, 2.0)],
                         capacity=[("SA", 4.0)])
    result = plan(data, route=route)
    production = result.tables["production"].groupby(["plant_code", "period"]).qty.sum()
    assert production["A"].tolist() == pytest.approx([4.0, 4.0])
    assert production["B"].tolist() == pytest.approx([6.0, 6.0])
    bought = result.tables["purchases"].groupby(["supplier_id", "plant_code"]).qty.sum()
    assert bought[("SA", "A")] == pytest.approx(8.0) and bought[("SB", "B")] == pytest.approx(12.0)
    assert result.figures["purchase_cost"] == pytest.approx(20 * 2.0)
    assert result.tables["backlog"].empty
    supplier = result.tables["bottlenecks"].query("kind == 'supplier'")
    assert supplier.subject.tolist() == ["SA / M"] and supplier.periods.tolist() == ["1-2"]
    assert supplier.message.iloc[0] == "Supplier SA delivers all it can of M in periods 1-2."


@ROUTES
def test_a_supplier_short_of_material_makes_the_order_late_when_no_plant_can_step_in(route):
    data = with_material(options=[("SA", "A", 0, 0, 2.0)], capacity=[("SA", 4.0)])
    result = plan(data, route=route)
    assert by_period(result.tables["production"]).tolist() == pytest.approx([4.0, 4.0])
    assert by_period(result.tables["backlog"]).tolist() == pytest.approx([6.0, 12.0])
    kinds = result.tables["bottlenecks"].set_index("kind").subject
    assert kinds["supplier"] == "SA / M" and kinds["unmet_demand"] == "CA / X"


@ROUTES
def test_purchases_arrive_after_their_lead_time_and_proposals_respect_the_minimum_order(route):
    # 10 days = 1 week + 3/7: bought in period 1, 4/7 arrive in period 2 and 3/7 in period 3.
    data = with_material(periods=3, options=[("SA", "A", 10, 25.0, 2.0)])
    data.demand = data.demand[data.demand.period == 3].reset_index(drop=True)
    result = plan(data.validate(), route=route)
    purchase = result.tables["purchases"].iloc[0]
    assert (purchase.period, purchase.arrival_period, purchase.qty) == (1, 2, pytest.approx(10.0))
    assert purchase.order_qty == pytest.approx(25.0)
    assert len(result.tables["purchases"]) == 1
    in_transit = result.tables["inventory"].query("item_id == 'M'").set_index("period").in_transit_qty
    assert in_transit.tolist() == pytest.approx([10.0, 10 * 3 / 7, 0.0])


@ROUTES
def test_shared_supplier_capacity_binds_across_two_plants(route):
    # S sells M to A and B, 12 a period in all; each plant's own customer wants 10 a period.
    data = with_material(makers=("A", "B"), homes=("A", "B"), options=[("S", "A", 0, 0, 2.0), ("S", "B", 0, 0, 2.0)],
                         capacity=[("S", 12.0)])
    for synchronized in (True, False):
        result = plan(data, synchronized, route=route)
        bought = result.tables["purchases"]
        assert by_period(bought).tolist() == pytest.approx([12.0, 12.0])
        assert by_period(result.tables["production"]).tolist() == pytest.approx([12.0, 12.0])
        assert result.tables["backlog"].query("period == 2").qty.sum() == pytest.approx(16.0)
        assert "S / M" in set(result.tables["bottlenecks"].query("kind == 'supplier'").subject)
    alone = bought.groupby("plant_code").qty.sum()  # each plant alone: rationed by equal orders, 6 a period
    assert alone["A"] == pytest.approx(12.0) and alone["B"] == pytest.approx(12.0)


@ROUTES
def test_a_shared_supplier_rations_plants_planning_alone_in_proportion_to_their_orders(route):
    # S sells M to A and B, 12 a period in all; A's customer wants 15 a period, B's 5: alone, A orders
    # three quarters of what both order, so it gets 9 a period and B 3 (B's 2 spare units stay unused).
    data = with_material(makers=("A", "B"), homes=("A", "B"), options=[("S", "A", 0, 0, 2.0), ("S", "B", 0, 0, 2.0)],
                         capacity=[("S", 12.0)])
    data.demand.loc[data.demand.customer_id == "CA", "qty"] = 15.0
    data.demand.loc[data.demand.customer_id == "CB", "qty"] = 5.0
    alone = plan(data.validate(), False, route=route).tables["purchases"]
    assert by_period(alone, plant_code="A").tolist() == pytest.approx([9.0, 9.0])
    assert by_period(alone, plant_code="B").tolist() == pytest.approx([3.0, 3.0])
    synchronized = plan(data, True, route=route).tables["purchases"]
    assert synchronized.qty.sum() == pytest.approx(24.0)


@ROUTES
def test_each_plant_alone_gets_its_allocated_share_of_a_shared_supplier(route):
    # S sells M to A and B, 12 a period in all; A's allocation is three quarters, B's the rest.
    data = with_material(makers=("A", "B"), homes=("A", "B"), options=[("S", "A", 0, 0, 2.0), ("S", "B", 0, 0, 2.0)],
                         capacity=[("S", 12.0)])
    data.supplier_shares = pd.DataFrame([("S", "M", "A", 0.75), ("S", "M", "B", 0.25)],
                                        columns=["supplier_id", "item_id", "plant_code", "share"])
    alone = plan(data.validate(), False, route=route).tables["purchases"]
    assert by_period(alone, plant_code="A").tolist() == pytest.approx([9.0, 9.0])
    assert by_period(alone, plant_code="B").tolist() == pytest.approx([3.0, 3.0])


def with_lane(days: float, periods: int = 2) -> PlanningData:
    """X made at A only, wanted by B's customer: 6 in period 1 and 1 in period 2, along a lane of `days`."""
    data = instance(periods=periods, demand=((1, 6), (2, 1)), capacity_hours=20.0)
    data.plants = pd.DataFrame({"plant_code": ["A", "B"]})
    data.demand = data.demand.assign(home_plant_code="B")
    data.delivery_lanes = pd.DataFrame([("B", "C", 0.0)], columns=["plant_code", "customer_id", "cost_per_unit"])
    data.lanes = pd.DataFrame([("A", "B", days, 1.0, float("nan"))],
                              columns=["from_plant_code", "to_plant_code", "transit_days", "cost_per_unit",
                                       "capacity_per_period"])
    return data.validate()


@ROUTES
def test_a_one_day_lane_delivers_six_sevenths_in_the_same_week(route):
    result = plan(with_lane(1), route=route)
    transfer, = result.tables["transfers"].itertuples()
    # 7 leave in period 1: 6 arrive that week for its demand, the seventh the week after for period 2's
    assert (transfer.period, transfer.arrival_period, transfer.qty) == (1, 1, pytest.approx(7.0))
    assert result.tables["backlog"].empty
    at_b = result.tables["inventory"].query("plant_code == 'B'").set_index("period")
    assert at_b.in_transit_qty.tolist() == pytest.approx([1.0, 0.0])
    assert at_b.qty.tolist() == pytest.approx([0.0, 0.0])


def test_whole_weeks_of_transit_stay_whole():
    assert lead_split(21, 7) == (3, 0.0)
    assert lead_split(1, 7) == (0, pytest.approx(1 / 7))
    result = plan(with_lane(7, periods=3))
    transfers = result.tables["transfers"]
    assert (transfers.arrival_period - transfers.period == 1).all()


@ROUTES
def test_a_supplier_cut_replans_to_the_other_plant_and_names_the_supplier(route):
    data = with_material(makers=("A", "B"), periods=3, options=[("SA", "A", 0, 0, 2.0), ("SB", "B", 0, 0, 2.0)],
                         capacity=[("SA", 20.0), ("SB", 20.0)])
    base = plan(data)
    assert base.tables["production"].groupby("plant_code").qty.sum().to_dict() == pytest.approx({"A": 30.0})
    cut = replan(data, base, Scenario("SA at 30%", supplier_share=[("SA", 0.3, 2, 3)], frozen_periods=1), route=route)
    production = cut.tables["production"].groupby(["plant_code", "period"]).qty.sum()
    assert production["A"].tolist() == pytest.approx([10.0, 6.0, 6.0])
    assert production["B"].tolist() == pytest.approx([4.0, 4.0])
    assert cut.tables["bottlenecks"].query("kind == 'supplier'").subject.tolist() == ["SA / M"]
    assert "plant B buys 8 more units of M from SB" in cut.moves
