"""Each connector against its real source: files on disk, the HTTP simulator on loopback, a SQLite file."""

import json
import sqlite3

import pytest

from orchestration.sources import SOURCE_KINDS
from orchestration.sources.cloud_api.connector import CloudApiConnector
from orchestration.sources.cloud_api.simulator import CloudErpSimulator, Faults
from orchestration.sources.connector import SourceError, SourceState
from orchestration.sources.events.connector import JsonLinesConnector
from orchestration.sources.plant_db.connector import PlantDbConnector
from orchestration.sources.sap_files.connector import SapFileConnector

SAP, CLOUD, DB = SOURCE_KINDS["sap_files"], SOURCE_KINDS["cloud_api"], SOURCE_KINDS["plant_db"]


def rows_of(batches):
    return sum(len(b.rows) for b in batches)


def test_sap_files_read_as_text_with_rows_numbered(small_sources):
    connector = SapFileConnector("DE1", small_sources / "DE1" / "sap")
    batches = list(connector.batches(SAP.entity("mard"), SourceState()))
    on_disk = sum(len(p.read_text().splitlines()) - 1 for p in (small_sources / "DE1" / "sap").glob("MARD_*"))
    assert rows_of(batches) == on_disk
    first = batches[0]
    assert list(first.rows.columns[:7]) == list(SAP.entity("mard").fields)
    assert first.rows.iloc[0]["LABST"].count(",") == 1  # decimal comma kept as the source wrote it
    assert first.source_rows[:3] == [1, 2, 3]
    again = list(connector.batches(SAP.entity("mard"), SourceState(files={b.source_file: b.file_sha256 for b in batches})))
    assert again == []


def test_sap_missing_column_names_file_and_field(network_copy):
    path = sorted((network_copy / "DE1" / "sap").glob("MARD_*.csv"))[0]
    lines = path.read_text().splitlines()
    path.write_text("\n".join(";".join(line.split(";")[:-1]) for line in lines) + "\n")
    connector = SapFileConnector("DE1", network_copy / "DE1" / "sap")
    with pytest.raises(SourceError) as error:
        list(connector.batches(SAP.entity("mard"), SourceState()))
    assert f"DE1 sap_files: {path.name}" in str(error.value)
    assert "missing column SPEME" in str(error.value) and "field SPEME" in str(error.value)


def test_events_jsonl(small_sources):
    connector = JsonLinesConnector("DE3", small_sources / "DE3" / "events")
    batches = list(connector.batches(SOURCE_KINDS["events"].entity("machine_events"), SourceState()))
    assert rows_of(batches) > 100
    assert set(batches[0].rows.state.dropna()) <= {"RUNNING", "DOWN", "PLANNED_DOWN", "IDLE"}


@pytest.fixture()
def simulator(network_copy, monkeypatch):
    monkeypatch.setenv("TEST_CLOUD_TOKEN", "s3cret-token")
    with CloudErpSimulator(network_copy / "DE2" / "cloud", "s3cret-token", faults=Faults()) as sim:
        yield sim


def test_cloud_api_pages_and_watermark(simulator, network_copy):
    connector = CloudApiConnector("DE2", simulator.url, "TEST_CLOUD_TOKEN", page_size=50)
    model_file = network_copy / "DE2" / "cloud" / "sale.order.line.jsonl"
    records = [json.loads(line) for line in model_file.read_text().splitlines()]
    batches = list(connector.batches(CLOUD.entity("sale_order_line"), SourceState()))
    assert rows_of(batches) == len(records)
    assert sum("offset=" in r for r in simulator.requests) == -(-len(records) // 50)
    watermark = batches[0].watermark
    assert watermark == max(r["write_date"] for r in records)
    # Nothing new: nothing read. A changed record with a later write date: only it is read.
    assert list(connector.batches(CLOUD.entity("sale_order_line"), SourceState(watermark=watermark))) == []
    changed = dict(records[0], qty_delivered=1.0, write_date="2026-11-24 08:00:00")
    model_file.write_text(model_file.read_text() + json.dumps(changed) + "\n")
    again = list(connector.batches(CLOUD.entity("sale_order_line"), SourceState(watermark=watermark)))
    assert rows_of(again) == 1 and again[0].rows.iloc[0]["id"] == str(records[0]["id"])


def test_cloud_api_retries_a_page_that_fails_once(simulator):
    simulator.faults.once[("mrp.production", 20)] = "error500"
    connector = CloudApiConnector("DE2", simulator.url, "TEST_CLOUD_TOKEN", page_size=20, backoff_seconds=0.01)
    batches = list(connector.batches(CLOUD.entity("mrp_production"), SourceState()))
    assert rows_of(batches) == len(set(batches[0].rows.id)) > 20
    assert sum("offset=20&" in r for r in simulator.requests) == 2
    assert simulator.faults.once == {}


def test_cloud_api_malformed_json_names_the_page(simulator):
    simulator.faults.malformed.add(("mrp.production", 0))
    connector = CloudApiConnector("DE2", simulator.url, "TEST_CLOUD_TOKEN", page_size=100)
    with pytest.raises(SourceError, match=r"DE2 cloud_api: GET .*/api/v1/mrp.production\?offset=0: malformed JSON"):
        list(connector.batches(CLOUD.entity("mrp_production"), SourceState()))


def test_cloud_api_refused_token_names_the_variable(simulator, monkeypatch):
    monkeypatch.setenv("TEST_CLOUD_TOKEN", "wrong")
    connector = CloudApiConnector("DE2", simulator.url, "TEST_CLOUD_TOKEN")
    with pytest.raises(SourceError, match="token refused \\(HTTP 401\\).*TEST_CLOUD_TOKEN"):
        list(connector.batches(CLOUD.entity("stock_quant"), SourceState()))


def test_cloud_api_down_is_a_clear_error():
    connector = CloudApiConnector("DE2", "http://127.0.0.1:9", "PATH", max_retries=1, backoff_seconds=0.01)
    with pytest.raises(SourceError, match="unreachable after 2 attempts"):
        list(connector.batches(CLOUD.entity("stock_quant"), SourceState()))


def test_plant_db_incremental_by_watermark(network_copy):
    db = network_copy / "MX1" / "plant.db"
    connector = PlantDbConnector("MX1", f"sqlite:///{db}")
    batches = list(connector.batches(DB.entity("traspasos"), SourceState()))
    with sqlite3.connect(db) as con:
        total = con.execute("SELECT count(*) FROM traspasos").fetchone()[0]
        assert rows_of(batches) == total
        watermark = batches[0].watermark
        con.execute("INSERT INTO traspasos (id, folio, num_parte, planta_destino, cantidad, unidad, fecha_salida, "
                    "fecha_llegada_plan, fecha_llegada, actualizado) VALUES (99999, 'TR-X', 'MX-D00001', 'DE3', 5, "
                    "'PZA', '2026-11-24', '2026-12-15', NULL, '2026-11-24 10:00:00')")
    again = list(connector.batches(DB.entity("traspasos"), SourceState(watermark=watermark)))
    assert rows_of(again) == 1 and again[0].rows.iloc[0]["id"] == "99999"


def test_plant_db_missing_table(network_copy):
    db = network_copy / "MX1" / "plant.db"
    with sqlite3.connect(db) as con:
        con.execute("DROP TABLE lineas")
    connector = PlantDbConnector("MX1", f"sqlite:///{db}")
    with pytest.raises(SourceError, match="MX1 plant_db: sqlite:///.*plant.db table lineas: table not found"):
        list(connector.batches(DB.entity("lineas"), SourceState()))
