"""Rows that used to vanish or land in the wrong place: an order item without its header, stock that names
another plant, machine events loaded before their plant's work-center list. Each row now loads, or is
quarantined or listed unmatched with its reason, and the counts reconcile."""

import json
import shutil

import dagster as dg
import pytest

from orchestration.cli import _materialize
from orchestration.config import load_config
from orchestration.definitions import build_definitions
from orchestration.raw import ReferenceMissing, load_entity
from orchestration.sources import SOURCE_KINDS, erp_connector, events_connector
from tests.quality.conftest import load_reference, query

PLANTS = ["DE1", "DE2", "DE3", "MX1"]


def rewrite_lines(path, change) -> None:
    lines = path.read_text().splitlines()
    path.write_text("\n".join(change(lines)) + "\n")


@pytest.fixture(scope="module")
def built(small_sources, tmp_path_factory):
    """The small network with a headerless SAP order item, SAP stock and a cloud stock quant that name
    DE3, built once through the whole pipeline; returns (sources, warehouse, facts about the changes)."""
    root = tmp_path_factory.mktemp("vanishing")
    sources = root / "sources"
    shutil.copytree(small_sources, sources)
    sap = sources / "DE1" / "sap"
    vbap = sorted(sap.glob("VBAP_*.csv"))[-1]
    orphan = "0099999999;000010;000000000010000010;DE1;5,000;ST;90,000;EUR"
    rewrite_lines(vbap, lambda lines: [*lines, orphan])
    mard = sorted(sap.glob("MARD_*.csv"))[-1]
    rewrite_lines(mard, lambda lines: [lines[0], lines[1].replace(";DE1;", ";DE3;"), *lines[2:]])
    quants = sources / "DE2" / "cloud" / "stock.quant.jsonl"
    records = [json.loads(line) for line in quants.read_text().splitlines()]
    records[0]["location_id"] = [9, "DE3/Stock"]
    quants.write_text("".join(json.dumps(r) + "\n" for r in records))
    warehouse = root / "data" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    with dg.instance_for_test():
        failures = _materialize(build_definitions(sources / "network.yaml", warehouse), root / "run.log")
    return sources, warehouse, failures, vbap.name, mard.name, records[0]


def test_the_pipeline_runs_through_and_publishes_every_plant(built):
    _, warehouse, failures, *_ = built
    assert failures == []
    assert query(warehouse.parent / "published" / "warehouse.duckdb",
                 "SELECT DISTINCT plant_code FROM marts.kpi_plant_daily ORDER BY 1") == [(p,) for p in PLANTS]


def test_an_order_item_without_its_header_is_listed_unmatched_not_dropped(built):
    _, warehouse, _, vbap, _, _ = built
    assert query(warehouse, """SELECT reason, field, value FROM intermediate.int_unmatched_rows
                               WHERE source_file = ? AND entity = 'order_lines'""", [vbap]) == [
        ("order line without its order header", "order_line_number", "0099999999/000010")]
    assert query(warehouse, "SELECT count(*) FROM marts.fct_order_lines WHERE order_line_id LIKE '%0099999999%'") == [
        (0,)]
    # every SAP order item is in the mart or unmatched, none lost to a join
    (items,), = query(warehouse, "SELECT count(DISTINCT (sales_document, item_number)) FROM staging.stg_sap__vbap")
    (in_mart,), = query(warehouse, "SELECT count(*) FROM marts.fct_order_lines WHERE plant_code = 'DE1'")
    (unmatched,), = query(warehouse, """SELECT count(DISTINCT (source_file, source_row)) FROM
                                        intermediate.int_unmatched_rows
                                        WHERE entity = 'order_lines' AND plant_code = 'DE1'""")
    assert items == in_mart + unmatched  # the orphan, and orders older than the FX history


def test_stock_naming_another_plant_is_quarantined_not_counted_as_this_plants(built):
    _, warehouse, _, _, mard, quant = built
    assert query(warehouse, """SELECT plant_code, source_row, rule, field, value FROM raw._quarantine
                               WHERE rule = 'own_plant' ORDER BY plant_code""") == [
        ("DE1", 1, "own_plant", "WERKS", "DE3"),
        ("DE2", 1, "own_plant", "location_id", '[9, "DE3/Stock"]')]
    for plant, entity in (("DE1", "mard"), ("DE2", "stock_quant")):
        (read, loaded), = query(warehouse, "SELECT sum(rows_read), sum(rows_loaded) FROM raw._loads "
                                           "WHERE plant_code = ? AND entity = ?", [plant, entity])
        (quarantined,), = query(warehouse, "SELECT count(DISTINCT (load_id, source_file, source_row)) "
                                           "FROM raw._quarantine WHERE plant_code = ? AND entity = ?", [plant, entity])
        assert read == loaded + quarantined == 0 + read and quarantined == 1
    assert query(warehouse, "SELECT count(*) FROM marts.fct_inventory_daily WHERE plant_code = 'DE3' "
                            "AND item_id IS NULL") == [(0,)]


def test_events_wait_for_their_plants_work_center_list_and_are_checked_against_it(network_copy, data_dir):
    """In the graph a plant's events follow its work-center list; a load without the list fails, naming
    it, and loads nothing (a later run loads it whole), rather than skip the unknown-machine check."""
    config_file = network_copy / "network.yaml"
    graph = build_definitions(config_file, data_dir / "unused.duckdb").resolve_asset_graph()
    for plant, master in (("DE1", "crhd"), ("DE2", "mrp_workcenter"), ("DE3", "work_centers"), ("MX1", "lineas")):
        for events in ("machine_events", "quality_inspections"):
            assert dg.AssetKey(["raw", plant, master]) in graph.get(dg.AssetKey(["raw", plant, events])).parent_keys

    warehouse = data_dir / "warehouse.duckdb"
    load_reference(config_file, warehouse)
    feed = sorted((network_copy / "DE3" / "events").glob("machine_events_*.jsonl"))[-1]
    rewrite_lines(feed, lambda lines: [*lines, json.dumps({"event_id": "DE3-GHOST", "machine": "Z9",
                                                           "ts": "2026-11-23T07:00:00", "state": "DOWN",
                                                           "reason": "no such machine"})])
    config = load_config(config_file)
    events = events_connector(config, config.plant("DE3"))
    entity = SOURCE_KINDS["events"].entity("machine_events")
    with pytest.raises(ReferenceMissing, match="DE3 machine_events: cannot check work centers: the plant's own "
                                               "work-center list holds none for DE3 yet"):
        load_entity(warehouse, events, entity, PLANTS)
    assert query(warehouse, "SELECT count(*) FROM raw._loads WHERE entity = 'machine_events'") == [(0,)]

    load_entity(warehouse, erp_connector(config, config.plant("DE3"), {}), SOURCE_KINDS["generic"].entity("work_centers"), PLANTS)
    result = load_entity(warehouse, events, entity, PLANTS)
    total = sum(len(f.read_text().splitlines()) for f in feed.parent.glob("machine_events_*.jsonl"))
    assert query(warehouse, "SELECT source_file, source_row, rule, field, value FROM raw._quarantine") == [
        (feed.name, len(feed.read_text().splitlines()), "known_work_center", "machine", "Z9")]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (total, total - 1, 1)
