"""The planner's views on a real published warehouse: each figure recomputed here from the plan with SQL."""

from __future__ import annotations

import base64
import json

import duckdb
import numpy as np
import pytest

from tests.dashboards.conftest import metric, one, open_page, sql

CURRENT_PLAN = """SELECT plan_id FROM plans.plan_versions WHERE status = 'current'
                  ORDER BY made_at DESC LIMIT 1"""
FIRST_WEEK = """SELECT min(period_start - to_weeks(CAST(period - 1 AS INTEGER)))
                FROM plans.plan_production WHERE plan_id = ?"""
IN_PLAN_WEEKS = f"""week_start BETWEEN ({FIRST_WEEK}) AND ({FIRST_WEEK})
    + to_weeks((SELECT CAST(max(period) - 1 AS INTEGER) FROM plans.plan_inventory WHERE plan_id = ?))"""
IDLE = """SELECT work_center_id FROM plans.plan_capacity WHERE plan_id = ? GROUP BY 1
          HAVING coalesce(sum(used_hours) / nullif(sum(available_hours), 0), 0) < 0.3 ORDER BY 1"""


def widget(widgets, label):
    return next(w for w in widgets if w.label == label)


def table(app, column: str):
    """The page's table that has `column`, as the DataFrame the page handed to st.dataframe."""
    return next(d.value for d in app.dataframe if column in d.value.columns)


def chart(app, number: int = 0) -> dict:
    return json.loads(app.get("plotly_chart")[number].proto.spec)


def values(data) -> list:
    """A trace's numbers, whether the figure's JSON holds a plain list or plotly's packed array."""
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def choose_exception(app, subject: str, severity: str = ""):
    """Pick the exception about `subject` (of that severity: a work center may also be listed as idle)."""
    box = widget(app.selectbox, "Exception")
    return box.select_index(next(i for i, o in enumerate(box.options)
                                 if f" · {subject} · " in o and o.startswith(severity))).run()


def end_below_safety_stock(path) -> None:
    """Let the plan end its last two weeks below safety stock at the plant-item with the most safety stock,
    as a plan short of capacity would (the fixture's plan ends every position at its safety stock)."""
    with duckdb.connect(str(path)) as con:
        con.execute(f"""UPDATE plans.plan_inventory SET qty = 0.4 * safety_stock_qty,
                            shortfall_qty = 0.6 * safety_stock_qty
                        WHERE plan_id = ({CURRENT_PLAN})
                          AND period >= (SELECT max(period) - 1 FROM plans.plan_inventory)
                          AND plant_code || '/' || item_id = (
                              SELECT plant_code || '/' || item_id FROM plans.plan_inventory
                              ORDER BY safety_stock_qty DESC, plant_code, item_id LIMIT 1)""")


def test_exceptions_count_each_kind_by_its_rule_and_filter(private_warehouse):
    end_below_safety_stock(private_warehouse)
    plan_id = one(private_warehouse, CURRENT_PLAN)
    late = one(private_warehouse, """SELECT count(*) FROM (SELECT DISTINCT customer_id, item_id
                             FROM plans.plan_backlog WHERE plan_id = ? AND qty > 1e-6)""", [plan_id])
    below = one(private_warehouse, """SELECT count(*) FROM (SELECT DISTINCT plant_code, item_id
                              FROM plans.plan_inventory WHERE plan_id = ? AND shortfall_qty > 1e-6)""",
                [plan_id])
    limits = one(private_warehouse, """SELECT count(*) FROM plans.plan_bottlenecks
                               WHERE plan_id = ? AND kind <> 'unmet_demand'""", [plan_id])
    idle = [w for (w,) in sql(private_warehouse, IDLE, [plan_id])]
    assert below and idle  # the fixture's plan has both, so the counts below can go wrong
    app = open_page("exceptions")
    assert not app.exception
    tiles = ("Late orders", "Below safety stock", "Bottlenecks", "Idle resources")
    assert [metric(app, tile) for tile in tiles] == [str(late), str(below), str(limits), str(len(idle))]
    assert len(table(app, "message")) == late + below + limits + len(idle)

    app = widget(app.multiselect, "Kind").select("idle resource").run()
    assert sorted(table(app, "message").subject) == idle
    plant = one(private_warehouse,
                "SELECT plant_code FROM plans.plan_capacity WHERE work_center_id = ? LIMIT 1", [idle[0]])
    app = widget(app.multiselect, "Plants").select(plant).run()
    assert set(table(app, "message").plant_code) == {plant}


def test_exception_drill_down_shows_the_stock_and_the_load_behind_it(private_warehouse):
    end_below_safety_stock(private_warehouse)
    plan_id = one(private_warehouse, CURRENT_PLAN)
    plant, item, weeks_below = sql(private_warehouse, """SELECT plant_code, item_id, count(*)
        FROM plans.plan_inventory WHERE plan_id = ? AND shortfall_qty > 1e-6
        GROUP BY ALL ORDER BY 3 DESC, 1, 2 LIMIT 1""", [plan_id])[0]
    app = choose_exception(open_page("exceptions"), f"{plant} / {item}")
    assert any(f"{item} at {plant} ends {weeks_below} week(s) below its safety stock" in m.value
               for m in app.markdown)
    expected = sql(private_warehouse, """SELECT qty, safety_stock_qty, shortfall_qty FROM plans.plan_inventory
                                 WHERE plan_id = ? AND plant_code = ? AND item_id = ? ORDER BY period""",
                   [plan_id, plant, item])
    shown = table(app, "shortfall_qty")[["qty", "safety_stock_qty", "shortfall_qty"]]
    assert shown.to_numpy() == pytest.approx(np.array(expected))

    work_center = sql(private_warehouse, IDLE, [plan_id])[0][0]
    app = choose_exception(app, work_center)
    load = sql(private_warehouse, """SELECT available_hours, used_hours FROM plans.plan_capacity
                             WHERE plan_id = ? AND work_center_id = ? ORDER BY period""",
               [plan_id, work_center])
    shown = table(app, "used_hours")[["available_hours", "used_hours"]]
    assert shown.to_numpy() == pytest.approx(np.array(load))


def test_a_bottleneck_drills_down_to_its_load_and_the_items_loading_it(private_warehouse):
    plan_id = one(private_warehouse, CURRENT_PLAN)
    work_center, used = sql(private_warehouse, """SELECT work_center_id, sum(used_hours)
        FROM plans.plan_capacity WHERE plan_id = ? AND period BETWEEN 2 AND 3
          AND work_center_id NOT IN (SELECT subject FROM plans.plan_bottlenecks WHERE plan_id = ?)
        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1""", [plan_id, plan_id])[0]
    before = int(metric(open_page("exceptions"), "Bottlenecks"))  # e.g. a supplier at its capacity
    with duckdb.connect(str(private_warehouse)) as con:  # as the planner reports a work center at its limit
        con.execute("""INSERT INTO plans.plan_bottlenecks
                       (plan_id, scenario, kind, subject, periods, amount, message, overtime_hours)
                       VALUES (?, 'synchronized', 'work_center', ?, '2-3', ?, ?, 6.5)""",
                    [plan_id, work_center, used, f"{work_center} runs at its limit in periods 2-3."])
    app = open_page("exceptions")
    assert metric(app, "Bottlenecks") == str(before + 1)
    listed = table(app, "message").set_index("message")
    message = f"{work_center} runs at its limit in periods 2-3."
    assert listed.loc[message, "severity"] == "high"  # it needs overtime, as the plan reports
    app = choose_exception(app, work_center, severity="high")
    assert any(m.value == message for m in app.markdown)
    loading = dict(sql(private_warehouse, """SELECT p.item_id, sum(p.qty * r.hours_per_unit)
        FROM plans.plan_production p JOIN marts.fct_routings r USING (plant_code, item_id)
        WHERE p.plan_id = ? AND r.work_center_id = ? GROUP BY 1""", [plan_id, work_center]))
    items = next(d.value for d in app.dataframe if {"item_id", "hours"} <= set(d.value.columns))
    assert dict(zip(items.item_id, items.hours)) == pytest.approx(loading)
    assert list(items.hours) == sorted(items.hours, reverse=True)


def test_late_order_shows_its_weeks_shipments_and_reason(private_warehouse):
    """A plan that ships half a week's demand one week late, with the item's work centers full that week."""
    plan_id = one(private_warehouse, CURRENT_PLAN)
    customer, item, plant, week, qty = sql(private_warehouse, """
        SELECT s.customer_id, s.item_id, s.plant_code, s.period, s.qty FROM plans.plan_shipments s
        JOIN plans.plan_shipments later ON later.plan_id = s.plan_id AND later.customer_id = s.customer_id
             AND later.item_id = s.item_id AND later.plant_code = s.plant_code AND later.period = s.period + 1
        WHERE s.plan_id = ? AND s.period >= 2 AND s.qty > 10
          AND s.item_id IN (SELECT item_id FROM marts.fct_routings)
          AND s.customer_id NOT IN (SELECT customer_id FROM plans.plan_backlog WHERE plan_id = ?)
        ORDER BY s.qty DESC, s.customer_id, s.item_id LIMIT 1""", [plan_id, plan_id])[0]
    late = qty / 2
    before = int(metric(open_page("exceptions"), "Late orders"))
    with duckdb.connect(str(private_warehouse)) as con:
        con.execute("""UPDATE plans.plan_shipments SET qty = qty + CASE WHEN period = ? THEN -? ELSE ? END
                       WHERE plan_id = ? AND customer_id = ? AND item_id = ? AND plant_code = ?
                         AND period IN (?, ?)""",
                    [week, late, late, plan_id, customer, item, plant, week, week + 1])
        con.execute("INSERT INTO plans.plan_backlog VALUES (?, 'synchronized', ?, ?, ?, ?)",
                    [plan_id, customer, item, week, late])
        con.execute("""UPDATE plans.plan_capacity SET used_hours = available_hours
                       WHERE plan_id = ? AND period = ? AND work_center_id IN
                             (SELECT work_center_id FROM marts.fct_routings WHERE item_id = ?)""",
                    [plan_id, week, item])
    app = open_page("exceptions")
    assert metric(app, "Late orders") == str(before + 1)
    app = choose_exception(app, f"{customer} / {item}")
    assert any(m.value.startswith(f"{late:,.0f} units of {item} for {customer} late in 1 week(s). "
                                  "Reason: capacity:") for m in app.markdown)
    week_start = one(private_warehouse, f"SELECT CAST(({FIRST_WEEK}) + to_weeks(CAST(? AS INTEGER)) AS DATE)",
                     [plan_id, week - 1])
    demand = one(private_warehouse, """SELECT sum(qty) FROM marts.fct_demand
                                       WHERE customer_id = ? AND item_id = ? AND week_start = ?""",
                 [customer, item, week_start])
    shipped = one(private_warehouse, """SELECT sum(qty) FROM plans.plan_shipments WHERE plan_id = ?
                                        AND customer_id = ? AND item_id = ? AND period = ?""",
                  [plan_id, customer, item, week])
    late_week = table(app, "late_qty").set_index("week").loc[f"{week_start.day} {week_start:%b %Y}"]
    assert (late_week.demand_qty, late_week.shipped_qty, late_week.backlog_qty, late_week.late_qty) == \
        pytest.approx((demand, shipped, late, late))
    sources = next(d.value for d in app.dataframe if {"plant_code", "qty"} <= set(d.value.columns))
    all_shipped = one(private_warehouse, """SELECT sum(qty) FROM plans.plan_shipments
                                            WHERE plan_id = ? AND customer_id = ? AND item_id = ?""",
                      [plan_id, customer, item])
    assert sources.qty.sum() == pytest.approx(all_shipped)

    app = widget(open_page("customers").selectbox, "Customer").select(customer).run()
    assert metric(app, "Units late in plan") == f"{late:,.0f} units"
    row = table(app, "otif_rate").set_index("customer_id").loc[customer]
    assert (row.late_qty, row.weeks_late) == pytest.approx((late, 1))


def test_projected_inventory_is_the_plans_inventory(private_warehouse):
    end_below_safety_stock(private_warehouse)
    plan_id = one(private_warehouse, CURRENT_PLAN)
    plant, item = sql(private_warehouse, """SELECT plant_code, item_id FROM plans.plan_inventory
                                    WHERE plan_id = ? AND shortfall_qty > 0
                                    ORDER BY shortfall_qty DESC LIMIT 1""", [plan_id])[0]
    app = open_page("projected_inventory")
    assert not app.exception
    pairs = one(private_warehouse, """SELECT count(*) FROM (SELECT DISTINCT plant_code, item_id
                              FROM plans.plan_inventory WHERE plan_id = ?)""", [plan_id])
    assert len(table(app, "weeks_below")) == pairs
    app = widget(app.multiselect, "Plants").select(plant).run()
    app = widget(app.selectbox, "Item").select(item).run()
    shown = table(app, "weeks_below")
    stock = sql(private_warehouse, """SELECT qty, shortfall_qty > 0 FROM plans.plan_inventory
                              WHERE plan_id = ? AND plant_code = ? AND item_id = ? ORDER BY period""",
                [plan_id, plant, item])
    assert shown[["plant_code", "item_id"]].values.tolist() == [[plant, item]]
    assert shown.iloc[0, 4:].tolist() == pytest.approx([qty for qty, _ in stock])
    assert shown.weeks_below.iloc[0] == sum(short for _, short in stock)
    assert metric(app, "Plant-items below safety stock") == "1 of 1"
    lines = {t["name"]: values(t["y"]) for t in chart(app)["data"]}
    assert lines[f"{plant} stock"] == pytest.approx([qty for qty, _ in stock])


def test_work_center_load_is_production_times_routing_hours(warehouse):
    plan_id = one(warehouse, CURRENT_PLAN)
    work_center = one(warehouse, """SELECT work_center_id FROM plans.plan_capacity WHERE plan_id = ?
                                    GROUP BY 1 ORDER BY sum(used_hours) DESC, 1 LIMIT 1""", [plan_id])
    hours = dict(sql(warehouse, """SELECT p.period, sum(p.qty * r.hours_per_unit) FROM plans.plan_production p
                                   JOIN marts.fct_routings r USING (plant_code, item_id)
                                   WHERE p.plan_id = ? AND r.work_center_id = ? GROUP BY 1""",
                     [plan_id, work_center]))
    app = widget(open_page("work_center_load").selectbox, "Work center").select(work_center).run()
    assert not app.exception
    by_week = table(app, "used_hours")
    assert by_week.used_hours.tolist() == pytest.approx([hours.get(p, 0.0)
                                                         for p in range(1, len(by_week) + 1)])
    stacked: dict[str, float] = {}
    for bar in (t for t in chart(app)["data"] if t["type"] == "bar"):
        for x, y in zip(values(bar["x"]), values(bar["y"])):
            stacked[x] = stacked.get(x, 0.0) + y
    assert sorted(stacked.values()) == pytest.approx(sorted(hours.values()))

    busiest = max(hours, key=hours.get)  # the week the page opens on
    orders = table(app, "hours_per_unit")
    assert orders.hours.sum() == pytest.approx(hours[busiest])
    assert len(orders) == one(warehouse, """SELECT count(*) FROM plans.plan_production p
                                            JOIN marts.fct_routings r USING (plant_code, item_id)
                                            WHERE p.plan_id = ? AND r.work_center_id = ? AND p.period = ?""",
                              [plan_id, work_center, busiest])


def test_network_map_has_a_node_per_plant_and_customer_and_an_edge_per_lane(warehouse):
    plan_id = one(warehouse, CURRENT_PLAN)
    app = open_page("network_map")
    assert not app.exception
    traces = {t["name"]: t for t in chart(app)["data"] if "name" in t}
    plants = [p for (p,) in sql(warehouse, "SELECT plant_code FROM marts.dim_plant ORDER BY 1")]
    customers = [c for (c,) in sql(warehouse, "SELECT customer_id FROM marts.dim_customer ORDER BY 1")]
    assert (traces["Plants"]["customdata"], traces["Customers"]["customdata"]) == (plants, customers)
    for kind in ("transfer", "delivery"):
        lanes = [lane for (lane,) in sql(warehouse, "SELECT lane_id FROM marts.dim_lane WHERE lane_kind = ? "
                                                    "ORDER BY 1", [kind])]
        assert sorted(traces[f"{kind.capitalize()} lanes"]["customdata"]) == lanes
    edges = [t for t in chart(app)["data"] if t["mode"] == "lines"]
    assert len(edges) == one(warehouse, "SELECT count(*) FROM marts.dim_lane")
    flows = table(app, "planned_qty").set_index("lane_id").planned_qty
    planned = dict(sql(warehouse, """SELECT from_plant_code || '->' || to_plant_code, sum(qty)
                                     FROM plans.plan_transfers WHERE plan_id = ? GROUP BY 1
                                     UNION ALL
                                     SELECT plant_code || '->' || customer_id, sum(qty)
                                     FROM plans.plan_shipments WHERE plan_id = ? GROUP BY 1""",
                       [plan_id, plan_id]))
    assert flows.to_dict() == pytest.approx({lane: planned.get(lane, 0.0) for lane in flows.index})


def test_customers_show_history_and_plan_service_per_customer(warehouse):
    plan_id = one(warehouse, CURRENT_PLAN)
    history = {c: rest for c, *rest in sql(warehouse, """
        SELECT customer_id,
               count(*) FILTER (WHERE is_on_time AND is_in_full) / count(*) FILTER (WHERE NOT is_open),
               sum(least(shipped_qty, ordered_qty)) FILTER (WHERE NOT is_open)
                   / sum(ordered_qty) FILTER (WHERE NOT is_open),
               avg(date_diff('day', order_date, shipped_date)) FILTER (WHERE shipped_date IS NOT NULL)
        FROM marts.fct_order_lines GROUP BY 1""")}
    demand = dict(sql(warehouse, f"SELECT customer_id, sum(qty) FROM marts.fct_demand WHERE {IN_PLAN_WEEKS} "
                                 "GROUP BY 1", [plan_id, plan_id, plan_id]))
    late = dict(sql(warehouse, f"""SELECT b.customer_id, sum(least(b.qty, d.qty)) FROM plans.plan_backlog b
        JOIN marts.fct_demand d ON d.customer_id = b.customer_id AND d.item_id = b.item_id
             AND d.week_start = ({FIRST_WEEK}) + to_weeks(CAST(b.period - 1 AS INTEGER))
        WHERE b.plan_id = ? GROUP BY 1""", [plan_id, plan_id]))
    app = open_page("customers")
    assert not app.exception
    shown = table(app, "otif_rate").set_index("customer_id")
    assert set(shown.index) == {c for (c,) in sql(warehouse, "SELECT customer_id FROM marts.dim_customer")}
    for customer, figures in history.items():
        assert shown.loc[customer, ["otif_rate", "fill_rate", "avg_lead_time_days"]].tolist() == \
            pytest.approx(figures)
    for customer, qty in demand.items():
        assert shown.loc[customer, ["demand_qty", "late_qty", "on_time_qty"]].tolist() == pytest.approx(
            [qty, late.get(customer, 0.0), qty - late.get(customer, 0.0)])

    customer = max(demand, key=demand.get)
    app = widget(app.selectbox, "Customer").select(customer).run()
    assert metric(app, "Plan demand") == f"{demand[customer]:,.0f} units"
    items = table(app, "item_id").set_index("item_id")
    by_item = dict(sql(warehouse, f"""SELECT item_id, sum(qty) FROM marts.fct_demand
                                      WHERE customer_id = ? AND {IN_PLAN_WEEKS} GROUP BY 1""",
                       [customer, plan_id, plan_id, plan_id]))
    assert items.demand_qty.dropna().to_dict() == pytest.approx(by_item)
    lines = dict(sql(warehouse, """SELECT item_id, count(*) FILTER (WHERE NOT is_open)
                                   FROM marts.fct_order_lines WHERE customer_id = ? GROUP BY 1""",
                     [customer]))
    assert items.lines_due.dropna().to_dict() == lines
