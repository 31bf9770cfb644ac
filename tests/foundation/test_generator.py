"""The demo network generator: deterministic, scalable, and honest about what it wrote."""

import csv
import hashlib
import json
import sqlite3
from pathlib import Path

import yaml

from orchestration.config import load_config
from orchestration.core.paths import DEMO_CONFIG
from orchestration.demo.generator import generate, network_config
from orchestration.demo.network import build_network

SMALL = {"plants": 4, "items": 8, "days": 40}


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes(tmp_path):
    generate(tmp_path / "a", seed=11, fault_rate=0.02, **SMALL)
    generate(tmp_path / "b", seed=11, fault_rate=0.02, **SMALL)
    generate(tmp_path / "c", seed=12, fault_rate=0.02, **SMALL)
    a, b, c = (tree_digest(tmp_path / x) for x in "abc")
    assert a == b
    assert a != c


def test_shipped_demo_config_is_what_the_generator_describes():
    generated = network_config(build_network(4, 30, 7), with_sources_dir=False)
    assert yaml.safe_load(DEMO_CONFIG.read_text()) == generated


def test_demo_network_shape(tmp_path):
    generate(tmp_path, **SMALL)
    config = load_config(tmp_path / "network.yaml")
    kinds = {p.code: p.erp_kind for p in config.plants}
    assert set(kinds.values()) == {"sap_files", "cloud_api", "plant_db", "generic"}
    currencies = {p.currency for p in config.plants}
    assert {"EUR", "MXN"} <= currencies
    assert any(c["kind"] == "oem" for c in config.customers)
    assert any(c["kind"] == "aftermarket" for c in config.customers)
    # The plant abroad makes some of the same items as a home plant.
    routings = list(csv.DictReader((tmp_path / "network" / "routings.csv").open()))
    makers: dict[str, set[str]] = {}
    for row in routings:
        makers.setdefault(row["item_id"], set()).add(row["plant_code"])
    assert any({"MX1", "DE1"} <= plants for plants in makers.values())
    assert any({"MX1", "DE2"} <= plants for plants in makers.values())


def test_sap_extracts_are_native(tmp_path):
    generate(tmp_path, **SMALL)
    mard = sorted((tmp_path / "DE1" / "sap").glob("MARD_*.csv"))[0]
    header, first = mard.read_text(encoding="utf-8").splitlines()[:2]
    assert header == "MATNR;WERKS;LGORT;STICHTAG;LABST;INSME;SPEME"
    fields = first.split(";")
    assert len(fields[0]) == 18 and fields[0].isdigit()
    assert len(fields[3]) == 8 and fields[3].isdigit()
    assert "," in fields[4] and "." not in fields[4]


def test_manifest_counts_match_what_is_on_disk(tmp_path):
    manifest = generate(tmp_path, fault_rate=0.03, **SMALL)
    late = {f["file"] for f in manifest.late_files}
    counted = sum(1 for _ in (tmp_path / "DE1" / "sap").glob("MARD_*.csv"))
    on_disk = sum(len(p.read_text().splitlines()) - 1 for p in (tmp_path / "DE1" / "sap").glob("MARD_*.csv"))
    late_rows = sum(f["rows"] for f in manifest.late_files if f["file"].startswith("DE1/sap/MARD_"))
    assert counted >= 1
    assert manifest.counts["DE1"]["mard"] == on_disk + late_rows
    with sqlite3.connect(tmp_path / "MX1" / "plant.db") as db:
        assert db.execute("SELECT count(*) FROM existencias").fetchone()[0] == manifest.counts["MX1"]["existencias"]
    cloud_rows = len((tmp_path / "DE2" / "cloud" / "stock.quant.jsonl").read_text().splitlines())
    assert cloud_rows == manifest.counts["DE2"]["stock_quant"]
    for entry in late:
        assert (tmp_path / entry.split("/", 1)[0] / "_late" / entry.split("/", 1)[1]).is_file()


def test_faults_are_where_the_manifest_says(tmp_path):
    manifest = generate(tmp_path, fault_rate=0.03, **SMALL)
    kinds = {f["kind"] for f in manifest.faults}
    assert kinds == {"duplicate", "unknown_item", "unit_mismatch"}
    checked = 0
    for fault in manifest.faults:
        if fault["plant"] != "DE1" or not fault["where"].startswith("sap/"):
            continue
        path = tmp_path / "DE1" / fault["where"]
        if not path.exists():
            path = tmp_path / "DE1" / "_late" / fault["where"]
        rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter=";"))
        row = rows[fault["row"] - 1]
        if fault["kind"] == "unknown_item":
            assert row[fault["field"]].startswith("UNKNOWN-")
        elif fault["kind"] == "unit_mismatch":
            assert row[fault["field"]] == "BOX"
        else:
            assert row == rows[fault["row"] - 2]  # the copy sits right after its original
        checked += 1
    assert checked > 5


def test_fault_free_by_default(tmp_path):
    manifest = generate(tmp_path, **SMALL)
    assert manifest.faults == [] and manifest.late_files == []
    assert json.loads((tmp_path / "manifest.json").read_text())["settings"]["fault_rate"] == 0.0


def test_scales_by_parameters(tmp_path):
    manifest = generate(tmp_path, plants=6, items=20, days=20)
    config = load_config(tmp_path / "network.yaml")
    assert len(config.plants) == 6
    assert len(manifest.counts) == 7  # six plants and the network reference data
    items = list(csv.DictReader((tmp_path / "network" / "items.csv").open()))
    assert sum(item["item_kind"] != "raw" for item in items) == 20  # made items; their materials come on top
    assert manifest.counts["network"]["items"] == len(items)
