"""Bottlenecks and service figures on networks small enough to check by hand (`instance` in test_plan.py):
one item X for customer C, plant A with work center A-W of 8 regular hours a period, 1 hour a unit, overtime
up to 5 hours at 3 EUR, backlog penalty 100 EUR per unit and period."""

import pytest

from optimization import plan_summary, sync_summary
from tests.optimization.test_plan import instance, plan


def figures(data, synchronized=True):
    model, record, tables = plan(data, synchronized)
    assert record.status == "optimal"
    return tables, plan_summary(model, tables, data)


def work_centers(tables):
    return tables["bottlenecks"].query("kind == 'work_center'").set_index("subject")


def test_a_work_center_at_its_full_regular_hours_is_a_bottleneck_without_overtime():
    # 8 units a period on 8 hours: every regular hour is used and no overtime is needed.
    tables, summary = figures(instance(demand=((1, 8), (2, 8))))
    assert summary["overtime_hours"] == pytest.approx(0.0)
    row = work_centers(tables).loc["A-W"]
    assert row.periods == "1-2"
    assert row.amount == pytest.approx(16.0)  # hours used
    assert row.overtime_hours == pytest.approx(0.0)
    assert row.overtime_exhausted_periods is None
    assert row.message == "A-W runs at its full regular hours in periods 1-2, using no overtime."


def test_overtime_used_and_overtime_used_up_are_told_apart():
    # 10 units: 2 overtime hours of 5 a period. 13 units: all 5 overtime hours, the work center can do
    # no more.
    row = work_centers(figures(instance(demand=((1, 10), (2, 10))))[0]).loc["A-W"]
    assert row.overtime_hours == pytest.approx(4.0) and row.overtime_exhausted_periods is None
    assert row.message == "A-W runs at its full regular hours in periods 1-2, plus 4.0 h of overtime."
    row = work_centers(figures(instance(demand=((1, 13), (2, 13))))[0]).loc["A-W"]
    assert row.overtime_hours == pytest.approx(10.0) and row.overtime_exhausted_periods == "1-2"
    assert row.message.endswith("plus 10.0 h of overtime; no overtime left in periods 1-2.")


def test_full_load_tolerance_and_gaps_between_periods():
    # 7.995 of 8 hours is 99.94 % (full); 7.9 hours is 98.75 % (busy, not full); period 2 needs 4 hours.
    tables, _ = figures(instance(periods=3, demand=((1, 7.995), (2, 4), (3, 7.9))))
    assert work_centers(tables).loc["A-W"].periods == "1"
    tables, _ = figures(instance(periods=3, demand=((1, 8), (2, 4), (3, 8))))
    row = work_centers(tables).loc["A-W"]
    assert row.periods == "1, 3" and "in periods 1, 3," in row.message
    tables, _ = figures(instance(demand=((1, 6), (2, 6))))
    assert tables["bottlenecks"].empty  # 6 of 8 hours: spare capacity is no bottleneck


def test_late_delivery_lowers_on_time_fill_rate_while_fill_rate_stays_one():
    # 30 units due in period 1, at most 13 made a period: 13 on time, 13 a period late, 4 two periods late.
    data = instance(periods=3, demand=((1, 30), (2, 0), (3, 0)))
    tables, summary = figures(data)
    assert tables["backlog"].set_index("period").qty.to_dict() == pytest.approx({1: 17.0, 2: 4.0})
    assert summary["fill_rate"] == pytest.approx(1.0)
    assert summary["end_backlog_units"] == pytest.approx(0.0)
    assert summary["on_time_fill_rate"] == pytest.approx(13 / 30)
    assert summary["units_delivered_late"] == pytest.approx(17.0)
    assert summary["unit_weeks_late"] == pytest.approx(17.0 + 4.0)
    assert summary["backlog_cost"] == pytest.approx(100.0 * summary["unit_weeks_late"])  # what lateness costs


def test_shipments_serve_the_oldest_backlog_first():
    # 20 then 13 due, 13 made a period: period 1 ships 13 (7 late); period 2 ships those 7 and 6 of its 13,
    # so 7 of period 2's demand are still owed at the end.
    data = instance(demand=((1, 20), (2, 13)))
    tables, summary = figures(data)
    assert summary["on_time_fill_rate"] == pytest.approx((13 + 6) / 33)
    assert summary["units_delivered_late"] == pytest.approx(7.0)
    assert summary["end_backlog_units"] == pytest.approx(7.0)
    assert summary["fill_rate"] == pytest.approx(26 / 33)
    assert summary["unit_weeks_late"] == pytest.approx(7.0 + 7.0)


def test_on_time_figures_have_units_in_the_sync_summary():
    data = instance(alternate="B", demand=((1, 20), (2, 20)))
    sync, alone = (figures(data, synchronized)[1] for synchronized in (True, False))
    units = sync_summary(sync, alone).set_index("metric").unit
    assert units[["on_time_fill_rate", "units_delivered_late", "unit_weeks_late"]].tolist() == [
        "share", "units", "unit-weeks"]
    assert sync["on_time_fill_rate"] >= alone["on_time_fill_rate"]  # B's hours help serve on time
