"""The warehouse built by a real dbt build: lineage, reconciliation against the sources, idempotence."""

import dagster as dg
import duckdb
import pytest

from orchestration.cli import _materialize
from orchestration.definitions import build_definitions
from orchestration.demo.generator import generate

# (plant, raw entity, mart, entity name in the unmatched model): sources with one row per mart row.
ONE_ROW_PER_FACT = [
    ("DE1", "mard", "fct_inventory_daily", "inventory"),
    ("MX1", "existencias", "fct_inventory_daily", "inventory"),
    ("DE3", "inventory", "fct_inventory_daily", "inventory"),
    ("DE1", "vbap", "fct_order_lines", "order_lines"),
    ("DE2", "sale_order_line", "fct_order_lines", "order_lines"),
    ("MX1", "pedidos", "fct_order_lines", "order_lines"),
    ("DE3", "order_lines", "fct_order_lines", "order_lines"),
    ("DE2", "mrp_production", "fct_production_orders", "production_orders"),
    ("MX1", "ordenes_trabajo", "fct_production_orders", "production_orders"),
    ("DE3", "production_orders", "fct_production_orders", "production_orders"),
    ("MX1", "traspasos", "fct_transfers", "transfers"),
    ("DE1", "eket", "fct_purchase_orders", "purchase_orders"),
    ("DE2", "purchase_order_line", "fct_purchase_orders", "purchase_orders"),
    ("MX1", "compras", "fct_purchase_orders", "purchase_orders"),
    ("DE3", "purchase_orders", "fct_purchase_orders", "purchase_orders"),
]


@pytest.fixture(scope="module")
def faulty_warehouse(tmp_path_factory):
    out = tmp_path_factory.mktemp("faulty")
    manifest = generate(out / "sources", plants=4, items=12, days=60, fault_rate=0.03)
    warehouse = out / "warehouse.duckdb"
    defs = build_definitions(out / "sources" / "network.yaml", warehouse)
    with dg.instance_for_test():
        failures = _materialize(defs, out / "run.log")
    return manifest, warehouse, defs, failures


def test_lineage_runs_from_each_plants_extracts_to_the_marts(faulty_warehouse):
    *_, defs, _ = faulty_warehouse
    graph = defs.resolve_asset_graph()
    assert graph.get(dg.AssetKey(["staging", "stg_sap__mard"])).parent_keys == {dg.AssetKey(["raw", "DE1", "mard"])}
    events = graph.get(dg.AssetKey(["staging", "stg_events__machine_events"])).parent_keys
    assert events == {dg.AssetKey(["raw", p, "machine_events"]) for p in ("DE1", "DE2", "DE3", "MX1")}
    assert dg.AssetKey(["marts", "kpi_network_daily"]) in graph.get_all_asset_keys()


def test_marts_reconcile_with_sources_minus_quarantine_and_unmatched(faulty_warehouse):
    manifest, warehouse, _, failures = faulty_warehouse
    assert failures == []
    late = {}
    for entry in manifest.late_files:
        late[(entry["plant"], entry["entity"])] = late.get((entry["plant"], entry["entity"]), 0) + entry["rows"]
    unmatched_total = 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for plant, entity, mart, unified in ONE_ROW_PER_FACT:
            written = manifest.counts[plant][entity] - late.get((plant, entity), 0)
            quarantined = con.execute(
                "SELECT count(DISTINCT (source_file, source_row)) FROM raw._quarantine WHERE plant_code = ? "
                "AND entity = ?", [plant, entity]).fetchone()[0]
            unmatched = con.execute(
                "SELECT count(DISTINCT (load_id, source_file, source_row)) FROM intermediate.int_unmatched_rows "
                "WHERE plant_code = ? AND entity = ?", [plant, unified]).fetchone()[0]
            in_mart = con.execute(f"SELECT count(*) FROM marts.{mart} WHERE "
                                  f"{'from_plant_code' if mart == 'fct_transfers' else 'plant_code'} = ?",
                                  [plant]).fetchone()[0]
            assert written == in_mart + quarantined + unmatched, (plant, entity)
            unmatched_total += unmatched
        faults = {(f["plant"], f["entity"]) for f in manifest.faults}
        assert any(key[:2] in faults for key in ONE_ROW_PER_FACT)
        reasons = {r for (r,) in con.execute("SELECT DISTINCT reason FROM intermediate.int_unmatched_rows").fetchall()}
    assert reasons <= {"unknown item code", "unknown unit code", "unknown customer code", "no exchange rate"}


def test_marts_hold_converted_values(faulty_warehouse):
    _, warehouse, *_ = faulty_warehouse
    with duckdb.connect(str(warehouse), read_only=True) as con:
        # DE2 sells some aftermarket lines in dozens: every mart quantity is in pieces.
        dozens = con.execute("""SELECT count(*) FROM staging.stg_cloud__sale_order_line
                                 WHERE unit_code = 'Dozens'""").fetchone()[0]
        ratio = con.execute("""
            SELECT min(f.ordered_qty / s.ordered_qty) FROM marts.fct_order_lines f
            JOIN staging.stg_cloud__sale_order_line s ON f.order_line_id = 'DE2:' || s.record_id
            WHERE s.unit_code = 'Dozens'""").fetchone()[0]
        assert dozens == 0 or ratio == 12.0
        # MX1 prices are in pesos: in EUR they are about 5% of the peso figure.
        pesos, euros = con.execute("""
            SELECT sum(s.unit_price * s.ordered_qty), sum(f.net_value_eur) FROM marts.fct_order_lines f
            JOIN staging.stg_plantdb__pedidos s ON f.order_line_id = 'MX1:' || s.order_line_number""").fetchone()
        assert 0.03 < euros / pesos < 0.08
        # Machine events were local times: MX1 shifts start at 06:00 in Mexico City (UTC-6), 12:00 UTC.
        hours = {h for (h,) in con.execute("""SELECT DISTINCT hour(event_at_utc AT TIME ZONE 'UTC')
            FROM marts.fct_machine_events WHERE plant_code = 'MX1' AND state = 'RUNNING'
            AND reason IS NULL AND minute(event_at_utc) = 0""").fetchall()}
        assert 12 in hours


def test_rerun_without_new_data_changes_no_mart_row(faulty_warehouse):
    _, warehouse, defs, _ = faulty_warehouse
    log = warehouse.parent / "rerun.log"

    def snapshot():
        with duckdb.connect(str(warehouse), read_only=True) as con:
            tables = [t for (t,) in con.execute("SELECT table_name FROM information_schema.tables "
                                                "WHERE table_schema = 'marts' ORDER BY 1").fetchall()]
            return {t: con.execute(f"SELECT * FROM marts.{t} ORDER BY ALL").fetchall() for t in tables}

    before = snapshot()
    with dg.instance_for_test():
        assert _materialize(defs, log) == []
    after = snapshot()
    assert before.keys() == after.keys() and len(before) == 22
    changed = [t for t in before if before[t] != after[t]]
    assert changed == []


def test_pipeline_plans_the_network_from_the_marts(faulty_warehouse):
    _, warehouse, *_ = faulty_warehouse
    with duckdb.connect(str(warehouse), read_only=True) as con:
        runs = con.execute("SELECT scenario, status, objective FROM plans.plan_runs ORDER BY created_at").fetchall()
        summary = dict(con.execute("SELECT metric, difference FROM plans.plan_sync_summary").fetchall())
        scenarios = {s for (s,) in con.execute("SELECT DISTINCT scenario FROM plans.plan_production").fetchall()}
        lanes = set(con.execute("SELECT from_code, to_code FROM marts.dim_lane WHERE lane_kind = 'transfer'").fetchall())
        moved = set(con.execute("SELECT from_plant_code, to_plant_code FROM plans.plan_transfers").fetchall())
        routed = set(con.execute("SELECT plant_code, item_id FROM marts.fct_routings").fetchall())
        made = set(con.execute("SELECT plant_code, item_id FROM plans.plan_production").fetchall())
    assert [r[:2] for r in runs[:2]] == [("synchronized", "optimal"), ("coordinated", "optimal")]
    assert runs[0][2] <= runs[1][2] + 1e-6  # synchronizing never costs more than planning alone
    assert summary["total_cost"] <= 1e-6
    assert scenarios == {"synchronized", "coordinated"}
    assert moved <= lanes  # transfers only on configured lanes
    assert made <= routed  # production only where a routing makes the item
