"""The Scenarios page offers a supplier cut: the suppliers the current plan buys from, re-planned with the
share of its capacity the supplier keeps."""

from __future__ import annotations

from tests.dashboards.conftest import open_page, sql
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
