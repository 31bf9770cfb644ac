"""The Scenarios page offers a supplier cut: the suppliers the current plan buys from, re-planned with the
share of its capacity the supplier keeps; the Exceptions page lists a supplier bottleneck as one."""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboards.lib.planning_exceptions import exceptions
from tests.dashboards.conftest import one, open_page, sql
from tests.dashboards.test_scenarios_and_sync import CURRENT_PLAN, widget


def test_a_supplier_cut_is_offered_for_the_suppliers_the_plan_buys_from(warehouse):
    bought_from = [row[0] for row in sql(warehouse, "SELECT DISTINCT supplier_id FROM plans.plan_purchases "
                                                    f"WHERE plan_id = ({CURRENT_PLAN}) ORDER BY 1")]
    app = widget(open_page("scenarios").radio, "What happens").set_value("supplier").run()
    assert not app.exception
    assert widget(app.selectbox, "Supplier").options == bought_from
    if not bought_from:
        assert widget(app.button, "Re-plan").disabled
        assert "buys from no supplier" in app.info[0].value
        return
    widget(app.slider, "Share of its capacity it keeps").set_value(0.0)
    app = widget(app.button, "Re-plan").click().run()
    assert not app.exception, app.exception[0].value if app.exception else ""
    assert app.subheader[0].value == f"“{bought_from[0]} at 0%” against the current plan"


def test_a_supplier_bottleneck_is_listed_with_its_item_not_as_a_lane(private_warehouse):
    plan_id = one(private_warehouse, CURRENT_PLAN)
    with duckdb.connect(str(private_warehouse)) as con:  # as the planner reports a supplier bought up
        con.execute("""INSERT INTO plans.plan_bottlenecks (plan_id, scenario, kind, subject, periods, amount, message)
                       VALUES (?, 'synchronized', 'supplier', 'SUP-1 / CASTING', '2-3', 80,
                               'Supplier SUP-1 delivers all it can of CASTING in periods 2-3.')""", [plan_id])
    app = open_page("exceptions")
    assert not app.exception
    listed = exceptions(plan_id).query("subject == 'SUP-1 / CASTING'").iloc[0]
    assert (listed.kind, listed.severity, listed.item_id, listed["size"]) == ("bottleneck", "medium", "CASTING", "80 units")
    assert pd.isna(listed.lane_id) and pd.isna(listed.work_center_id)
