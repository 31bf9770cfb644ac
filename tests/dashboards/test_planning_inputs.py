"""The planner's inputs read from a real published warehouse: what enters the plan and when."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd

from orchestration.core.planning_inputs import planning_data


def test_an_open_order_past_due_is_owed_in_the_first_week(published_dir, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(published_dir / "published" / "warehouse.duckdb", path)
    with duckdb.connect(str(path)) as con:
        before, starts = planning_data(con, {})
        customer, item, plant = con.execute(
            "SELECT customer_id, item_id, plant_code FROM marts.fct_demand ORDER BY ALL LIMIT 1").fetchone()
        past_week = (starts[0] - pd.Timedelta(weeks=3)).date()
        old_forecast = (starts[0] - pd.Timedelta(weeks=2)).date()
        con.execute("INSERT INTO marts.fct_demand VALUES (?, ?, ?, ?, 37.0, 'open_orders'), "
                    "(?, ?, ?, ?, 11.0, 'forecast')",
                    [customer, item, plant, past_week, customer, item, plant, old_forecast])
        after, _ = planning_data(con, {})

    def first_week(data):
        rows = data.demand[(data.demand.customer_id == customer) & (data.demand.item_id == item)
                           & (data.demand.period == 1)]
        return rows.qty.sum()

    assert first_week(after) == first_week(before) + 37.0  # the past forecast week is not demand any more
    assert after.demand.qty.sum() == before.demand.qty.sum() + 37.0
    assert not after.demand.duplicated(["customer_id", "item_id", "home_plant_code", "period"]).any()
