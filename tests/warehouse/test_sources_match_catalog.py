"""The dbt sources are the connector catalog's raw tables, read through the raw loader's accepted views."""

import yaml

from orchestration.defs.warehouse.project import TRANSFORMS_DIR
from orchestration.raw import ACCEPTED_SCHEMA, RAW_SCHEMA
from orchestration.sources import erp_kinds, source_entities

NETWORK_CONFIG_TABLES = {"plants", "customers", "lanes"}  # written from the network config each run


def _sources() -> list[dict]:
    return [source for path in sorted((TRANSFORMS_DIR / "models" / "staging").glob("*/_*__sources.yml"))
            for source in yaml.safe_load(path.read_text())["sources"]]


def test_every_catalog_raw_table_is_a_source_with_its_fields_and_nothing_else():
    declared = {(s["name"], t["name"], t["identifier"]): [c["name"] for c in t.get("columns", [])]
                for s in _sources() if s["schema"] == ACCEPTED_SCHEMA for t in s["tables"]}
    expected = {(e.raw_prefix, e.entity, e.raw_table): list(e.fields) for e in source_entities()}
    assert declared == expected


def test_the_only_other_source_is_the_network_config():
    others = [s for s in _sources() if s["schema"] != ACCEPTED_SCHEMA]
    assert [(s["name"], s["schema"]) for s in others] == [("network_config", RAW_SCHEMA)]
    assert {t["name"] for t in others[0]["tables"]} == NETWORK_CONFIG_TABLES
    assert {t["identifier"] for t in others[0]["tables"]} == {f"reference__{t}" for t in NETWORK_CONFIG_TABLES}


def test_the_unioned_models_union_every_erp_kind():
    project = yaml.safe_load((TRANSFORMS_DIR / "dbt_project.yml").read_text())
    assert project["vars"]["erp_sources"] == [kind.raw_prefix for kind in erp_kinds()]
