"""inventory_position from a real pipeline run: the network config's cycle-stock days set the maximum, and a
component's demand is what its plant's production of parents consumed."""

import dagster as dg
import duckdb
import pandas as pd
import pytest

from orchestration.cli import _materialize
from orchestration.definitions import build_definitions
from tests.conftest import edit_config

CYCLE_STOCK_DAYS = 3  # not the default, so the config's value must reach dbt

CONSUMED = """
    WITH as_of AS (SELECT plant_code, max(snapshot_date) AS as_of FROM marts.fct_inventory_daily GROUP BY 1)
    SELECT p.plant_code, b.component_item_id, sum((p.produced_qty + coalesce(p.scrap_qty, 0)) * b.qty_per) / 28
    FROM marts.fct_production_orders p JOIN marts.fct_bom b ON b.parent_item_id = p.item_id JOIN as_of USING (plant_code)
    WHERE p.finished_date > as_of - INTERVAL 28 DAY AND p.finished_date <= as_of
    GROUP BY ALL"""


def test_the_configured_cycle_stock_days_set_the_maximum_and_components_have_dependent_demand(network_copy, tmp_path):
    config = edit_config(network_copy / "network.yaml",
                         lambda raw: raw["planning"].update(cycle_stock_days=CYCLE_STOCK_DAYS))
    warehouse = tmp_path / "warehouse.duckdb"
    with dg.instance_for_test():
        assert _materialize(build_definitions(config, warehouse), tmp_path / "run.log") == []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        positions = con.execute("""SELECT plant_code, item_id, on_hand_qty, safety_stock_qty, avg_daily_demand,
                                          dependent_daily_demand, max_stock_qty, days_of_supply, status
                                   FROM marts.inventory_position""").df()
        consumed = {(p, i): qty for p, i, qty in con.execute(CONSUMED).fetchall()}
    assert consumed  # the assembly plant consumes stocked components
    for row in positions.itertuples():
        assert row.max_stock_qty == pytest.approx(row.safety_stock_qty + CYCLE_STOCK_DAYS * row.avg_daily_demand)
        expected = ("shortage" if row.on_hand_qty < row.safety_stock_qty
                    else "excess" if row.on_hand_qty > row.max_stock_qty else "ok")
        assert row.status == expected, row
        assert row.dependent_daily_demand == pytest.approx(consumed.get((row.plant_code, row.item_id), 0))
        assert (row.avg_daily_demand > 0) == pd.notna(row.days_of_supply)  # null only without demand
    components = positions[positions.dependent_daily_demand > 0]
    assert not components.empty and components.days_of_supply.notna().all()
