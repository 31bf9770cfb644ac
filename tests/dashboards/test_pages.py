"""Every page on a real published warehouse: it runs, shows the figures the data implies, and follows its widgets."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from datetime import timedelta

import duckdb
import pytest

from dashboards.lib import format as fmt
from orchestration.core import clock
from orchestration.core.decisions import read_decisions
from tests.dashboards.conftest import eur, metric, one, open_page, sql

PAGES = ["network", "plants", "inventory", "plan", "synchronization", "scenarios", "data_quality", "roi",
         "exceptions", "projected_inventory", "work_center_load", "network_map", "customers"]
TITLES = {"network": "Network", "plants": "Plants", "inventory": "Inventory", "plan": "Plan",
          "synchronization": "Synchronization", "scenarios": "Scenarios", "data_quality": "Data quality", "roi": "ROI",
          "exceptions": "Exceptions", "projected_inventory": "Projected inventory",
          "work_center_load": "Work-center load", "network_map": "Network map", "customers": "Customers"}
LATEST = "SELECT max(date_day) FROM marts.kpi_network_daily WHERE inventory_value_eur IS NOT NULL"
CURRENT_PLAN = "SELECT plan_id FROM plans.plan_versions WHERE status = 'current' ORDER BY made_at DESC LIMIT 1"


def widget(widgets, label):
    return next(w for w in widgets if w.label == label)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_and_shows_its_title(warehouse, page):
    app = open_page(page)
    assert not app.exception, app.exception[0].value if app.exception else ""
    assert [t.value for t in app.title] == [TITLES[page]]


def test_network_tiles_are_the_period_averages_and_follow_the_period(warehouse):
    latest = one(warehouse, LATEST)
    app = open_page("network")
    for days in (28, 7):
        start, before = latest - timedelta(days=days - 1), latest - timedelta(days=2 * days - 1)
        value, otif, utilization = sql(warehouse, """SELECT avg(inventory_value_eur), avg(otif_rate), avg(utilization)
            FROM marts.kpi_network_daily WHERE date_day BETWEEN ? AND ?""", [start, latest])[0]
        earlier = one(warehouse, "SELECT avg(inventory_value_eur) FROM marts.kpi_network_daily WHERE date_day BETWEEN ? AND ?",
                      [before, start - timedelta(days=1)])
        if days == 7:
            app = widget(app.selectbox, "Period").select(7).run()
        assert metric(app, "Inventory value") == fmt.compact(value, "EUR")
        assert metric(app, "On-time in-full") == f"{otif:.1%}"
        assert metric(app, "Utilization") == f"{utilization:.1%}"
        delta = next(m.delta for m in app.metric if m.label == "Inventory value")
        assert delta == fmt.delta(value - earlier, "EUR")["delta"]
    plants = app.dataframe[0].value.set_index("plant_code")
    expected = dict(sql(warehouse, """SELECT plant_code, avg(utilization) FROM marts.kpi_plant_daily
                                      WHERE date_day BETWEEN ? AND ? GROUP BY 1""", [latest - timedelta(days=6), latest]))
    assert plants.utilization.to_dict() == pytest.approx(expected)


def test_plants_page_shows_the_chosen_plant(warehouse):
    latest = one(warehouse, LATEST)
    start = latest - timedelta(days=27)
    app = open_page("plants")
    for plant in ("DE1", "MX1"):
        app = widget(app.selectbox, "Plant").select(plant).run()
        loaded, available = sql(warehouse, """SELECT sum(loaded_hours), sum(available_hours) FROM marts.fct_capacity_daily
                                             WHERE plant_code = ? AND date_day BETWEEN ? AND ?""", [plant, start, latest])[0]
        output = one(warehouse, """SELECT sum(produced_qty) FROM marts.fct_production_orders
                                   WHERE plant_code = ? AND finished_date BETWEEN ? AND ?""", [plant, start, latest])
        rejected, inspected = sql(warehouse, """SELECT sum(rejected_qty), sum(inspected_qty) FROM marts.fct_quality_inspections
            WHERE plant_code = ? AND CAST(inspected_at_utc AS DATE) BETWEEN ? AND ?""", [plant, start, latest])[0]
        assert metric(app, "Utilization") == f"{loaded / available:.1%}"
        assert metric(app, "Output (units)") == fmt.compact(output or 0, "count")
        assert metric(app, "Reject rate") == f"{rejected / inspected:.1%}"
        defects = app.dataframe[0].value
        assert defects.rejected_qty.sum() == rejected


def test_inventory_positions_follow_plant_and_item_filters(warehouse):
    app = open_page("inventory")
    total, shortages = sql(warehouse, "SELECT count(*), count(*) FILTER (WHERE status = 'shortage') FROM marts.inventory_position")[0]
    assert metric(app, "Positions") == f"{total:,}"
    assert metric(app, "Shortages") == f"{shortages:,}"
    value = one(warehouse, "SELECT sum(inventory_value_eur) FROM marts.inventory_position WHERE plant_code = 'DE2'")
    app = widget(app.multiselect, "Plants").select("DE2").run()
    assert metric(app, "Inventory value") == fmt.compact(value, "EUR")
    assert set(app.dataframe[0].value.plant_code) == {"DE2"}
    item = app.dataframe[0].value.item_id.iloc[0]
    app = widget(app.selectbox, "Item").select(item).run()
    assert app.dataframe[0].value.item_id.tolist() == [item]


def test_rebalancing_decision_is_recorded_with_who_and_when(private_warehouse):
    plan_id = one(private_warehouse, CURRENT_PLAN)
    proposed = [t for (t,) in sql(private_warehouse, "SELECT transfer_id FROM plans.plan_rebalancing WHERE plan_id = ? "
                                                     "ORDER BY transfer_id", [plan_id])]
    assert proposed  # the demo's stock ends with a surplus at the alternate plant
    transfer = proposed[0]
    app = open_page("inventory")
    assert sorted(app.dataframe[1].value.transfer_id) == proposed
    widget(app.selectbox, "Transfer").select(transfer)
    widget(app.text_input, "Who decides").input("ana")
    widget(app.text_input, "Note (optional)").input("DE3 runs short next week")
    app = widget(app.run().button, "Approve").click().run()
    assert not app.exception
    decided = read_decisions()
    assert decided[["subject_kind", "subject_id", "decision", "decided_by", "note"]].values.tolist() == [
        ["rebalancing_transfer", transfer, "approved", "ana", "DE3 runs short next week"]]
    shown = open_page("inventory").dataframe[1].value.set_index("transfer_id").loc[transfer]  # a later run shows it
    assert (shown.decision, shown.decided_by) == ("approved", "ana")
    assert shown.decided_at == f"{decided.decided_at.iloc[0]:%Y-%m-%d %H:%M}"


def test_plan_page_shows_the_current_plan_and_follows_plants(warehouse):
    plan_id = one(warehouse, CURRENT_PLAN)
    app = open_page("plan")
    assert plan_id in app.caption[0].value
    total = one(warehouse, "SELECT sum(qty) FROM plans.plan_production WHERE plan_id = ?", [plan_id])
    moved = one(warehouse, "SELECT sum(qty) FROM plans.plan_transfers WHERE plan_id = ?", [plan_id])
    assert metric(app, "Planned production (units)") == fmt.compact(total, "count")
    assert metric(app, "Transfers (units)") == fmt.compact(moved, "count")
    de1 = one(warehouse, "SELECT sum(qty) FROM plans.plan_production WHERE plan_id = ? AND plant_code = 'DE1'", [plan_id])
    app = widget(app.multiselect, "Plants").select("DE1").run()
    assert metric(app, "Planned production (units)") == fmt.compact(de1, "count")
    item, made = sql(warehouse, """SELECT item_id, sum(qty) FROM plans.plan_production WHERE plan_id = ? AND plant_code = 'DE1'
                                   GROUP BY 1 ORDER BY 2 DESC LIMIT 1""", [plan_id])[0]
    app = widget(app.selectbox, "Item").select(item).run()
    assert metric(app, "Planned production (units)") == fmt.compact(made, "count")


def test_plan_versions_choose_the_current_plan_and_proposals_get_decisions(private_warehouse):
    sync_id = one(private_warehouse, CURRENT_PLAN)
    coord_id = one(private_warehouse, "SELECT plan_id FROM plans.plan_runs WHERE scenario = 'coordinated'")
    with duckdb.connect(str(private_warehouse)) as con:  # an event re-plan kept as a proposal
        con.execute("""INSERT INTO plans.plan_versions (plan_id, made_at, reason, made_by, detail, status)
                       VALUES (?, ?::TIMESTAMP + INTERVAL 1 HOUR, 'event', 'plantsync:machine_down',
                               'DE1 press down', 'proposal')""", [coord_id, clock.now().replace(tzinfo=None)])
        con.execute("INSERT INTO plans.plan_what_moved VALUES (?, 1, 'plant MX1 picks up 500 units of DSC-0001')",
                    [coord_id])
    app = open_page("plan")
    assert sync_id in app.caption[0].value
    assert any(coord_id in m.value and "DE1 press down" in m.value for m in app.markdown)
    assert any("MX1 picks up 500 units" in m.value for m in app.markdown)
    widget(app.text_input, "Who decides").input("ana")
    app = widget(app.run().button, "Reject").click().run()
    assert not app.exception
    decided = read_decisions()
    assert decided[["subject_kind", "subject_id", "decision", "decided_by"]].values.tolist() == [
        ["plan_proposal", coord_id, "rejected", "ana"]]
    assert any("rejected by ana" in c.value for c in app.caption)
    with duckdb.connect(str(private_warehouse)) as con:
        con.execute("""INSERT INTO plans.plan_versions (plan_id, made_at, reason, made_by, detail, status)
                       VALUES (?, ?::TIMESTAMP + INTERVAL 2 HOUR, 'analyst', 'ana', 'approved', 'current')""",
                    [coord_id, clock.now().replace(tzinfo=None)])
    app = open_page("plan")
    assert coord_id in app.caption[0].value
    total = one(private_warehouse, "SELECT sum(qty) FROM plans.plan_production WHERE plan_id = ?", [coord_id])
    assert metric(app, "Planned production (units)") == fmt.compact(total, "count")


def test_synchronization_compares_both_plans_with_assumptions(warehouse):
    plan_id = one(warehouse, CURRENT_PLAN)
    figures = {m: (s, c) for m, s, c in sql(warehouse, """SELECT metric, synchronized, coordinated
                                                         FROM plans.plan_sync_summary WHERE plan_id = ?""", [plan_id])}
    app = open_page("synchronization")
    synchronized, alone = figures["total_cost"]
    assert metric(app, "Cost") == fmt.compact(synchronized, "EUR")
    assert metric(app, "On-time fill rate") == f"{figures['on_time_fill_rate'][0]:.1%}"
    assert f"Value of synchronization: {eur(alone - synchronized)}" in app.markdown[0].value
    table = app.table[0].value.set_index("Figure")
    assert table.loc["Total cost", "Each plant alone"] == eur(alone)
    assumptions = [a for (a,) in sql(warehouse, "SELECT assumption FROM plans.plan_assumptions WHERE plan_id = ?", [plan_id])]
    assert [m.value for m in app.markdown[1:]] == [f"- {a}" for a in assumptions]


def test_scenario_replans_a_plant_down_and_never_writes_the_warehouse(warehouse):
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    plan_id = one(warehouse, CURRENT_PLAN)
    objective = one(warehouse, "SELECT objective FROM plans.plan_runs WHERE plan_id = ?", [plan_id])
    busiest = one(warehouse, """SELECT plant_code FROM plans.plan_production WHERE plan_id = ? AND period BETWEEN 2 AND 3
                                GROUP BY 1 ORDER BY sum(qty) DESC LIMIT 1""", [plan_id])
    app = open_page("scenarios")
    assert "Re-plan" in app.info[0].value
    widget(app.selectbox, "Plant or work center").select(busiest)
    app = widget(app.button, "Re-plan").click().run()
    assert not app.exception
    table = app.table[0].value.set_index("Figure")
    current = float(table.loc["Total cost", "Current plan"].replace("€", "").replace(",", ""))
    scenario = float(table.loc["Total cost", "Scenario"].replace("€", "").replace(",", ""))
    assert current == pytest.approx(objective, abs=1.0)  # the in-memory current plan is the published one
    assert scenario > current  # losing the busiest plant for two weeks costs something
    moves = app.markdown[-1].value
    assert f"plant {busiest} drops" in moves
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == before
    assert one(warehouse, "SELECT count(*) FROM plans.plan_runs") == 2


def test_data_quality_counts_and_plant_filter(warehouse):
    app = open_page("data_quality")
    quarantined = one(warehouse, "SELECT count(*) FROM raw._quarantine")
    assert quarantined > 0  # the fixture network has faults
    failed, checks = sql(warehouse, "SELECT count(*) FILTER (WHERE NOT success), count(*) FROM quality.validation_results")[0]
    assert metric(app, "Quarantined rows") == f"{quarantined:,}"
    assert metric(app, "Checks failed") == f"{failed:,} of {checks:,}"
    open_exceptions = one(warehouse, "SELECT count(*) FROM quality.data_exceptions WHERE status = 'open'")
    assert metric(app, "Open exceptions") == f"{open_exceptions:,}"
    assert metric(app, "Stale sources") == "0"  # loaded minutes ago
    plant = one(warehouse, "SELECT plant_code FROM raw._quarantine GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
    app = widget(app.selectbox, "Plant").select(plant).run()
    of_plant = one(warehouse, "SELECT count(*) FROM raw._quarantine WHERE plant_code = ?", [plant])
    assert metric(app, "Quarantined rows") == f"{of_plant:,}"
    shown = next(d.value for d in app.dataframe if "rule" in d.value.columns)
    assert set(shown.plant_code) == {plant}


def test_roi_payback_from_measured_effects_and_assumptions(warehouse):
    first, latest = sql(warehouse, """SELECT min(date_day), max(date_day) FROM marts.kpi_network_daily
                                      WHERE inventory_value_eur IS NOT NULL""")[0]
    plan_day = one(warehouse, "SELECT CAST(min(made_at) AS DATE) FROM plans.plan_versions")
    window = "SELECT avg(inventory_value_eur), avg(otif_rate) FROM marts.kpi_network_daily WHERE date_day BETWEEN ? AND ?"
    measured = first <= plan_day < latest  # history on both sides of the first plan
    per_year = 0.0
    if measured:
        stock_before, otif_before = sql(warehouse, window, [max(first, plan_day - timedelta(days=27)), plan_day])[0]
        stock_after, otif_after = sql(warehouse, window, [max(plan_day + timedelta(days=1), latest - timedelta(days=27)),
                                                          latest])[0]
        revenue = one(warehouse, """SELECT sum(net_value_eur) * 365 / greatest(date_diff('day', min(order_date),
                                    max(order_date)), 1) FROM marts.fct_order_lines""")
        per_year = (stock_before - stock_after) * 0.25 + (otif_after - otif_before) * revenue * 0.15
    plan_id = one(warehouse, CURRENT_PLAN)
    overtime = one(warehouse, "SELECT difference FROM plans.plan_sync_summary WHERE plan_id = ? AND metric = 'overtime_hours'",
                   [plan_id])
    periods = one(warehouse, "SELECT max(period) FROM plans.plan_inventory WHERE plan_id = ?", [plan_id])
    per_year -= overtime * 52 / periods * 60
    app = open_page("roi")
    assert metric(app, "Inventory reduction") == (fmt.compact(stock_before - stock_after, "EUR") if measured
                                                  else "none yet")
    for investment in (250_000, 500_000):
        if investment != 250_000:
            app = widget(app.number_input, "Investment (EUR)").set_value(investment).run()
        expected = f"{investment / (per_year / 12):,.1f}" if per_year > 0 else "none"
        assert metric(app, "Payback (months)") == expected


@pytest.mark.parametrize("published", ["missing", "no tables"])
@pytest.mark.parametrize("page", PAGES)
def test_empty_data_directory_says_run_make_run(tmp_path, monkeypatch, page, published):
    monkeypatch.setenv("PLANTSYNC_DATA_DIR", str(tmp_path))
    if published == "no tables":
        (tmp_path / "published").mkdir()
        duckdb.connect(str(tmp_path / "published" / "warehouse.duckdb")).close()
    app = open_page(page)
    assert not app.exception
    assert any("run `make run` first" in i.value for i in app.info)


def test_warehouse_locked_by_a_writer_says_try_again(private_warehouse):
    writer = "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('locked', flush=True); time.sleep(120)"
    holder = subprocess.Popen([sys.executable, "-c", writer, str(private_warehouse)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        for page in PAGES:
            app = open_page(page)
            assert not app.exception, page
            assert any("being written right now" in i.value for i in app.info), page
    finally:
        holder.kill()
        holder.wait()


def test_dashboards_import_no_dagster():
    code = ("import sys, dashboards.lib.scenarios, dashboards.lib.inventory, dashboards.lib.roi, dashboards.lib.quality; "
            "assert not [m for m in sys.modules if m.startswith('dagster')], 'dagster imported'")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
    assert time.perf_counter() - started < 60


def test_pages_hold_no_lock_so_the_pipeline_can_write(private_warehouse):
    for page in PAGES:
        open_page(page)
    writer = "import duckdb, sys; duckdb.connect(sys.argv[1]).execute('CREATE TABLE marts.pipeline_was_here (x INT)')"
    subprocess.run([sys.executable, "-c", writer, str(private_warehouse)], check=True, timeout=60)


def test_scenario_demand_surge_raises_the_cost(warehouse):
    app = open_page("scenarios")
    app = widget(app.radio, "What happens").set_value("demand").run()
    widget(app.slider, "Demand factor").set_value(2.0)
    app = widget(app.button, "Re-plan").click().run()
    assert not app.exception
    assert app.subheader[0].value == "“demand all x2.0” against the current plan"
    table = app.table[0].value.set_index("Figure")
    current, surge = (float(table.loc["Total cost", c].replace("€", "").replace(",", "")) for c in ("Current plan", "Scenario"))
    assert surge > current
