"""Purchase orders from every ERP kind: extracted as the generator wrote them, bad rows quarantined by name."""

import contextlib
import json
import shutil
import sqlite3
from datetime import date

import numpy as np
import pandas as pd
import pytest

from orchestration.config import load_config
from orchestration.demo import history
from orchestration.demo.generator import PURCHASE_ORDER_SEED
from orchestration.demo.network import build_network
from orchestration.raw import load_entity
from orchestration.sources import SOURCE_KINDS, erp_connector
from orchestration.sources.connector import SourceState
from tests.quality.conftest import load_reference, query

PLANTS = ["DE1", "DE2", "DE3", "MX1"]
# Per ERP kind: the entity holding one row per purchase order line, and its ordered and received fields.
LINES = {"sap_files": ("eket", "MENGE", "WEMNG"),
         "cloud_api": ("purchase_order_line", "product_qty", "qty_received"),
         "plant_db": ("compras", "cantidad", "cant_recibida"),
         "generic": ("purchase_orders", "ordered_qty", "received_qty")}


def number(values: pd.Series) -> pd.Series:
    return values.str.replace(",", ".").astype(float)  # SAP writes decimal commas


@contextlib.contextmanager
def connector(sources, plant_code):
    config = load_config(sources / "network.yaml")
    plant = config.plant(plant_code)
    kind = SOURCE_KINDS[plant.erp_kind]
    with (kind.simulate(config, plant) if kind.simulate else contextlib.nullcontext()) as simulated:
        yield erp_connector(config, plant, {plant_code: simulated.url} if simulated else {}), kind


def load_lines(sources, warehouse, plant_code):
    with connector(sources, plant_code) as (source, kind):
        return load_entity(warehouse, source, kind.entity(LINES[kind.name][0]), PLANTS), kind


@pytest.fixture(scope="module")
def reference_loaded(small_sources, tmp_path_factory):
    """A warehouse holding the small network's reference data, loaded once (copy before loading into it)."""
    path = tmp_path_factory.mktemp("purchase_orders") / "warehouse.duckdb"
    load_reference(small_sources / "network.yaml", path)
    return path


@pytest.fixture()
def warehouse(reference_loaded, tmp_path):
    return shutil.copy(reference_loaded, tmp_path / "warehouse.duckdb")


@pytest.mark.parametrize("plant_code", PLANTS)
def test_each_erp_kinds_purchase_orders_load_as_the_generator_made_them(small_sources, warehouse, plant_code):
    settings = json.loads((small_sources / "manifest.json").read_text())["settings"]
    network = build_network(settings["plants"], settings["items"], settings["seed"])
    horizon = history.Horizon(date.fromisoformat(settings["as_of"]), settings["days"], settings["open_days"])
    made = history.purchase_orders(network, horizon, np.random.default_rng(settings["seed"] + PURCHASE_ORDER_SEED))
    made = made[made.plant_code == plant_code]
    assert len(made) > 0

    result, kind = load_lines(small_sources, warehouse, plant_code)
    _, ordered, received = LINES[kind.name]
    quarantined = query(warehouse, "SELECT count(*) FROM raw._quarantine WHERE load_id = ?", [result.load_id])[0][0]
    assert result.rows_read == result.rows_loaded + quarantined == len(made)
    rows = pd.DataFrame(query(warehouse, f'SELECT "{ordered}", "{received}" FROM raw."{result.raw_table}"'),
                        columns=["ordered", "received"])
    assert number(rows.ordered).sum() == pytest.approx(made.ordered_qty.sum())
    assert number(rows.received).sum() == pytest.approx(made.received_qty.sum())


def test_sap_purchase_orders_and_stock_transport_orders_share_the_purchasing_tables(small_sources):
    sap = SOURCE_KINDS["sap_files"]
    with connector(small_sources, "DE1") as (source, _):
        ekko = pd.concat(b.rows for b in source.batches(sap.entity("ekko"), SourceState()))
        ekpo = pd.concat(b.rows for b in source.batches(sap.entity("ekpo"), SourceState()))
    items = ekpo.merge(ekko, on="EBELN", suffixes=("", "_header"))
    assert len(items) == len(ekpo)  # every item has its header
    assert set(items.loc[items.RESWK != "", "BSART"]) == {"UB"}  # stock transport orders: transfers
    purchases = items[items.RESWK == ""]
    assert set(purchases.BSART) == {"NB"} and (purchases.LIFNR != "").all()


def edit_largest_file(folder, pattern, change) -> str:
    path = max(sorted(folder.glob(pattern)), key=lambda p: p.stat().st_size)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = change(lines[2])  # data row 2
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path.name


def break_generic(sources) -> tuple[str, str]:
    name = edit_largest_file(sources / "DE3" / "generic" / "purchase_orders", "purchase_orders_*.csv",
                           lambda line: ",".join("-5" if i == 7 else v for i, v in enumerate(line.split(","))))
    return name, "ordered_qty"


def break_sap(sources) -> tuple[str, str]:
    name = edit_largest_file(sources / "DE1" / "sap", "EKET_*.csv",
                           lambda line: ";".join("1.000,5" if i == 4 else v for i, v in enumerate(line.split(";"))))
    return name, "MENGE"


def break_plant_db(sources) -> tuple[str, str]:
    with sqlite3.connect(sources / "MX1" / "plant.db") as db:
        db.execute("UPDATE compras SET estado = 'PERDIDA' WHERE id = 2")
    return "table compras", "estado"


@pytest.mark.parametrize("plant_code, corrupt", [("DE3", break_generic), ("DE1", break_sap),
                                                 ("MX1", break_plant_db)])
def test_a_bad_purchase_order_row_is_quarantined_with_source_file_row_and_field(
        network_copy, warehouse, plant_code, corrupt):
    source_file, field = corrupt(network_copy)
    result, kind = load_lines(network_copy, warehouse, plant_code)
    found = query(warehouse, "SELECT plant_code, source_system, source_file, source_row, field FROM raw._quarantine "
                             "WHERE load_id = ?", [result.load_id])
    assert [(p, s, f.endswith(source_file), r, fld) for p, s, f, r, fld in found] == [
        (plant_code, kind.name, True, 2, field)]
    assert result.rows_read == result.rows_loaded + 1
