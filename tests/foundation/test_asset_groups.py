"""The Dagster UI's view of the warehouse: one group per dbt folder, checks and models described, and
the documented selection that traces one plant from its extracts to the plan."""

import json
from collections import Counter
from pathlib import Path

import dagster as dg
import pytest

from orchestration.core.paths import DEMO_CONFIG
from orchestration.definitions import build_definitions
from orchestration.defs.planning.assets import PLAN_KEY
from orchestration.defs.publish.assets import PUBLISHED_KEY
from orchestration.defs.warehouse.project import ensure_manifest

# As written in docs/operations.md and README.md, for the demo's plant DE1.
TRACE_PLANT = 'group:plant_DE1+ and +key:"plans/network_plan"'
PLANT_DOWNSTREAM = "group:plant_DE1+"


@pytest.fixture(scope="module")
def graph():
    return build_definitions(DEMO_CONFIG, Path("unused.duckdb")).resolve_asset_graph()


@pytest.fixture(scope="module")
def models() -> dict[str, dict]:
    """The dbt manifest's models by name, read by the test itself to say where each belongs."""
    manifest = json.loads(ensure_manifest().read_text())
    return {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}


def keys(graph, selection: str) -> set[str]:
    return {key.to_user_string() for key in dg.AssetSelection.from_string(selection).resolve(graph)}


def test_every_model_is_in_its_folders_group_and_no_group_is_the_whole_warehouse(graph, models):
    folders = {name: Path(node["original_file_path"]).parts[1] for name, node in models.items()}
    assert set(folders.values()) == {"staging", "intermediate", "marts"}
    for name, folder in folders.items():
        assert graph.get(dg.AssetKey([folder, name])).group_name == folder, name
    sizes = Counter(graph.get(key).group_name for key in graph.get_all_asset_keys())
    per_folder = Counter(folders.values())
    assert {group: sizes[group] for group in ("staging", "intermediate", "marts")} == per_folder
    assert max(sizes.values()) == per_folder["staging"] < len(models)


def test_every_model_shows_its_yml_description(graph, models):
    for name, node in models.items():
        assert node["description"], f"{name} has no description in its yml"
        description = graph.get(dg.AssetKey([node["fqn"][1], name])).description
        assert description.startswith(node["description"]), name


def test_every_dbt_test_check_says_what_it_holds(graph, models):
    specs = [graph.get_check_spec(key) for key in graph.asset_check_keys]
    dbt_checks = {spec.name: spec.description for spec in specs if spec.asset_key.path[0] in
                  ("staging", "intermediate", "marts") and spec.name != "mart_suite"}
    assert dbt_checks and all(description and description.strip() for description in dbt_checks.values())
    assert dbt_checks["not_null_fct_order_lines_order_line_id"] == "order_line_id is never null"
    assert dbt_checks["accepted_values_dim_lane_lane_kind__transfer__delivery"] == \
        "lane_kind is one of transfer, delivery"
    assert dbt_checks["relationships_fct_transfers_from_plant_code__plant_code__ref_dim_plant_"] == \
        "every from_plant_code is a plant_code in dim_plant"


def test_the_documented_selection_traces_one_plant_from_its_extracts_to_the_plan(graph):
    downstream, trace = keys(graph, PLANT_DOWNSTREAM), keys(graph, TRACE_PLANT)
    plant_raw = keys(graph, "group:plant_DE1")
    assert plant_raw and plant_raw <= downstream
    assert {"raw/DE1/mard", "raw/DE1/crhd", "raw/DE1/vbap"} <= trace <= downstream
    assert {"staging/stg_sap__mard", "staging/stg_sap__crhd", "staging/stg_events__machine_events"} <= trace
    assert {"marts/fct_inventory_daily", "marts/fct_capacity_daily", "marts/fct_demand",
            "marts/inventory_position"} <= trace
    assert PLAN_KEY.to_user_string() in trace and PUBLISHED_KEY.to_user_string() in downstream
    assert PUBLISHED_KEY.to_user_string() not in trace  # the trace ends at the plan
    assert not {k for k in downstream if k.startswith("raw/") and not k.startswith("raw/DE1/")}
    assert not {k for k in downstream if k.startswith(("staging/stg_cloud__", "staging/stg_plantdb__"))}
