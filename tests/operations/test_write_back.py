"""Write-back: a hand-made plan's released orders reach each plant's ERP in its own form (SAP-style
files, the cloud simulator on loopback, the plant database's inbound table, generic CSV), equal to the
released orders; a second write-back writes nothing; a changed plan changes and cancels orders instead
of duplicating them; a proposal is refused."""

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import requests
import yaml

from orchestration.cli import main
from orchestration.config import load_config
from orchestration.core.plan_store import ensure_plan_tables, write_plan
from orchestration.core.plan_versions import record_version
from orchestration.sources.cloud_api.simulator import CloudErpSimulator
from orchestration.sources.sap_files.native import from_sap_number
from orchestration.write_back import WriteBackRefused, released_orders, write_back

TOKEN_ENV, TOKEN = "PLANTSYNC_TEST_DE2_TOKEN", "write-back-token"
MONDAY = date(2026, 12, 7)  # the first day of the plan's first week
PLANTS = [
    ("DE1", {"kind": "sap_files", "path": "DE1/sap"}),
    ("DE2", {"kind": "cloud_api", "base_url": "simulator", "simulator_data": "DE2/cloud", "token_env": TOKEN_ENV}),
    ("DE3", {"kind": "generic", "path": "DE3/generic"}),
    ("MX1", {"kind": "plant_db", "url": "sqlite:///{sources}/MX1/plant.db"}),
]
LOCAL_CODES = {("DE1", "DISC-1"): "000000000010000010", ("MX1", "DISC-1"): "MX-D00001"}

# The plan, by hand: weekly periods from MONDAY; the release horizon is the first two weeks.
PRODUCTION = [("DE1", "DISC-1", 1, 100.0), ("DE1", "DISC-1", 2, 120.4), ("DE1", "DISC-1", 3, 50.0),
              ("DE2", "CAL-1", 1, 80.0), ("DE3", "MOD-1", 2, 60.0), ("MX1", "DISC-1", 1, 30.0),
              ("MX1", "CAL-1", 2, 1e-9)]
TRANSFERS = [("DE1", "DE3", "DISC-1", 1, 1, 90.0), ("MX1", "DE1", "DISC-1", 2, 5, 40.0),
             ("DE2", "DE3", "CAL-1", 3, 3, 70.0)]
PURCHASES = [("DE1", "SUP1", "CAST-1", 1, 2, 180.0, 200.0), ("DE2", "SUP2", "HOUS-1", 2, 3, 50.0, None),
             ("MX1", "SUP1", "CAST-1", 1, 4, 10.0, 100.0)]
# ... and what it releases, worked out by hand: (key, plant, type, item, qty, start, due, counterpart)
RELEASED = [
    ("PRD/DE1/-/DISC-1/20261213", "DE1", "production", "DISC-1", 100.0, date(2026, 12, 7), date(2026, 12, 13), None),
    ("PRD/DE1/-/DISC-1/20261220", "DE1", "production", "DISC-1", 121.0, date(2026, 12, 14), date(2026, 12, 20), None),
    ("PRD/DE2/-/CAL-1/20261213", "DE2", "production", "CAL-1", 80.0, date(2026, 12, 7), date(2026, 12, 13), None),
    ("PRD/DE3/-/MOD-1/20261220", "DE3", "production", "MOD-1", 60.0, date(2026, 12, 14), date(2026, 12, 20), None),
    ("PRD/MX1/-/DISC-1/20261213", "MX1", "production", "DISC-1", 30.0, date(2026, 12, 7), date(2026, 12, 13), None),
    ("TRF/DE1/DE3/DISC-1/20261213", "DE1", "transfer", "DISC-1", 90.0, date(2026, 12, 7), date(2026, 12, 13), "DE3"),
    ("TRF/MX1/DE1/DISC-1/20270110", "MX1", "transfer", "DISC-1", 40.0, date(2026, 12, 14), date(2027, 1, 10), "DE1"),
    ("PUR/DE1/SUP1/CAST-1/20261220", "DE1", "purchase", "CAST-1", 200.0, date(2026, 12, 7), date(2026, 12, 20), "SUP1"),
    ("PUR/DE2/SUP2/HOUS-1/20261227", "DE2", "purchase", "HOUS-1", 50.0, date(2026, 12, 14), date(2026, 12, 27), "SUP2"),
    ("PUR/MX1/SUP1/CAST-1/20270103", "MX1", "purchase", "CAST-1", 100.0, date(2026, 12, 7), date(2027, 1, 3), "SUP1"),
]


@pytest.fixture()
def network(tmp_path, monkeypatch):
    """The config of four plants, one per ERP kind, with DE2's cloud ERP simulated on loopback."""
    raw = {"network": {"name": "write-back", "currency": "EUR", "reference_path": "network", "sources_dir": "."},
           "plants": [{"code": code, "name": code, "country": code[:2], "time_zone": "Europe/Berlin",
                       "currency": "EUR", "erp": erp} for code, erp in PLANTS],
           "customers": [], "lanes": [], "planning": {"period_days": 7, "frozen_periods": 0, "release_periods": 2}}
    path = tmp_path / "network.yaml"
    path.write_text(yaml.safe_dump(raw))
    (tmp_path / "MX1").mkdir()
    with sqlite3.connect(tmp_path / "MX1" / "plant.db") as db:  # the plant's own database, before plantsync
        db.execute("CREATE TABLE existencias (id INTEGER PRIMARY KEY, num_parte TEXT, cant_libre REAL)")
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    with CloudErpSimulator(tmp_path / "DE2" / "cloud", TOKEN) as simulator:
        yield load_config(path), {"DE2": simulator.url}


def write_hand_plan(con, plan_id: str, production=PRODUCTION, transfers=TRANSFERS, purchases=PURCHASES,
                    status: str = "current") -> None:
    ensure_plan_tables(con)
    con.execute("""CREATE TABLE IF NOT EXISTS plans.plan_purchases (plan_id VARCHAR, scenario VARCHAR,
                   plant_code VARCHAR, supplier_id VARCHAR, item_id VARCHAR, period BIGINT, arrival_period BIGINT,
                   qty DOUBLE, order_qty DOUBLE, cost DOUBLE)""")
    write_plan(con, {
        "production": pd.DataFrame(production, columns=["plant_code", "item_id", "period", "qty"]).assign(
            period_start=lambda f: [MONDAY + pd.Timedelta(weeks=p - 1) for p in f.period]),
        "transfers": pd.DataFrame(transfers, columns=["from_plant_code", "to_plant_code", "item_id", "period",
                                                      "arrival_period", "qty"]).assign(cost=0.0)}, plan_id,
               "synchronized")
    con.register("purchases", pd.DataFrame(purchases, columns=[
        "plant_code", "supplier_id", "item_id", "period", "arrival_period", "qty", "order_qty"]).assign(
        plan_id=plan_id, scenario="synchronized"))
    con.execute("INSERT INTO plans.plan_purchases BY NAME SELECT * FROM purchases")
    con.unregister("purchases")
    record_version(con, plan_id, reason="pipeline", made_by="test", detail="hand-made plan", status=status)


@pytest.fixture()
def warehouse(tmp_path):
    """A warehouse with the marts and the code cross-reference the write-back reads, and the hand-made plan."""
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("CREATE SCHEMA marts; CREATE SCHEMA staging")
    con.execute("CREATE TABLE marts.dim_item AS SELECT item_id, 'PC' AS base_unit FROM (VALUES ('DISC-1'), "
                "('CAL-1'), ('MOD-1'), ('CAST-1'), ('HOUS-1')) AS t(item_id)")
    con.register("xref", pd.DataFrame([(p, i, c) for (p, i), c in LOCAL_CODES.items()],
                                      columns=["plant_code", "item_id", "local_item_code"]))
    con.execute("CREATE TABLE staging.stg_reference__item_xref AS SELECT * FROM xref")
    con.unregister("xref")
    write_hand_plan(con, "plan-1")
    yield con
    con.close()


def local(plant: str, item: str) -> str:
    return LOCAL_CODES.get((plant, item), item)


def sap_orders(folder: Path) -> dict[str, tuple]:
    """DE1's outbound SAP files as key -> (document, MATNR, plant fields, qty, unit, start, due), latest line."""
    held = {}
    for path in sorted(folder.glob("*_DE1_*.csv"), key=lambda p: p.name.rsplit("_", 1)[1]):
        document = path.name.split("_")[0]
        frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
        for row in frame.to_dict("records"):
            qty = row.get("GSMNG") or row["MENGE"]
            start, due = {"PLAF": ("PSTTR", "PEDTR"), "EBAN": ("BADAT", "LFDAT"), "EKPO": ("BEDAT", "EINDT")}[document]
            held[row["ZZPSKEY"]] = (document, row["AKTYP"], row["MATNR"], row.get("LIFNR") or row.get("WERKS") or row["PLWRK"],
                                    0.0 if row["AKTYP"] == "L" else from_sap_number(qty), row["MEINS"], row[start],
                                    row[due])
    return held


def cloud_records(url: str) -> list[dict]:
    records = []
    for model in ("mrp.production", "purchase.order", "stock.picking"):
        page = requests.get(f"{url}/api/v1/received/{model}", params={"limit": 1000},
                            headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5).json()
        records += [{**r, "model": model} for r in page["records"]]
    return records


def plant_db_rows(tmp_path: Path) -> pd.DataFrame:
    with sqlite3.connect(tmp_path / "MX1" / "plant.db") as db:
        cursor = db.execute("SELECT * FROM ordenes_entrantes ORDER BY id")
        return pd.DataFrame(cursor.fetchall(), columns=[c[0] for c in cursor.description], dtype=object)


def generic_rows(tmp_path: Path) -> pd.DataFrame:
    files = sorted((tmp_path / "DE3" / "outbound").glob("released_orders_DE3_*.csv"))
    return pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in files], ignore_index=True)


def ymd(day: date) -> str:
    return f"{day:%Y%m%d}"


def expected(plant: str) -> list[tuple]:
    return [o for o in RELEASED if o[1] == plant]


def test_released_orders_are_the_plans_first_two_weeks_by_hand(warehouse, network):
    config, _ = network
    released = released_orders(warehouse, "plan-1", config.planning)
    got = sorted(released[["order_key", "plant_code", "order_type", "item_id", "qty", "start_date", "due_date",
                           "counterpart"]].astype(object).where(released.notna(), None).itertuples(index=False,
                                                                                                name=None))
    assert got == sorted(RELEASED)
    assert set(released.plan_id) == {"plan-1"}


def test_each_plants_erp_holds_exactly_the_released_orders_and_a_rerun_writes_nothing(warehouse, network,
                                                                                       tmp_path):
    config, simulated = network
    result = write_back(warehouse, config, simulated)
    assert result.failures == []
    assert result.written == {plant: len(expected(plant)) for plant in ("DE1", "DE2", "DE3", "MX1")}

    # DE1: SAP files, the plant's material numbers, SAP unit ST, YYYYMMDD dates, decimal commas
    documents = {"production": "PLAF", "purchase": "EBAN", "transfer": "EKPO"}
    assert sap_orders(tmp_path / "DE1" / "outbound") == {
        key: (documents[kind], "H", local("DE1", item), counterpart or "DE1", qty, "ST", ymd(start), ymd(due))
        for key, _, kind, item, qty, start, due, counterpart in expected("DE1")}
    assert "100,000" in (next((tmp_path / "DE1" / "outbound").glob("PLAF_DE1_*.csv"))).read_text()

    # DE2: records the cloud API took, one per order, read back from it
    records = cloud_records(simulated["DE2"])
    models = {"production": "mrp.production", "purchase": "purchase.order", "transfer": "stock.picking"}
    assert sorted((r["origin"], r["model"], r["default_code"], r.get("product_qty", r.get("quantity")),
                   r.get("date_start", r.get("date_order", r.get("scheduled_date"))),
                   r.get("date_deadline", r.get("date_planned")), r["state"]) for r in records) == sorted(
        (key, models[kind], item, qty, start.isoformat(), due.isoformat(), "draft")
        for key, _, kind, item, qty, start, due, _ in expected("DE2"))

    # MX1: rows of the plant database's inbound table, in its own codes and unit
    rows = plant_db_rows(tmp_path)
    tipo = {"production": "FABRICACION", "transfer": "TRASPASO", "purchase": "COMPRA"}
    assert sorted(rows[["clave", "tipo", "num_parte", "cantidad", "unidad", "contraparte", "fecha_inicio",
                        "fecha_requerida", "estado"]].itertuples(index=False, name=None)) == sorted(
        (key, tipo[kind], local("MX1", item), qty, "PZA", counterpart, start.isoformat(), due.isoformat(), "NUEVA")
        for key, _, kind, item, qty, start, due, counterpart in expected("MX1"))

    # DE3: the generic format's released_orders file
    generic = generic_rows(tmp_path)
    assert sorted(generic[["order_key", "action", "order_type", "item_code", "qty", "unit", "start_date",
                           "due_date", "counterpart", "plan_id"]].itertuples(index=False, name=None)) == sorted(
        (key, "new", kind, item, f"{qty:g}", "PC", start.isoformat(), due.isoformat(), counterpart or "", "plan-1")
        for key, _, kind, item, qty, start, due, counterpart in expected("DE3"))

    ledger = warehouse.execute("SELECT order_key, plan_id, plant_code, target, qty FROM plans.writebacks").fetchall()
    assert sorted(ledger) == sorted((o[0], "plan-1", o[1], dict(PLANTS)[o[1]]["kind"], o[4]) for o in RELEASED)

    files = sorted(p.name for p in tmp_path.glob("*/outbound/*"))
    again = write_back(warehouse, config, simulated)
    assert again.written == {} and again.failures == []
    assert sorted(p.name for p in tmp_path.glob("*/outbound/*")) == files
    assert len(cloud_records(simulated["DE2"])) == len(records)
    assert len(plant_db_rows(tmp_path)) == len(rows)
    assert sorted(warehouse.execute("SELECT order_key, plan_id, plant_code, target, qty "
                                    "FROM plans.writebacks").fetchall()) == sorted(ledger)


def test_each_target_refuses_a_duplicate_even_when_the_ledger_forgot_it(warehouse, network, tmp_path):
    config, simulated = network
    write_back(warehouse, config, simulated)
    warehouse.execute("DELETE FROM plans.writebacks")
    again = write_back(warehouse, config, simulated)
    assert sum(again.written.values()) == len(RELEASED)  # the ledger is rebuilt ...
    assert len(sap_orders(tmp_path / "DE1" / "outbound")) == len(expected("DE1"))
    assert len(list((tmp_path / "DE1" / "outbound").glob("*.csv"))) == 3  # ... no new file: DE1 had them all
    assert len(cloud_records(simulated["DE2"])) == len(expected("DE2"))
    assert len(plant_db_rows(tmp_path)) == len(expected("MX1"))
    assert len(generic_rows(tmp_path)) == len(expected("DE3"))


def test_a_changed_plan_changes_and_cancels_orders_without_duplicating_them(warehouse, network, tmp_path):
    config, simulated = network
    write_back(warehouse, config, simulated)
    changed = [(p, i, t, 110.0 if (p, i, t) == ("DE1", "DISC-1", 1) else q) for p, i, t, q in PRODUCTION
               if (p, i) != ("MX1", "DISC-1")]
    write_hand_plan(warehouse, "plan-2", production=changed)
    result = write_back(warehouse, config, simulated)
    assert result.written == {"DE1": 1, "MX1": 1}
    assert sap_orders(tmp_path / "DE1" / "outbound")["PRD/DE1/-/DISC-1/20261213"][1:5] == (
        "V", local("DE1", "DISC-1"), "DE1", 110.0)
    rows = plant_db_rows(tmp_path).set_index("clave")
    assert len(rows) == len(expected("MX1"))
    assert rows.loc["PRD/MX1/-/DISC-1/20261213", ["cantidad", "estado", "plan"]].tolist() == [0.0, "CANCELADA",
                                                                                               "plan-2"]
    ledger = warehouse.execute("SELECT plan_id, qty, detail FROM plans.writebacks WHERE order_key = ? "
                               "ORDER BY written_at", ["PRD/DE1/-/DISC-1/20261213"]).fetchall()
    assert [(plan, qty) for plan, qty, _ in ledger] == [("plan-1", 100.0), ("plan-2", 110.0)]
    assert write_back(warehouse, config, simulated).written == {}


def test_a_proposal_or_a_superseded_plan_is_refused(warehouse, network, tmp_path):
    config, simulated = network
    write_hand_plan(warehouse, "proposal-1", status="proposal")
    with pytest.raises(WriteBackRefused, match="proposal-1 is a proposal"):
        write_back(warehouse, config, simulated, plan_id="proposal-1")
    write_hand_plan(warehouse, "plan-2")
    with pytest.raises(WriteBackRefused, match="plan-1 is no longer current"):
        write_back(warehouse, config, simulated, plan_id="plan-1")
    assert warehouse.execute("SELECT count(*) FROM plans.writebacks").fetchone()[0] == 0
    assert not list(tmp_path.glob("*/outbound/*"))
    assert write_back(warehouse, config, simulated).plan_id == "plan-2"  # the current plan, not the proposal


def test_the_command_writes_the_current_plan_and_refuses_a_proposal(warehouse, network, tmp_path, monkeypatch,
                                                                     capsys):
    config, _ = network
    write_hand_plan(warehouse, "proposal-1", status="proposal")
    warehouse.close()
    monkeypatch.setenv("PLANTSYNC_DATA_DIR", str(tmp_path))  # the warehouse above is the data dir's
    assert main(["write-back", "--config", str(config.path), "--plan", "proposal-1"]) == 2
    assert "proposal-1 is a proposal" in capsys.readouterr().err
    assert main(["write-back", "--config", str(config.path)]) == 0
    assert capsys.readouterr().out == (f"written back: {len(RELEASED)} orders to 4 plants (DE1 4, DE2 2, DE3 1, "
                                       f"MX1 3) from plan plan-1, {len(RELEASED)} released\n")
    assert main(["write-back", "--config", str(config.path)]) == 0
    assert capsys.readouterr().out == f"written back: 0 orders from plan plan-1, {len(RELEASED)} released\n"


def test_the_cloud_simulator_validates_and_refuses_a_second_record_with_the_same_origin(network):
    _, simulated = network
    url = f"{simulated['DE2']}/api/v1/mrp.production"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    good = {"origin": "PRD/DE2/-/CAL-1/20261213", "default_code": "CAL-1", "product_qty": 5, "product_uom_id": "Units",
            "date_start": "2026-12-07", "date_deadline": "2026-12-13", "state": "draft"}
    assert requests.post(url, json=good, timeout=5).status_code == 401
    bad = requests.post(url, json={**good, "product_qty": -1}, headers=auth, timeout=5)
    assert (bad.status_code, bad.json()["error"]) == (400, "product_qty must be a number of at least 0, got -1")
    assert requests.post(url, json={**good, "date_deadline": "13.12.2026"}, headers=auth, timeout=5).status_code == 400
    assert requests.post(url, json=good, headers=auth, timeout=5).status_code == 201
    again = requests.post(url, json={**good, "product_qty": 6}, headers=auth, timeout=5)
    assert (again.status_code, again.json()["id"]) == (409, 1)
    assert len(cloud_records(simulated["DE2"])) == 1


def test_an_order_inside_the_frozen_horizon_is_not_cancelled(warehouse, network, tmp_path):
    config, simulated = network
    config = replace(config, planning={**config.planning, "frozen_periods": 1})
    write_back(warehouse, config, simulated)
    dropped = [row for row in PRODUCTION if row[:3] not in (("MX1", "DISC-1", 1), ("DE3", "MOD-1", 2))]
    write_hand_plan(warehouse, "plan-2", production=dropped)
    assert write_back(warehouse, config, simulated).written == {"DE3": 1}  # week 2's order cancelled, week 1's kept
    assert generic_rows(tmp_path).action.tolist() == ["new", "cancel"]
    assert plant_db_rows(tmp_path).set_index("clave").loc["PRD/MX1/-/DISC-1/20261213", "estado"] == "NUEVA"
