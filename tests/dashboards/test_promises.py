"""The Customers page's promises: each open order's promised date from the plan's pegging, and the late ones
with the reason; and the pegging behind them covers every open unit."""

import pandas as pd
import pytest

from tests.dashboards.conftest import one, open_page, sql
from tests.dashboards.test_pages import CURRENT_PLAN, widget

LINES = """SELECT order_line_id, customer_id, max(promised_date), bool_or(supply_kind = 'unmet' OR days_late > 0),
                  first(late_reason ORDER BY coalesce(ship_period, 1e9) DESC), sum(qty)
           FROM plans.plan_pegging WHERE plan_id = ? AND order_line_id IS NOT NULL GROUP BY 1, 2"""


def promise_tables(app):
    return [d.value for d in app.dataframe if "promised_date" in d.value.columns]


def test_pegging_covers_every_open_unit_of_the_plans_order_lines(warehouse):
    plan_id = one(warehouse, CURRENT_PLAN)
    pegged = {line: qty for line, *_, qty in sql(warehouse, LINES, [plan_id])}
    open_qty = dict(sql(warehouse, """SELECT order_line_id, ordered_qty - shipped_qty FROM marts.fct_order_lines
                                      WHERE order_line_id IN (SELECT order_line_id FROM plans.plan_pegging
                                                              WHERE plan_id = ?)""", [plan_id]))
    assert pegged and pegged == pytest.approx(open_qty)
    demand = dict(sql(warehouse, """SELECT due_period, sum(qty) FROM plans.plan_pegging WHERE plan_id = ?
                                    GROUP BY 1""", [plan_id]))
    assert sum(demand.values()) == pytest.approx(one(warehouse, """SELECT sum(qty) FROM plans.plan_shipments
        WHERE plan_id = ?""", [plan_id]) + one(warehouse, """SELECT coalesce(sum(qty), 0) FROM plans.plan_backlog
        WHERE plan_id = ? AND period = (SELECT max(period) FROM plans.plan_inventory WHERE plan_id = ?)""",
                                              [plan_id, plan_id]))


def test_customers_list_open_orders_promises_and_the_late_ones_with_their_reason(warehouse):
    plan_id = one(warehouse, CURRENT_PLAN)
    lines = {line: rest for line, *rest in sql(warehouse, LINES, [plan_id])}
    late = {line: reason for line, (_, _, is_late, reason, _) in lines.items() if is_late}
    app = open_page("customers")
    assert not app.exception
    shown = promise_tables(app)[1].set_index("order_line_id")
    assert shown.late_reason.where(shown.late_reason.notna(), None).to_dict() == late
    assert set(shown.late_reason.dropna()) <= {"capacity", "material", "lane"}
    assert f"Late open orders of every customer: {len(late):,} of {len(lines):,}" in [h.value for h in app.subheader]

    customer = max({c for c, *_ in lines.values()}, key=lambda c: sum(v[0] == c for v in lines.values()))
    app = widget(app.selectbox, "Customer").select(customer).run()
    own = promise_tables(app)[0].set_index("order_line_id")
    expected = {line: promised for line, (c, promised, *_) in lines.items() if c == customer}
    assert {line: pd.Timestamp(d).date() if pd.notna(d) else None for line, d in own.promised_date.items()} == expected
