"""The warehouse: one dbt build per run, with each plant's raw extracts as the models' upstream assets.

A raw table holds every plant of its source kind, so a dbt source maps to one extract asset per plant
of that kind: the translator gives each staging model those per-plant keys, for one connected lineage
from raw/<plant>/<entity> through staging and intermediate to the marts. Models are grouped by their
folder (staging, intermediate, marts), and each dbt test's check says in words what it holds.
"""

import json
import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.config import NetworkConfig
from orchestration.defs.extract.assets import raw_asset_key
from orchestration.defs.resources import PlantSources
from orchestration.defs.warehouse.project import DBT_EXECUTABLE, ensure_manifest, transforms_project
from orchestration.raw import create_raw_layer
from orchestration.sources import EVENTS, REFERENCE, REFERENCE_SITE, SOURCE_KINDS, source_entities


class NetworkTranslator(DagsterDbtTranslator):
    """Keys models by layer (staging/..., marts/...) and sources by the extract assets that fill them."""

    def __init__(self, config: NetworkConfig):
        super().__init__(DagsterDbtTranslatorSettings(enable_source_metadata=False))
        self.config = config

    def raw_keys(self, source: Mapping[str, Any]) -> list[dg.AssetKey]:
        folder, entity = source["source_name"], source["name"]
        if folder == "network_config":
            return [raw_asset_key(REFERENCE_SITE, "network_config")]
        if folder == REFERENCE.raw_prefix:
            return [raw_asset_key(REFERENCE_SITE, entity)]
        if folder == EVENTS.raw_prefix:
            return [raw_asset_key(p.code, entity) for p in self.config.plants]
        return [raw_asset_key(p.code, entity) for p in self.config.plants
                if SOURCE_KINDS[p.erp_kind].raw_prefix == folder]

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(["raw", dbt_resource_props["source_name"], dbt_resource_props["name"]])
        schema = dbt_resource_props.get("config", {}).get("schema") or "warehouse"
        return dg.AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """The model's folder under models/ (staging, intermediate, marts); seeds and snapshots by kind."""
        if dbt_resource_props["resource_type"] == "model":
            return dbt_resource_props["fqn"][1]
        return f"{dbt_resource_props['resource_type']}s"

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project) -> dg.AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        return spec and spec._replace(description=check_description(manifest["nodes"][unique_id]))

    def get_asset_spec(self, manifest, unique_id, project) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        parents = props.get("depends_on", {}).get("nodes", [])
        sources = [manifest["sources"][p] for p in parents if p.startswith("source.")]
        if not sources:
            return spec
        source_keys = {self.get_asset_key(s) for s in sources}
        deps = [d for d in spec.deps if d.asset_key not in source_keys]
        deps += [dg.AssetDep(key) for s in sources for key in self.raw_keys(s)]
        return spec.replace_attributes(deps=deps)


def warehouse_assets(config: NetworkConfig) -> dg.AssetsDefinition:
    ensure_manifest()

    @dbt_assets(manifest=transforms_project.manifest_path, dagster_dbt_translator=NetworkTranslator(config),
                name="warehouse_dbt_build")
    def warehouse(context: dg.AssetExecutionContext, dbt: DbtCliResource, sources: PlantSources):
        os.environ["PLANTSYNC_WAREHOUSE"] = str(sources.warehouse)
        create_raw_layer(sources.warehouse, source_entities())
        build = dbt.cli(["build", *dbt_vars(config)], context=context, raise_on_error=False)
        yield from build.stream()
        if not build.is_successful():
            raise dg.Failure(description=build_failures(build.get_artifact("run_results.json")))

    return warehouse


def dbt_vars(config: NetworkConfig) -> list[str]:
    """The network's planning settings the models read (dbt_project.yml holds their defaults)."""
    settings = {k: config.planning[k] for k in ("cycle_stock_days",) if k in config.planning}
    return ["--vars", json.dumps(settings)] if settings else []


def check_description(test: Mapping[str, Any]) -> str:
    """What a dbt test holds, for a planner: its own yml description when it has one, else said from the
    test's name, column and arguments ("order_line_id is never null")."""
    given = test.get("description") or test.get("meta", {}).get("description")
    if given:
        return given
    generic = test.get("test_metadata", {})
    kind, args = generic.get("name", test["name"]), generic.get("kwargs", {})
    column = test.get("column_name") or "each row"
    if kind == "not_null":
        return f"{column} is never null"
    if kind == "unique":
        return f"{column} is unique: no two rows share one"
    if kind == "unique_key":
        return f"{', '.join(args['columns'])} identify each row: never null, no two rows share them"
    if kind == "accepted_values":
        return f"{column} is one of {', '.join(map(str, args['values']))}"
    if kind == "relationships":
        target = args["to"].removeprefix("ref(").removesuffix(")").strip("'\"")
        return f"every {column} is a {args['field']} in {target}"
    details = ", ".join(f"{k}={v}" for k, v in args.items() if k not in ("model", "column_name"))
    return f"{column} passes {kind}" + (f" ({details})" if details else "")


def build_failures(run_results: dict) -> str:
    """What failed in a dbt build, one line per model or test with dbt's own first line of the reason."""
    failed = [r for r in run_results.get("results", []) if r.get("status") in ("error", "fail")]
    lines = [f"dbt build: {len(failed)} of {len(run_results.get('results', []))} nodes failed"]
    for result in failed:
        message = next((line.strip() for line in (result.get("message") or "").splitlines() if line.strip()), "")
        lines.append(f"  {result['unique_id']}: {result['status']}: {message}")
    return "\n".join(lines)


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=transforms_project, profiles_dir=str(transforms_project.profiles_dir),
                          dbt_executable=DBT_EXECUTABLE)
