"""Issue 16 on the real published warehouse: inventory status and days of supply by the mart's rule (components
included), decisions made once with the reason a button is disabled, ROI measured around the first plan, and
tiles that fit and do not colour a zero change."""

from __future__ import annotations

import json
from datetime import timedelta

import duckdb
import pytest
import yaml

from dashboards.lib import format as fmt
from orchestration.core import clock
from orchestration.core.decisions import AlreadyDecided, read_decisions, record_decision
from orchestration.core.paths import REPO_ROOT
from tests.dashboards.conftest import metric, one, open_page, sql

CURRENT_PLAN = "SELECT plan_id FROM plans.plan_versions WHERE status = 'current' ORDER BY made_at DESC LIMIT 1"
HISTORY = "SELECT min(date_day), max(date_day) FROM marts.kpi_network_daily WHERE inventory_value_eur IS NOT NULL"
LATEST = "SELECT max(date_day) FROM marts.kpi_network_daily WHERE inventory_value_eur IS NOT NULL"
WINDOW = "SELECT avg(inventory_value_eur), avg(otif_rate) FROM marts.kpi_network_daily WHERE date_day BETWEEN ? AND ?"

# Each position's demand restated from the facts: what left the plant in the 28 days up to its latest snapshot
# (shipments, transfers out) and what its production of parents consumed of each component (the BOM).
DEMAND = """
    WITH as_of AS (SELECT plant_code, max(snapshot_date) AS as_of FROM marts.fct_inventory_daily GROUP BY 1),
    moved AS (
        SELECT plant_code, item_id, shipped_qty AS qty, shipped_date AS day, false AS dependent
        FROM marts.fct_order_lines WHERE shipped_date IS NOT NULL
        UNION ALL
        SELECT from_plant_code, item_id, qty, ship_date, false FROM marts.fct_transfers
        UNION ALL
        SELECT p.plant_code, b.component_item_id, (p.produced_qty + coalesce(p.scrap_qty, 0)) * b.qty_per,
               p.finished_date, true
        FROM marts.fct_production_orders p JOIN marts.fct_bom b ON b.parent_item_id = p.item_id
        WHERE p.finished_date IS NOT NULL)
    SELECT plant_code, item_id, coalesce(sum(qty) FILTER (WHERE NOT dependent), 0) / 28 AS independent,
           coalesce(sum(qty) FILTER (WHERE dependent), 0) / 28 AS dependent
    FROM moved JOIN as_of USING (plant_code)
    WHERE day > as_of - INTERVAL 28 DAY AND day <= as_of
    GROUP BY ALL"""


def widget(widgets, label):
    return next(w for w in widgets if w.label == label)


def cycle_stock_days() -> float:
    """The default the fixture network runs with (its config sets no planning.cycle_stock_days)."""
    return yaml.safe_load((REPO_ROOT / "transforms" / "dbt_project.yml").read_text())["vars"]["cycle_stock_days"]


def test_inventory_statuses_and_days_of_supply_follow_the_rule_components_included(warehouse):
    demand = {(p, i): (ind, dep) for p, i, ind, dep in sql(warehouse, DEMAND)}
    days = cycle_stock_days()
    expected = {}
    for plant, item, on_hand, safety in sql(warehouse, """SELECT plant_code, item_id, on_hand_qty, safety_stock_qty
                                                          FROM marts.inventory_position"""):
        daily = sum(demand.get((plant, item), (0, 0)))
        status = "shortage" if on_hand < safety else "excess" if on_hand > safety + days * daily else "ok"
        expected[(plant, item)] = (status, fmt.days(on_hand / daily) if daily > 0 else "no demand")
    only_dependent = [k for k, (ind, dep) in demand.items() if ind == 0 and dep > 0 and k in expected]
    assert only_dependent  # the fixture stocks components its assembly plant consumes and never ships

    app = open_page("inventory")
    assert not app.exception
    table = app.dataframe[0].value
    shown = {(r.plant_code, r.item_id): (r.status, r.supply) for r in table.itertuples()}
    assert shown == expected
    for key in only_dependent:
        assert shown[key][1] != "no demand"
    assert metric(app, "Excesses") == f"{sum(s == 'excess' for s, _ in expected.values()):,}"
    assert metric(app, "Shortages") == f"{sum(s == 'shortage' for s, _ in expected.values()):,}"
    assert "None" not in set(table.supply)


def test_inventory_chart_has_a_legend_for_its_colours_and_horizontal_bars(warehouse):
    app = open_page("inventory")
    traces = json.loads(app.get("plotly_chart")[0].proto.spec)["data"]
    bars = [t for t in traces if t["type"] == "bar"]
    statuses = {s for (s,) in sql(warehouse, "SELECT DISTINCT status FROM marts.inventory_position")}
    assert {t["name"] for t in bars} <= {f"On hand: {s}" for s in statuses}
    assert all(t["orientation"] == "h" and t.get("showlegend", True) for t in bars)
    assert len({t["marker"]["color"] for t in bars}) == len(bars)  # one colour per status, each named


def test_a_disabled_decide_button_says_why_a_second_decision_is_refused_and_the_note_is_shown(private_warehouse):
    plan_id = one(private_warehouse, CURRENT_PLAN)
    assert one(private_warehouse, "SELECT count(*) FROM plans.plan_rebalancing WHERE plan_id = ?", [plan_id])
    app = open_page("inventory")
    transfer = widget(app.selectbox, "Transfer").value  # both tabs open on the same transfer
    widget(app.text_input, "Who decides").input("")
    app = app.run()
    approve = widget(app.button, "Approve")
    assert approve.disabled and approve.help == "Enter who decides to approve or reject."
    assert any(c.value == approve.help for c in app.caption)

    other_tab = open_page("inventory")  # a second browser tab, ready to decide before the first one does
    widget(other_tab.text_input, "Who decides").input("ben")
    other_tab = other_tab.run()
    assert not widget(other_tab.button, "Reject").disabled
    widget(app.text_input, "Who decides").input("ana")
    widget(app.text_input, "Note (optional)").input("DE3 runs short next week")
    app = widget(app.run().button, "Approve").click().run()
    assert not app.exception
    approve = widget(app.button, "Approve")
    assert approve.disabled and approve.help.startswith("Already approved by ana at ")
    assert "DE3 runs short next week" in approve.help
    row = app.dataframe[1].value.set_index("transfer_id").loc[transfer]
    assert (row.decision, row.decided_by, row.note) == ("approved", "ana", "DE3 runs short next week")

    other_tab = widget(other_tab.button, "Reject").click().run()  # the click reruns the tab, which now knows
    assert not other_tab.exception
    assert widget(other_tab.button, "Reject").help == approve.help
    with pytest.raises(AlreadyDecided, match=f"{transfer} is already approved by ana at .* a decision is made once"):
        record_decision("rebalancing_transfer", transfer, "rejected", "ben")  # a tab racing past its buttons
    log = read_decisions(latest=False)
    assert log[["subject_id", "decision", "decided_by"]].values.tolist() == [[transfer, "approved", "ana"]]


def test_a_proposal_is_decided_once_with_its_note_shown(private_warehouse):
    coord_id = one(private_warehouse, "SELECT plan_id FROM plans.plan_runs WHERE scenario = 'coordinated'")
    with duckdb.connect(str(private_warehouse)) as con:
        con.execute("""INSERT INTO plans.plan_versions (plan_id, made_at, reason, made_by, detail, status)
                       SELECT ?, max(made_at) + INTERVAL 1 HOUR, 'event', 'plantsync:machine_down', 'DE1 press down',
                              'proposal' FROM plans.plan_versions""", [coord_id])
    app = open_page("plan")
    widget(app.text_input, "Who decides").input("ana")
    widget(app.text_input, "Note (optional)").input("customer informed")
    app = widget(app.run().button, "Approve").click().run()
    assert not app.exception
    approve = widget(app.button, "Approve")
    assert approve.disabled
    assert any("approved by ana" in c.value and "customer informed" in c.value for c in app.caption)
    assert read_decisions().note.tolist() == ["customer informed"]


def test_roi_counts_no_on_time_change_that_happened_before_the_first_plan(warehouse):
    first, latest = sql(warehouse, HISTORY)[0]
    plan_day = one(warehouse, "SELECT CAST(min(made_at) AS DATE) FROM plans.plan_versions")
    assert plan_day >= latest  # the fixture's plans are made on its last day of history: nothing after yet
    _, otif_first = sql(warehouse, WINDOW, [first, first + timedelta(days=27)])[0]
    _, otif_last = sql(warehouse, WINDOW, [latest - timedelta(days=27), latest])[0]
    assert round(otif_last - otif_first, 3) != 0  # the change the first-against-last comparison used to claim

    app = open_page("roi")
    assert not app.exception
    assert any("No history after the first plan yet" in i.value for i in app.info)
    assert metric(app, "On-time gain") == "none yet"
    assert metric(app, "Inventory reduction") == "none yet"
    assert next(m.delta for m in app.metric if m.label == "On-time gain") == "€0 a year"
    plan_id = one(warehouse, CURRENT_PLAN)
    overtime = one(warehouse, "SELECT difference FROM plans.plan_sync_summary WHERE plan_id = ? AND metric = 'overtime_hours'",
                   [plan_id])
    periods = one(warehouse, "SELECT max(period) FROM plans.plan_inventory WHERE plan_id = ?", [plan_id])
    per_year = -overtime * 52 / periods * 60
    assert metric(app, "Payback (months)") == (f"{250_000 / (per_year / 12):,.1f}" if per_year > 0 else "none")


def test_roi_windows_are_before_and_after_the_first_plan(private_warehouse):
    first, latest = sql(private_warehouse, HISTORY)[0]
    plan_day = first + timedelta(days=40)  # as if plantsync had begun planning then
    with duckdb.connect(str(private_warehouse)) as con:
        con.execute("""INSERT INTO plans.plan_versions (plan_id, made_at, reason, made_by, detail, status)
                       VALUES ('first-plan', ?::TIMESTAMP + INTERVAL 9 HOUR, 'pipeline', 'plantsync:pipeline',
                               'the first plan', 'superseded')""", [plan_day])
    before = (max(first, plan_day - timedelta(days=27)), plan_day)
    after = (max(plan_day + timedelta(days=1), latest - timedelta(days=27)), latest)
    stock_before, otif_before = sql(private_warehouse, WINDOW, list(before))[0]
    stock_after, otif_after = sql(private_warehouse, WINDOW, list(after))[0]

    app = open_page("roi")
    assert not app.exception
    caption = app.caption[0].value
    for day in (*before, *after):
        assert f"{day:%d %b %Y}" in caption
    assert metric(app, "Inventory reduction") == fmt.compact(stock_before - stock_after, "EUR")
    assert metric(app, "On-time gain") == f"{(otif_after - otif_before) * 100:+.1f} pp"
    revenue = one(private_warehouse, """SELECT sum(net_value_eur) * 365
                                        / greatest(date_diff('day', min(order_date), max(order_date)), 1)
                                        FROM marts.fct_order_lines""")
    on_time = (otif_after - otif_before) * revenue * 0.15
    assert next(m.delta for m in app.metric if m.label == "On-time gain") == f"{fmt.compact(on_time, 'EUR')} a year"


def test_a_zero_change_is_shown_without_colour_or_arrow(private_warehouse):
    with duckdb.connect(str(private_warehouse)) as con:  # utilization the same every day: no change at all
        con.execute("UPDATE marts.kpi_network_daily SET utilization = 0.5")
    app = open_page("network")
    assert not app.exception
    still = next(m for m in app.metric if m.label == "Utilization")
    assert still.delta == "no change"
    assert (still.proto.color, still.proto.direction) == (still.proto.GRAY, still.proto.NONE)
    latest = one(private_warehouse, LATEST)
    now_value, earlier_value = (one(private_warehouse, "SELECT avg(inventory_value_eur) FROM marts.kpi_network_daily "
                                                       "WHERE date_day BETWEEN ? AND ?", [start, end])
                                for start, end in ((latest - timedelta(days=27), latest),
                                                   (latest - timedelta(days=55), latest - timedelta(days=28))))
    moved = next(m for m in app.metric if m.label == "Inventory value")
    change = round(now_value - earlier_value)  # stock that rose is red (more capital tied up), fell green
    assert moved.proto.color == (moved.proto.GRAY if change == 0 else moved.proto.RED if change > 0 else moved.proto.GREEN)


@pytest.mark.parametrize(("value", "unit", "shown"), [
    (198_270, "units", "198.3k units"), (-1_234_567, "EUR", "-€1.23M"), (9_999.4, "hours", "9,999.4 h"),
    (0.2, "EUR", "€0"), (0.4567, "share", "45.7%")])
def test_tile_values_are_compact(value, unit, shown):
    assert fmt.compact(value, unit) == shown


@pytest.mark.parametrize(("change", "unit"), [(0.4, "EUR"), (-0.0004, "share"), (0.02, "days"), (0.0, "units")])
def test_a_change_that_rounds_to_zero_has_no_colour(change, unit):
    assert fmt.delta(change, unit) == {"delta": "no change", "delta_color": "off", "delta_arrow": "off"}
    assert fmt.delta(1e6, unit, higher_is_better=False)["delta_color"] == "inverse"


def test_stale_sources_are_those_of_plants_with_an_open_freshness_exception(private_warehouse):
    assert metric(open_page("data_quality"), "Stale sources") == "0"  # just loaded: no plant past its own limit
    plant = one(private_warehouse, "SELECT min(plant_code) FROM raw._loads WHERE plant_code <> 'NETWORK'")
    with duckdb.connect(str(private_warehouse)) as con:  # as the freshness check records a plant past its limit
        con.execute("""INSERT INTO quality.data_exceptions (exception_id, plant_code, check_name, entity, location,
                           rows, detail, severity, first_seen_at, last_seen_at, status)
                       VALUES ('freshness-test', ?, 'freshness', 'all', '', 0, 'latest extract too old', 'error',
                               ?, ?, 'open')""", [plant, clock.now(), clock.now()])
    sources = one(private_warehouse, "SELECT count(DISTINCT source_system) FROM raw._loads WHERE plant_code = ?", [plant])
    app = open_page("data_quality")
    assert metric(app, "Stale sources") == f"{sources:,}"
    assert any(w.value.startswith(f"{sources} source(s) older") and plant in w.value for w in app.warning)
