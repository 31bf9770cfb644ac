"""Values a format lets through but the warehouse cannot take: quarantined at the raw suite with their rule.

Real sources of a generated small network, read by the real connectors and loaded by `load_entity`:
numbers too large for any plant (`1e33`) or infinite (`1e400`), `inf` and `NaN`, Arabic-Indic and
full-width digits, free-text event times, and one number of each bounded kind over its maximum. Each
source is cut to a few records, the second one bad, so the raw layer numbers it source row 2 (line 2
of a file, record 2 of the API or of the SQL result). Then one whole pipeline run with such rows in
one plant's sources.
"""

import contextlib
import csv
import json
import sqlite3
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.cli import _materialize
from orchestration.config import load_config
from orchestration.definitions import build_definitions
from orchestration.raw import load_entity
from orchestration.sources import (
    SOURCE_KINDS,
    SourceEntity,
    erp_connector,
    events_connector,
    reference_connector,
)
from orchestration.sources.cloud_api.simulator import CloudErpSimulator, Faults
from tests.quality.conftest import load_reference, query

PLANTS = ["DE1", "DE2", "DE3", "MX1"]
KEEP = 4  # records left in a source; the second is the bad one
BAD_ROW = 2


class Literal(str):
    """A value written into a JSON line as this text itself (`1e400`), not as a JSON string."""


def entity_of(sources: Path, plant: str, name: str) -> SourceEntity:
    if name in {e.entity for e in SOURCE_KINDS["events"].entities}:
        return SOURCE_KINDS["events"].entity(name)
    if plant == "NETWORK":
        return SOURCE_KINDS["reference"].entity(name)
    return SOURCE_KINDS[load_config(sources / "network.yaml").plant(plant).erp_kind].entity(name)


def spoil(sources: Path, plant: str, entity: SourceEntity, values: dict, row: int = BAD_ROW,
          keep: int | None = KEEP) -> int:
    """Give record `row` (as the source orders its records) of the entity's last file or table these
    values; with `keep`, cut the source down to its first `keep` records first. Returns the records left."""
    if entity.kind == "plant_db":
        return _spoil_table(sources / plant / "plant.db", entity, values, row, keep)
    folder = {"events": sources / plant / "events", "cloud_api": sources / plant / "cloud",
              "sap_files": sources / plant / "sap", "generic": sources / plant / "generic" / entity.native,
              "reference": sources / "network"}[entity.kind]
    suffix = "jsonl" if entity.kind in ("events", "cloud_api") else "csv"
    files = sorted(folder.glob(f"{entity.native}_*.{suffix}")) or [folder / f"{entity.native}.{suffix}"]
    if keep is not None:
        for other in files[:-1]:
            other.unlink()
    if suffix == "jsonl":
        return _spoil_json_lines(files[-1], entity, values, row, keep)
    return _spoil_csv(files[-1], ";" if entity.kind == "sap_files" else ",", values, row, keep)


def _spoil_csv(path: Path, delimiter: str, values: dict, row: int, keep: int | None) -> int:
    header, *records = list(csv.reader(path.open(encoding="utf-8", newline=""), delimiter=delimiter))
    records = records[:keep]
    for field, value in values.items():
        records[row - 1][header.index(field)] = value
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows([header, *records])
    return len(records)


def _spoil_json_lines(path: Path, entity: SourceEntity, values: dict, row: int, keep: int | None) -> int:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if entity.kind == "cloud_api":  # the API serves records in write-date order
        records.sort(key=lambda r: (str(r.get("write_date") or ""), r.get("id", 0)))
    records = records[:keep]
    records[row - 1].update({f: f"@{f}@" if isinstance(v, Literal) else v for f, v in values.items()})
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    for field, value in values.items():
        if isinstance(value, Literal):
            text = text.replace(f'"@{field}@"', value)
    path.write_text(text, encoding="utf-8")
    return len(records)


def _spoil_table(path: Path, entity: SourceEntity, values: dict, row: int, keep: int | None) -> int:
    with sqlite3.connect(path) as db:
        order = [i for (i,) in db.execute(
            f'SELECT id FROM "{entity.native}" ORDER BY "{entity.watermark_field}", id').fetchall()]
        if keep is not None:
            db.execute(f'DELETE FROM "{entity.native}" WHERE id NOT IN ({",".join(map(str, order[:keep]))})')
        for field, value in values.items():
            db.execute(f'UPDATE "{entity.native}" SET "{field}" = ? WHERE id = ?', [value, order[row - 1]])
    return len(order[:keep])


@pytest.fixture()
def network(network_copy, data_dir):
    """A fault-free small network with its reference loaded; returns (sources, warehouse)."""
    warehouse = data_dir / "warehouse.duckdb"
    load_reference(network_copy / "network.yaml", warehouse)
    return network_copy, warehouse


def load(sources: Path, warehouse: Path, plant: str, entity: SourceEntity, monkeypatch):
    """Load one entity through its real connector (the cloud simulator on loopback for the cloud ERP),
    after the plant's work-center list where its machines or work centers are checked against it."""
    config = load_config(sources / "network.yaml")
    if entity.kind == "reference":
        return load_entity(warehouse, reference_connector(config), entity, PLANTS)
    erp = config.plant(plant).erp
    with contextlib.ExitStack() as stack:
        urls = {}
        if erp["kind"] == "cloud_api":
            monkeypatch.setenv(erp["token_env"], "secret-token")
            urls[plant] = stack.enter_context(CloudErpSimulator(sources / plant / "cloud", "secret-token",
                                                                faults=Faults())).url
        connector = erp_connector(config, config.plant(plant), urls)
        if entity.rules.work_centers:
            master = SOURCE_KINDS[erp["kind"]].work_center_list
            load_entity(warehouse, connector, master, PLANTS)
        source = events_connector(config, config.plant(plant)) if entity.kind == "events" else connector
        return load_entity(warehouse, source, entity, PLANTS)


THIRTY_FOUR_DIGITS = "1" + "0" * 33  # 1e33 as SAP writes it: no exponents in a decimal-comma number

CASES = {
    # the format takes them; no plant means them (1e400 is infinite): the magnitude rule stops them
    "quantity 1e33": ("DE3", "inventory", {"on_hand_qty": "1e33"}, [("magnitude", "on_hand_qty", "1e33")]),
    "quantity 1e400": ("DE3", "inventory", {"on_hand_qty": "1e400"}, [("magnitude", "on_hand_qty", "1e400")]),
    "quantity -1e400": ("DE3", "inventory", {"on_hand_qty": "-1e400"},
                        [("magnitude", "on_hand_qty", "-1e400"), ("range", "on_hand_qty", "-1e400")]),
    "SAP quantity of 34 digits": ("DE1", "mard", {"LABST": THIRTY_FOUR_DIGITS + ",000"},
                                  [("magnitude", "LABST", THIRTY_FOUR_DIGITS + ",000")]),
    "SQL quantity 1e33": ("MX1", "existencias", {"cant_libre": 1e33}, [("magnitude", "cant_libre", "1e+33")]),
    "event quantity 1e33": ("DE1", "quality_inspections", {"inspected": 1e33},
                            [("magnitude", "inspected", "1e+33")]),
    # JSON's 1e400 reads as infinity, which arrives as the text `inf`
    "API quantity 1e400": ("DE2", "stock_quant", {"quantity": Literal("1e400")}, [("type", "quantity", "inf")]),
    # not numbers
    "quantity inf": ("DE3", "inventory", {"on_hand_qty": "inf"}, [("type", "on_hand_qty", "inf")]),
    "quantity Infinity": ("DE3", "inventory", {"on_hand_qty": "Infinity"}, [("type", "on_hand_qty", "Infinity")]),
    "quantity NaN": ("DE3", "inventory", {"on_hand_qty": "NaN"}, [("type", "on_hand_qty", "NaN")]),
    "SQL quantity infinite": ("MX1", "existencias", {"cant_libre": float("inf")}, [("type", "cant_libre", "inf")]),
    # digits a regex \d takes and DuckDB's casts do not
    "Arabic-Indic quantity": ("DE3", "inventory", {"on_hand_qty": "٣٠٠.0"}, [("type", "on_hand_qty", "٣٠٠.0")]),
    "full-width quantity": ("DE3", "inventory", {"on_hand_qty": "３００.0"}, [("type", "on_hand_qty", "３００.0")]),
    "full-width SAP quantity": ("DE1", "mard", {"LABST": "３００,000"}, [("type", "LABST", "３００,000")]),
    "Arabic-Indic SAP date": ("DE1", "mard", {"STICHTAG": "٢٠٢٦١١٢٣"}, [("type", "STICHTAG", "٢٠٢٦١١٢٣")]),
    "full-width ISO date": ("DE3", "inventory", {"snapshot_date": "２０２６-１１-２３"},
                            [("type", "snapshot_date", "２０２６-１１-２３")]),
    "Arabic-Indic date-time": ("MX1", "ordenes_trabajo", {"inicio": "٢٠٢٦-١١-٢٣ 06:00:00"},
                               [("type", "inicio", "٢٠٢٦-١١-٢٣ 06:00:00")]),
    "Arabic-Indic integer": ("DE3", "order_lines", {"line_id": "١"}, [("type", "line_id", "١")]),
    "Arabic-Indic Odoo reference": ("DE2", "stock_quant", {"location_id": '[٨, "DE2/Stock"]'},
                                    [("type", "location_id", '[٨, "DE2/Stock"]')]),
    # free text where a time belongs
    "machine event ts yesterday": ("DE1", "machine_events", {"ts": "yesterday"}, [("type", "ts", "yesterday")]),
    "inspection ts yesterday": ("DE1", "quality_inspections", {"ts": "yesterday"}, [("type", "ts", "yesterday")]),
    # one number of each other bounded kind, over its maximum
    "price": ("DE3", "order_lines", {"unit_price": "2e9"}, [("magnitude", "unit_price", "2e9")]),
    "standard cost": ("NETWORK", "items", {"standard_cost": "5e9"}, [("magnitude", "standard_cost", "5e9")]),
    "amount": ("DE1", "vbap", {"NETWR": "1" + "0" * 19 + ",000"}, [("magnitude", "NETWR", "1" + "0" * 19 + ",000")]),
    "factor": ("NETWORK", "unit_conversions", {"factor": "1e7"}, [("magnitude", "factor", "1e7")]),
    "BOM factor": ("NETWORK", "bom", {"qty_per": "2000000"}, [("magnitude", "qty_per", "2000000")]),
    "rate": ("NETWORK", "fx_rates", {"rate_to_network": "1e7"}, [("magnitude", "rate_to_network", "1e7")]),
    "hours": ("NETWORK", "routings", {"hours_per_unit": "20000"}, [("magnitude", "hours_per_unit", "20000")]),
    "API hours": ("DE2", "mrp_workcenter", {"x_hours_per_day": 1e5}, [("magnitude", "x_hours_per_day", "100000.0")]),
    "seconds": ("DE1", "kako", {"ENDZT": "999999"}, [("magnitude", "ENDZT", "999999")]),
    "percent": ("DE1", "kako", {"NGRAD": "5000"}, [("magnitude", "NGRAD", "5000")]),
    "count": ("MX1", "lineas", {"turnos": 5000}, [("magnitude", "turnos", "5000")]),
    "identifier": ("DE3", "order_lines", {"line_id": "1" + "0" * 19}, [("magnitude", "line_id", "1" + "0" * 19)]),
}


@pytest.mark.parametrize("plant, name, values, expected", CASES.values(), ids=CASES.keys())
def test_bad_value_is_quarantined_with_its_rule_and_the_rest_loads(network, monkeypatch, plant, name, values,
                                                                   expected):
    sources, warehouse = network
    entity = entity_of(sources, plant, name)
    kept = spoil(sources, plant, entity, values)
    result = load(sources, warehouse, plant, entity, monkeypatch)
    quarantined = query(warehouse, "SELECT source_row, rule, field, value FROM raw._quarantine WHERE load_id = ? "
                                   "ORDER BY rule, field", [result.load_id])
    assert quarantined == [(BAD_ROW, *failure) for failure in expected]
    assert query(warehouse, "SELECT rows_read, rows_loaded FROM raw._loads WHERE load_id = ?",
                 [result.load_id]) == [(kept, kept - 1)]


def test_bad_values_in_one_plant_are_quarantined_and_every_plant_is_published(network_copy, data_dir):
    """The whole pipeline, with DE3's latest inventory holding 1e33 and 1e400, an order line priced 1e33 and
    its events a free-text time and an Arabic-Indic count: those rows are quarantined, nothing fails, and
    every plant's marts are built and published."""
    sources, warehouse = network_copy, data_dir / "warehouse.duckdb"
    inventory = SOURCE_KINDS["generic"].entity("inventory")
    spoil(sources, "DE3", inventory, {"on_hand_qty": "1e33"}, row=2, keep=None)
    spoil(sources, "DE3", inventory, {"on_hand_qty": "1e400"}, row=3, keep=None)
    spoil(sources, "DE3", SOURCE_KINDS["generic"].entity("order_lines"), {"unit_price": "1e33"}, keep=None)
    spoil(sources, "DE3", SOURCE_KINDS["events"].entity("machine_events"), {"ts": "yesterday"}, keep=None)
    spoil(sources, "DE3", SOURCE_KINDS["events"].entity("quality_inspections"), {"rejected": "٣"}, keep=None)
    with dg.instance_for_test():
        failures = _materialize(build_definitions(sources / "network.yaml", warehouse), data_dir / "run.log")
    assert failures == []
    assert query(warehouse, "SELECT plant_code, entity, source_row, rule, field, value FROM raw._quarantine "
                            "ORDER BY entity, source_row") == [
        ("DE3", "inventory", 2, "magnitude", "on_hand_qty", "1e33"),
        ("DE3", "inventory", 3, "magnitude", "on_hand_qty", "1e400"),
        ("DE3", "machine_events", 2, "type", "ts", "yesterday"),
        ("DE3", "order_lines", 2, "magnitude", "unit_price", "1e33"),
        ("DE3", "quality_inspections", 2, "type", "rejected", "٣")]
    assert query(warehouse, "SELECT count(*) FROM raw._loads WHERE rows_read <> rows_loaded + coalesce(("
                            "SELECT count(DISTINCT (q.source_file, q.source_row)) FROM raw._quarantine q "
                            "WHERE q.load_id = raw._loads.load_id), 0)") == [(0,)]
    with duckdb.connect(str(data_dir / "published" / "warehouse.duckdb"), read_only=True) as con:
        kpi = con.execute("SELECT plant_code, max(inventory_value_eur) FROM marts.kpi_plant_daily "
                          "GROUP BY ALL ORDER BY plant_code").fetchall()
        assert [plant for plant, _ in kpi] == PLANTS
        assert all(value is not None and 0 < value < 1e9 for _, value in kpi)
        assert con.execute("SELECT max(on_hand_qty) FROM marts.fct_inventory_daily").fetchone()[0] < 1e9
        assert con.execute("SELECT count(*) FROM marts.kpi_network_daily").fetchone()[0] > 0
