"""Scenarios and Synchronization tell the truth: lateness in the headlines, the differences in the chart, and
saved scenarios side by side that outlive the session."""

from __future__ import annotations

import base64
import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from dashboards.lib import format as fmt
from dashboards.lib.saved_scenarios import read_saved, save_scenario, saved_path
from optimization import plan
from optimization.scenario import Scenario, replan
from orchestration.core import clock
from orchestration.core.planning_inputs import planning_data
from orchestration.raw import connect
from tests.dashboards.conftest import one, open_page, sql

CURRENT_PLAN = ("SELECT plan_id FROM plans.plan_versions WHERE status = 'current' "
                "ORDER BY made_at DESC LIMIT 1")
SHOWN = {"EUR": (1, 0), "share": (100, 1), "unit-weeks": (1, 0), "hours": (1, 1)}  # scale, decimals on tiles
SURGE = 2.0
BUSIEST = """SELECT plant_code FROM plans.plan_production WHERE plan_id = (""" + CURRENT_PLAN + """)
             AND period BETWEEN 2 AND 3 GROUP BY 1 ORDER BY sum(qty) DESC LIMIT 1"""


def widget(widgets, label):
    return next(w for w in widgets if w.label == label)


def replan_on_page(app, plant: str | None = None):
    """Re-plan on the page for weeks 2-3 (the page's default): `plant` down, else every demand doubled."""
    if plant:
        widget(app.selectbox, "Plant or work center").select(plant)
    else:
        app = widget(app.radio, "What happens").set_value("demand").run()
        widget(app.slider, "Demand factor").set_value(SURGE)
    app = widget(app.button, "Re-plan").click().run()
    assert not app.exception, app.exception[0].value if app.exception else ""
    return app


def chart_values(trace: dict, axis: str) -> list:
    """A chart trace's values as plotly sends them: a list, or numbers packed as base64 with their dtype."""
    values = trace[axis]
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return values


def lateness(demand: pd.DataFrame, backlog: pd.DataFrame) -> tuple[float, float]:
    """The test's own reading of a plan's tables: the share of demand shipped in its week (what is still owed
    after a week is its newest demand) and the unit-weeks late (backlog summed over the weeks)."""
    keys = ["customer_id", "item_id", "period"]
    due = demand.groupby(keys, as_index=False).qty.sum()
    owed = due.merge(backlog.groupby(keys, as_index=False).qty.sum(), on=keys, how="left",
                     suffixes=("", "_owed"))
    late = owed[["qty", "qty_owed"]].fillna(0.0).min(axis=1).sum()
    return 1.0 - late / due.qty.sum(), float(backlog.qty.sum())


def test_scenario_headlines_show_the_lateness_its_plan_implies(warehouse):
    periods = one(warehouse, f"SELECT max(period) FROM plans.plan_inventory WHERE plan_id = ({CURRENT_PLAN})")
    con = connect(warehouse, read_only=True)
    try:
        data, _ = planning_data(con, {"horizon_periods": periods})
    finally:
        con.close()
    busiest = one(warehouse, BUSIEST)
    scenario = Scenario(f"{busiest} down", down=[(busiest, 2, 3)])
    current = plan(data, synchronized=True, scenario="current", time_limit=60.0, made_at=clock.now())
    result = replan(data, current, scenario, time_limit=60.0, made_at=clock.now())
    on_time, unit_weeks = lateness(data.demand, result.tables["backlog"])
    on_time_before, unit_weeks_before = lateness(data.demand, current.tables["backlog"])
    assert unit_weeks > unit_weeks_before  # customers wait for the busiest plant: the headlines must say so

    app = replan_on_page(open_page("scenarios"), busiest)
    tiles = {m.label: m for m in app.metric}
    assert tiles["Unit-weeks late"].value == fmt.compact(unit_weeks, "count")
    assert tiles["Unit-weeks late"].delta == "+" + fmt.compact(unit_weeks - unit_weeks_before, "count")
    assert tiles["On-time fill rate"].value == f"{on_time:.1%}"
    assert tiles["On-time fill rate"].delta == f"-{(on_time_before - on_time) * 100:.1f} pp"
    table = app.table[0].value.set_index("Figure")
    backlog_cost = [float(table.loc["Backlog cost", c].replace("€", "").replace(",", ""))
                    for c in ("Current plan", "Scenario")]
    assert backlog_cost[1] > backlog_cost[0]  # the backlog cost that rises is the lateness the tiles show
    assert table.loc["Unit weeks late", "Scenario"] == f"{unit_weeks:,.0f} unit-weeks"


def test_sync_chart_is_the_differences_in_plan_sync_summary_and_names_match(warehouse):
    plan_id = one(warehouse, CURRENT_PLAN)
    rows = sql(warehouse, """SELECT metric, synchronized, coordinated, difference, unit
                             FROM plans.plan_sync_summary WHERE plan_id = ?""", [plan_id])
    app = open_page("synchronization")
    assert not app.exception
    chart = json.loads(app.get("plotly_chart")[0].proto.spec)
    bars = chart["data"][0]
    costs = [(m, d) for m, _, _, d, unit in rows if unit == "EUR"]
    assert chart_values(bars, "x") == [m.replace("_", " ").capitalize() for m, _ in costs]
    assert chart_values(bars, "y") == pytest.approx([d for _, d in costs])
    assert "EUR" in chart["layout"]["yaxis"]["title"]["text"]
    assert "Synchronized minus each plant alone" in chart["layout"]["yaxis"]["title"]["text"]

    figures = {m: (s, c, d, unit) for m, s, c, d, unit in rows}
    tiles = {m.label: m for m in app.metric}
    assert tiles["Cost"].value == fmt.compact(figures["total_cost"][0], "EUR")
    assert tiles["On-time fill rate"].value == f"{figures['on_time_fill_rate'][0]:.1%}"
    assert tiles["Unit-weeks late"].value == fmt.compact(figures["unit_weeks_late"][0], "count")
    for label, name in (("Cost", "total_cost"), ("On-time fill rate", "on_time_fill_rate"),
                        ("Unit-weeks late", "unit_weeks_late"), ("Overtime", "overtime_hours")):
        _, _, difference, unit = figures[name]
        scale, decimals = SHOWN[unit]
        no_change = round(difference * scale, decimals) == 0  # as the tile rounds it: no arrow, no colour
        assert (tiles[label].delta == "no change") == no_change, label
    assert list(app.table[0].value.columns) == ["Figure", "Synchronized", "Each plant alone", "Difference"]
    assert any("Each plant alone" in c.value and "Synchronized" in c.value for c in app.caption)


def test_a_saved_scenario_is_listed_side_by_side_after_reopening_and_can_be_deleted(private_warehouse):
    before = hashlib.sha256(private_warehouse.read_bytes()).hexdigest()
    plan_id = one(private_warehouse, CURRENT_PLAN)
    save_scenario("an-earlier-plan", "old news", pd.DataFrame({"metric": ["total_cost"], "current": [1.0],
                                                               "scenario": [2.0]}),
                  pd.DataFrame({"plan": ["current"], "plant_code": ["DE1"], "qty": [1.0]}))
    app = replan_on_page(open_page("scenarios"))
    made = app.table[0].value.set_index("Figure")
    widget(app.text_input, "Save as").input("surge for the board")
    app = widget(app.button, "Save scenario").click().run()
    assert not app.exception

    app = open_page("scenarios")  # a new session, as after a browser reload
    assert "Re-plan" in app.info[0].value
    side = app.table[0].value.set_index("Figure")
    assert list(side.columns) == ["Current plan", "surge for the board"]
    for figure in ("Total cost", "On time fill rate", "Unit weeks late", "Backlog cost"):
        assert side.loc[figure].tolist() == made.loc[figure, ["Current plan", "Scenario"]].tolist(), figure
    chart = json.loads(app.get("plotly_chart")[0].proto.spec)
    produced = {trace["name"]: sum(chart_values(trace, "y")) for trace in chart["data"]}
    saved = read_saved(plan_id).production.groupby("plan").qty.sum()
    assert produced == pytest.approx({"Current plan": saved["current"],
                                      "surge for the board": saved["scenario"]})
    assert any("1 saved against earlier plans are not shown" in c.value for c in app.caption)

    widget(app.selectbox, "Saved scenario").select("surge for the board")
    app = widget(app.button, "Delete").click().run()
    assert not app.exception
    assert not app.table
    assert read_saved(plan_id).names == []
    assert read_saved("an-earlier-plan").names == ["old news"]
    assert saved_path().parent == private_warehouse.parent.parent  # beside the published folder, not in it
    assert hashlib.sha256(private_warehouse.read_bytes()).hexdigest() == before
