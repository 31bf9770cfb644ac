"""The source-kind registry: complete, consistent with itself, and the one place a new kind is added."""

from pathlib import Path

import duckdb
import jsonschema
import pandas as pd
import pytest
import yaml

from expectations.suites.raw import KnownCodes, check_raw_rows
from expectations.suites.raw_formats import FORMATS, MAGNITUDE, NUMERIC
from orchestration.config import ConfigError, load_config, schema
from orchestration.core.paths import DEMO_CONFIG
from orchestration.defs.automation.jobs import file_drop_plants
from orchestration.defs.automation.sensors import new_file_sensor
from orchestration.demo.generator import network_config
from orchestration.demo.network import build_network
from orchestration.raw import create_raw_layer
from orchestration.sources import (
    EVENTS,
    SOURCE_KINDS,
    SourceKind,
    erp_connector,
    erp_kinds,
    plant_entities,
    source_entities,
)
from orchestration.sources.files import FileConnector
from orchestration.sources.generic.connector import GenericFileConnector
from orchestration.sources.kind import entity


def test_every_raw_table_has_one_kind_and_one_name():
    tables = [e.raw_table for e in source_entities()]
    assert len(tables) == len(set(tables))
    prefixes = [kind.raw_prefix for kind in SOURCE_KINDS.values()]
    assert len(prefixes) == len(set(prefixes))
    for name, kind in SOURCE_KINDS.items():
        assert kind.name == name
        assert {(e.kind, e.raw_prefix) for e in kind.entities} == {(name, kind.raw_prefix)}


def test_every_field_a_rule_reads_has_a_format_the_rule_can_parse():
    for e in source_entities():
        rules = e.rules
        assert set(rules.formats.values()) <= set(FORMATS), e.raw_table
        numeric = {f for f, fmt in rules.formats.items() if fmt in NUMERIC}
        assert {*rules.non_negative, *rules.positive} <= numeric, e.raw_table
        assert set(rules.maximum) == numeric, e.raw_table
        assert all(f.magnitude in MAGNITUDE for f in e.source_fields if f.magnitude), e.raw_table
        named = {*e.key, *rules.required, *rules.plants, *rules.own_plant, *rules.work_centers, *rules.allowed,
                 e.item_field, e.unit_field, e.watermark_field, e.lists_work_centers} - {None}
        assert named <= set(e.fields), e.raw_table
        if e.watermark_field:  # compared as text by the connectors: it must be a date-time in one format
            assert rules.formats.get(e.watermark_field, "").startswith("iso_datetime"), e.raw_table


def test_every_erp_kind_says_what_the_rest_of_plantsync_asks():
    demo = load_config(DEMO_CONFIG)
    for kind in erp_kinds():
        names = {e.entity for e in kind.entities}
        assert kind.inventory_entity in names, kind.name
        assert kind.work_center_list is not None, kind.name  # machines and work centers are checked against it
        assert kind.demo.faulty <= names and kind.demo.local_unit, kind.name
        plant = next(p for p in demo.plants if p.erp_kind == kind.name)
        assert erp_connector(demo, plant, {"DE2": "http://127.0.0.1:1"}).source_system == kind.name
    assert EVENTS.demo.faulty <= {e.entity for e in EVENTS.entities}


def test_every_config_fragment_validates_its_demo_plants_and_no_other_kinds():
    generated = network_config(build_network(8, 12, 7), with_sources_dir=False)
    shipped = yaml.safe_load(DEMO_CONFIG.read_text())
    blocks = [p["erp"] for p in shipped["plants"] + generated["plants"]]
    assert {b["kind"] for b in blocks} == {k.name for k in erp_kinds()}
    for block in blocks:
        for kind in erp_kinds():
            valid = jsonschema.Draft202012Validator(kind.config_schema).is_valid(block)
            assert valid == (kind.name == block["kind"]), (kind.name, block)


def _fake_kind() -> SourceKind:
    """A tiny ERP kind living only in this test: CSV files in the generic layout, its own names."""
    return SourceKind(
        name="fake_erp", raw_prefix="fake", settings={"folder": {"type": "string"}}, required_settings=("folder",),
        entities=(
            entity("stock", "stock", "day part qty uom", "day part", item="part", unit="uom",
                   required="day part qty", non_negative="qty", iso_date="day", number="qty"),
            entity("cells", "cells", "cell hours", "cell", lists_work_centers="cell", positive="hours",
                   number="hours", kinds={"hours": "hours"}),
        ),
        connect=lambda config, plant, simulated: FakeConnector(plant.code, config.resolve(plant.erp["folder"])),
        inventory_entity="stock", file_based=True)


class FakeConnector(GenericFileConnector):
    source_system = "fake_erp"


@pytest.fixture()
def fake(monkeypatch) -> SourceKind:
    kind = _fake_kind()
    monkeypatch.setitem(SOURCE_KINDS, kind.name, kind)
    return kind


def _config_with_fake_plant(tmp_path: Path, erp: dict) -> Path:
    raw = yaml.safe_load(DEMO_CONFIG.read_text())
    raw["plants"].append(dict(raw["plants"][0], code="FK1", name="Fake Works", erp=erp))
    path = tmp_path / "network.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


def test_a_kind_registered_alone_is_picked_up_by_config_catalog_and_raw_suite(fake, tmp_path):
    assert fake.config_schema in schema()["properties"]["plants"]["items"]["properties"]["erp"]["oneOf"]
    config = load_config(_config_with_fake_plant(tmp_path, {"kind": "fake_erp", "folder": "FK1/files"}))
    plant = config.plant("FK1")
    with pytest.raises(ConfigError, match=r"plants\[FK1\]\.erp: 'folder' is a required property"):
        load_config(_config_with_fake_plant(tmp_path, {"kind": "fake_erp"}))
    with pytest.raises(ConfigError, match="erp.kind must be one of .*fake_erp"):
        load_config(_config_with_fake_plant(tmp_path, {"kind": "oracle", "folder": "x"}))

    assert {"fake__stock", "fake__cells"} <= {e.raw_table for e in source_entities()}
    assert [e.raw_table for e in plant_entities(plant)] == ["fake__stock", "fake__cells",
                                                            *(e.raw_table for e in EVENTS.entities)]
    connector = erp_connector(config, plant, {})
    assert isinstance(connector, FileConnector) and connector.folder == config.resolve("FK1/files")
    assert plant in file_drop_plants(config)
    assert new_file_sensor(config, plant, running=False).name == "new_extract_file_FK1"

    warehouse = tmp_path / "warehouse.duckdb"
    create_raw_layer(warehouse, source_entities())
    with duckdb.connect(str(warehouse)) as con:
        columns = [r[0] for r in con.execute("DESCRIBE raw.fake__stock").fetchall()]
    assert columns[:4] == ["day", "part", "qty", "uom"]

    rows = pd.DataFrame({"day": ["2026-11-23", "2026-11-23"], "part": ["P1", "P2"], "qty": ["5", "-1"],
                         "uom": ["EA", "EA"]})
    known = KnownCodes(items=frozenset({"P1", "P2"}), units=frozenset({"EA"}))
    _, failures = check_raw_rows(rows, fake.entity("stock"), known)
    assert list(failures.itertuples(index=False, name=None)) == [(1, "range", "qty", "-1")]
