"""A corpus of broken sources, read through the real connectors (files, an HTTP server, a database).

Each case shows either a clear error naming the source, the file or endpoint, the row and the field, or
the rows quarantined with their rule while the rest of the load goes in.
"""

import json
import sqlite3
from pathlib import Path

import pytest

from orchestration.config import load_config
from orchestration.raw import load_entity
from orchestration.sources import SOURCE_KINDS, erp_connector
from orchestration.sources.cloud_api.connector import CloudApiConnector
from orchestration.sources.cloud_api.simulator import CloudErpSimulator, Faults
from orchestration.sources.connector import SourceError
from tests.quality.conftest import CORPUS, check_results, extract, load_reference, query

PLANTS = ["DE1", "DE2", "DE3", "MX1"]
DUPLICATE_KEY = '{"MATNR": "000000000010000010", "WERKS": "DE1", "LGORT": "0001", "STICHTAG": "20261124"}'


@pytest.fixture()
def network(network_copy, data_dir):
    """A fault-free small network with its reference loaded; returns (sources, warehouse)."""
    warehouse = data_dir / "warehouse.duckdb"
    load_reference(network_copy / "network.yaml", warehouse)
    return network_copy, warehouse


def drop_in(sources: Path, plant: str, folder: str, stem: str, corpus_file: str) -> str:
    """Replace a plant's files of one kind by one corpus file, named as that source names its files."""
    target = sources / plant / folder
    for old in target.glob(f"{stem}_*.csv"):
        old.unlink()
    name = f"{stem}_20261124.csv"
    (target / name).write_bytes((CORPUS / folder / corpus_file).read_bytes())
    return name


def load(sources: Path, warehouse: Path, plant: str, entity: str):
    config = load_config(sources / "network.yaml")
    connector = erp_connector(config, config.plant(plant), {})
    return load_entity(warehouse, connector, SOURCE_KINDS[connector.source_system].entity(entity), PLANTS)


def quarantine(warehouse: Path, load_id: str) -> list[tuple]:
    return query(warehouse, "SELECT source_row, rule, field, value FROM raw._quarantine WHERE load_id = ? "
                            "ORDER BY source_row, rule", [load_id])


@pytest.mark.parametrize("corpus_file, message", [
    ("MARD_wrong_delimiter.csv", "DE1 sap_files: MARD_20261124.csv: header has one column"),
    ("MARD_missing_column.csv", "DE1 sap_files: MARD_20261124.csv: field LABST: missing column LABST"),
    ("MARD_empty.csv", "DE1 sap_files: MARD_20261124.csv: empty file"),
    ("MARD_truncated.csv", "DE1 sap_files: MARD_20261124.csv: row 3: field LABST: expected 7 fields, found 4"),
    ("MARD_latin1.csv", "DE1 sap_files: MARD_20261124.csv: row 2: not valid utf-8 text"),
])
def test_unreadable_file_is_a_clear_error_and_loads_nothing(network, corpus_file, message):
    sources, warehouse = network
    drop_in(sources, "DE1", "sap", "MARD", corpus_file)
    with pytest.raises(SourceError) as error:
        load(sources, warehouse, "DE1", "mard")
    assert message in str(error.value)
    assert query(warehouse, "SELECT count(*) FROM raw._loads WHERE entity = 'mard'")[0][0] == 0
    assert load(sources, warehouse, "DE1", "vbap").rows_loaded > 0  # the plant's other files still load


@pytest.mark.parametrize("corpus_file, expected", [
    ("MARD_bad_dates.csv", [(2, "type", "STICHTAG", "20261345"), (3, "type", "STICHTAG", "2026-11-24"),
                            (4, "required", "STICHTAG", "00000000")]),  # SAP's "no date" in a key field
    ("MARD_decimal_point.csv", [(2, "type", "LABST", "1047.500"), (3, "type", "LABST", "1.047,500")]),
    ("MARD_bad_quantities.csv", [(2, "range", "LABST", "-5,000"), (3, "required", "LABST", ""),
                                 (4, "type", "LABST", "NaN")]),
    ("MARD_duplicate_keys.csv", [(3, "unique_key", "MATNR,WERKS,LGORT,STICHTAG", DUPLICATE_KEY),
                                 (4, "unique_key", "MATNR,WERKS,LGORT,STICHTAG", DUPLICATE_KEY)]),
    ("MARD_unknown_codes.csv", [(2, "known_item", "MATNR", "000000000099999999"), (3, "own_plant", "WERKS", "XX9")]),
])
def test_bad_rows_are_quarantined_with_their_rule_and_the_rest_loads(network, corpus_file, expected):
    sources, warehouse = network
    name = drop_in(sources, "DE1", "sap", "MARD", corpus_file)
    result = load(sources, warehouse, "DE1", "mard")
    assert quarantine(warehouse, result.load_id) == expected
    rows = len((CORPUS / "sap" / corpus_file).read_text().splitlines()) - 1
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (rows, rows - len(expected), len(expected))
    # raw keeps every row as the file gave it, the bad ones included
    assert query(warehouse, "SELECT count(*) FROM raw.sap__mard WHERE _load_id = ?", [result.load_id])[0][0] == rows
    row_json = query(warehouse, "SELECT row_json, source_file FROM raw._quarantine WHERE load_id = ?",
                     [result.load_id])[0]
    assert json.loads(row_json[0])["WERKS"] and row_json[1] == name


def test_unknown_unit_is_quarantined(network):
    sources, warehouse = network
    drop_in(sources, "DE1", "sap", "VBAP", "VBAP_unknown_unit.csv")
    result = load(sources, warehouse, "DE1", "vbap")
    assert quarantine(warehouse, result.load_id) == [(2, "known_unit", "VRKME", "BOX")]


def test_extra_column_is_kept_not_dropped(network):
    sources, warehouse = network
    drop_in(sources, "DE1", "sap", "MARD", "MARD_extra_column.csv")
    result = load(sources, warehouse, "DE1", "mard")
    assert (result.rows_read, result.rows_quarantined) == (2, 0)
    extra = query(warehouse, "SELECT _extra_fields FROM raw.sap__mard ORDER BY _source_row")
    assert json.loads(extra[0][0]) == {"ZZNOTE": "counted twice"}


def test_generic_format_mixups_are_quarantined(network):
    sources, warehouse = network
    target = sources / "DE3" / "generic" / "inventory"
    for old in target.glob("inventory_*.csv"):
        old.unlink()
    (target / "inventory_20261126.csv").write_bytes((CORPUS / "generic" / "inventory_bad_values.csv").read_bytes())
    result = load(sources, warehouse, "DE3", "inventory")
    assert quarantine(warehouse, result.load_id) == [
        (2, "type", "on_hand_qty", "617,0"), (3, "type", "on_hand_qty", "nan"), (4, "range", "on_hand_qty", "-3.0"),
        (5, "known_unit", "unit", "BOX")]
    assert (result.rows_read, result.rows_loaded) == (5, 1)


@pytest.fixture()
def simulator(network):
    sources, _ = network
    with CloudErpSimulator(sources / "DE2" / "cloud", "secret-token", faults=Faults()) as server:
        yield server


def cloud(simulator, monkeypatch, token="secret-token") -> CloudApiConnector:
    monkeypatch.setenv("PLANTSYNC_DE2_TOKEN", token)
    return CloudApiConnector("DE2", simulator.url, "PLANTSYNC_DE2_TOKEN", page_size=50, backoff_seconds=0.01)


def test_http_page_that_fails_once_is_retried_and_loads(network, simulator, monkeypatch):
    _, warehouse = network
    simulator.faults.once[("stock.quant", 50)] = "error500"
    result = load_entity(warehouse, cloud(simulator, monkeypatch), SOURCE_KINDS["cloud_api"].entity("stock_quant"), PLANTS)
    assert result.rows_read == len((simulator.data_dir / "stock.quant.jsonl").read_text().splitlines())
    assert result.rows_quarantined == 0
    assert sum("offset=50&" in r for r in simulator.requests) == 2  # not offset=500


def test_http_page_with_malformed_json_names_the_endpoint(network, simulator, monkeypatch):
    _, warehouse = network
    simulator.faults.malformed.add(("stock.quant", 50))
    with pytest.raises(SourceError, match=r"DE2 cloud_api: GET http://127\.0\.0\.1:\d+/api/v1/stock\.quant\?offset=50: "
                                          r"malformed JSON"):
        load_entity(warehouse, cloud(simulator, monkeypatch), SOURCE_KINDS["cloud_api"].entity("stock_quant"), PLANTS)
    assert query(warehouse, "SELECT count(*) FROM raw._loads WHERE plant_code = 'DE2'")[0][0] == 0


def test_refused_token_names_the_variable(network, simulator, monkeypatch):
    _, warehouse = network
    with pytest.raises(SourceError, match="token refused \\(HTTP 401\\): check the environment variable "
                                          "PLANTSYNC_DE2_TOKEN"):
        load_entity(warehouse, cloud(simulator, monkeypatch, token="wrong"), SOURCE_KINDS["cloud_api"].entity("stock_quant"), PLANTS)


def test_missing_sql_table_names_the_table(network):
    sources, warehouse = network
    with sqlite3.connect(sources / "MX1" / "plant.db") as db:
        db.execute("DROP TABLE existencias")
    with pytest.raises(SourceError, match=r"MX1 plant_db: sqlite:///.*/MX1/plant\.db table existencias: table not found"):
        load(sources, warehouse, "MX1", "existencias")


def test_broken_sources_fail_alone_and_the_other_plants_load(network_copy, data_dir, monkeypatch):
    """One run with a plant's file empty and another plant's table gone: only those loads fail, each an
    open data exception naming where; every other plant and entity loads and reconciles."""
    warehouse = data_dir / "warehouse.duckdb"
    drop_in(network_copy, "DE1", "sap", "MARD", "MARD_empty.csv")
    with sqlite3.connect(network_copy / "MX1" / "plant.db") as db:
        db.execute("DROP TABLE ordenes_trabajo")
    result = extract(network_copy / "network.yaml", warehouse)
    failed = {e.step_key for e in result.all_events if e.is_step_failure}
    assert failed == {"raw__DE1__mard", "raw__MX1__ordenes_trabajo"}
    loaded = {(p, e) for p, e in query(warehouse, "SELECT plant_code, entity FROM raw._loads WHERE rows_read > 0")}
    assert {("DE1", "vbap"), ("DE2", "stock_quant"), ("DE3", "inventory"), ("MX1", "existencias"),
            ("DE1", "machine_events")} <= loaded
    reconciled = [e for (key, name), e in check_results(result).items() if name == "rows_reconciled"]
    assert reconciled and all(e.passed for e in reconciled)
    exceptions = query(warehouse, "SELECT plant_code, entity, location, detail FROM quality.data_exceptions "
                                  "WHERE status = 'open' AND check_name = 'load_failed' ORDER BY plant_code")
    assert [(p, e) for p, e, _, _ in exceptions] == [("DE1", "mard"), ("MX1", "ordenes_trabajo")]
    assert exceptions[0][2] == "MARD_20261124.csv" and "empty file" in exceptions[0][3]
    assert "table ordenes_trabajo" in exceptions[1][2]
