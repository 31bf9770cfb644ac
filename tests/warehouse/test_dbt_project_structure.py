"""dbt-project-evaluator's rules, checked on the parsed manifest (no dbt package can be installed here).

Each rule keeps the evaluator's name (fct_...) and returns its findings, one line per offending model or
source; the project's own rules (the unioned models, the key columns' descriptions) say so in their
name. Rules of the evaluator left out: test and documentation coverage (percentages; the per-model rules
here ask for 100 %), source freshness (the extract assets' own freshness checks hold it), and the
governance rules on model access (no model declares one).
"""

import json
import re
from collections import defaultdict
from pathlib import PurePosixPath

import pytest

from orchestration.defs.warehouse.project import ensure_manifest

LAYERS = {"staging": ("stg_",), "intermediate": ("int_",), "marts": ("fct_", "dim_")}
TOO_MANY_JOINS = 7
MAX_CHAINED_VIEWS = 4
HARD_CODED = re.compile(r"\b(from|join)\s+(raw|raw_accepted|staging|intermediate|marts|plans|quality)\.\w+", re.I)
UNION_ONLY = re.compile(r"\{\{ union_conformed\('(?P<entity>\w+)', '[\w, ]+'\) \}\}")  # macros/unioned.sql

# Findings the project keeps, each with why.
EXCEPTIONS = {
    "fct_model_naming_conventions": dict.fromkeys(
        ("inventory_position", "kpi_plant_daily", "kpi_network_daily"),
        "published contract names the dashboards and the planner read: renaming them breaks every reader"),
    "fct_rejoining_of_upstream_concepts": dict.fromkeys(
        ("fct_capacity_daily", "int_kpi_components_daily"),
        "int_plant_time_zones and dim_date are lookups (a plant's time zone, the calendar) joined wherever a "
        "plant-local day is needed; the facts between do not publish that day, and adding it changes contracts"),
    "fct_too_many_joins": {
        "int_kpi_components_daily": "joins one pre-aggregated table per KPI onto its plant-by-day grid, each a "
                                    "one-row-per-key left join: splitting it would only move the joins"},
}


def _models(manifest: dict) -> dict[str, dict]:
    return {uid: n for uid, n in manifest["nodes"].items() if n["resource_type"] == "model"}


def _layer(model: dict) -> str:
    return model["fqn"][1]


def _parents(node: dict) -> tuple[list[str], list[str]]:
    """(sources, models) a node reads."""
    parents = node["depends_on"]["nodes"]
    return [p for p in parents if p.startswith("source.")], [p for p in parents if p.startswith("model.")]


def _key_tests(manifest: dict) -> dict[str, list[list[str]]]:
    """Per model, the keys its tests hold: unique_key's columns, or a column both unique and not_null."""
    by_column: dict[tuple[str, str], set[str]] = defaultdict(set)
    keys: dict[str, list[list[str]]] = defaultdict(list)
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("attached_node"):
            continue
        meta = node.get("test_metadata") or {}
        if meta.get("name") == "unique_key":
            keys[node["attached_node"]].append(list(meta["kwargs"]["columns"]))
        elif meta.get("name") in ("unique", "not_null"):
            by_column[(node["attached_node"], node["column_name"])].add(meta["name"])
    for (model, column), kinds in by_column.items():
        if kinds == {"unique", "not_null"}:
            keys[model].append([column])
    return keys


def _views_upstream(uid: str, models: dict[str, dict]) -> int:
    """The longest chain of views ending at this model (0 when it is not a view)."""
    node = models[uid]
    if node["config"]["materialized"] not in ("view", "ephemeral"):
        return 0
    return 1 + max((_views_upstream(p, models) for p in _parents(node)[1]), default=0)


def findings(manifest: dict) -> dict[str, list[str]]:
    """Every rule's findings on a manifest, by rule name."""
    models = _models(manifest)
    sources = manifest["sources"]
    name = {uid: n["name"] for uid, n in models.items()}
    readers: dict[str, list[str]] = defaultdict(list)
    children: dict[str, list[str]] = defaultdict(list)
    for uid, model in models.items():
        for parent in model["depends_on"]["nodes"]:
            (readers[parent] if parent.startswith("source.") else children[parent]).append(uid)
    keys = _key_tests(manifest)
    out: dict[str, list[str]] = defaultdict(list)
    for uid, model in sorted(models.items(), key=lambda item: item[1]["name"]):
        reads_sources, reads_models = _parents(model)
        layer, path = _layer(model), PurePosixPath(model["original_file_path"])
        code = re.sub(r"--[^\n]*|\{#.*?#\}", "", model["raw_code"], flags=re.S)
        if len(reads_sources) > 1:
            out["fct_multiple_sources_joined"].append(f"{model['name']}: {len(reads_sources)} sources")
        if reads_sources and reads_models:
            out["fct_direct_join_to_source"].append(model["name"])
        if reads_sources and layer != "staging":
            out["fct_marts_or_intermediate_dependent_on_source"].append(model["name"])
        if layer == "staging" and reads_models:
            out["fct_staging_dependent_on_models"].append(
                f"{model['name']}: {', '.join(sorted(name[p] for p in reads_models))}")
        if not reads_sources and not reads_models:
            out["fct_root_models"].append(model["name"])
        if HARD_CODED.search(code):
            out["fct_hard_coded_references"].append(model["name"])
        joins = len(re.findall(r"\bjoin\b", code, re.I))
        if joins >= TOO_MANY_JOINS:
            out["fct_too_many_joins"].append(model["name"])
        for parent in reads_models:  # parent -> model and parent's only child also... rejoined upstream
            for grandparent in _parents(models[parent])[1]:
                if grandparent in reads_models and children[parent] == [uid]:
                    out["fct_rejoining_of_upstream_concepts"].append(
                        f"{model['name']}: {name[grandparent]} directly and through {name[parent]}")
        unioned = UNION_ONLY.fullmatch(code.strip())
        union_of = unioned and f"int_{unioned['entity']}_unioned"
        if model["name"].endswith("_unioned") and model["name"] != union_of:
            out["project_unioned_models_only_union"].append(model["name"])
        if not model["description"].strip():
            out["fct_undocumented_models"].append(model["name"])
        model_keys = keys.get(uid, [])
        if not model_keys:
            out["fct_missing_primary_key_tests"].append(model["name"])
        undocumented = sorted({c for key in model_keys for c in key
                               if not model["columns"].get(c, {}).get("description", "").strip()})
        if undocumented:
            out["project_undocumented_key_columns"].append(f"{model['name']}: {', '.join(undocumented)}")
        if not model["name"].startswith(LAYERS.get(layer, ("",))):
            out["fct_model_naming_conventions"].append(model["name"])
        if layer == "staging":
            sources_read = {sources[s]["source_name"] for s in reads_sources}
            prefix = model["name"].removeprefix("stg_").split("__")[0]
            if path.parent.name != prefix or sources_read - {prefix}:
                out["fct_model_directories"].append(f"{model['name']}: in {path.parent}, reads {sorted(sources_read)}")
        elif layer not in LAYERS:
            out["fct_model_directories"].append(f"{model['name']}: in {path.parent}")
        if _views_upstream(uid, models) > MAX_CHAINED_VIEWS:
            out["fct_chained_views_dependencies"].append(model["name"])
        if layer == "marts" and not model["config"].get("contract", {}).get("enforced"):
            out["fct_public_models_without_contract"].append(model["name"])
    for uid, source in sorted(sources.items()):
        label = f"{source['source_name']}.{source['name']}"
        if len(readers[uid]) > 1:
            out["fct_source_fanout"].append(f"{label}: {', '.join(sorted(name[r] for r in readers[uid]))}")
        if not readers[uid]:
            out["fct_unused_sources"].append(label)
        if not source["description"].strip():
            out["fct_undocumented_source_tables"].append(label)
        if not source["source_description"].strip():
            out["fct_undocumented_sources"].append(label)
        if PurePosixPath(source["original_file_path"]).parent.name != source["source_name"]:
            out["fct_source_directories"].append(f"{label}: in {source['original_file_path']}")
    by_name = {model["name"]: model for model in models.values()}
    tests = [(n, models.get(n.get("attached_node"))) for n in manifest["nodes"].values() if n["resource_type"] == "test"]
    tests += [(t, by_name[t["model"]]) for t in manifest.get("unit_tests", {}).values()]
    for test, model in tests:
        test_dir = PurePosixPath(test["original_file_path"]).parent
        if model and test_dir != PurePosixPath(model["original_file_path"]).parent:
            out["fct_test_directories"].append(f"{test['name']}: in {test_dir}, its model in "
                                               f"{PurePosixPath(model['original_file_path']).parent}")
    for exposure in manifest["exposures"].values():
        for parent in exposure["depends_on"]["nodes"]:
            node = manifest["nodes"].get(parent) or sources.get(parent)
            if parent.startswith("source.") or node["config"]["materialized"] in ("view", "ephemeral"):
                out["fct_exposure_parents_materializations"].append(f"{exposure['name']}: {parent}")
    return dict(out)


RULES = (
    "fct_multiple_sources_joined", "fct_direct_join_to_source", "fct_marts_or_intermediate_dependent_on_source",
    "fct_staging_dependent_on_models", "fct_root_models", "fct_hard_coded_references", "fct_too_many_joins",
    "fct_rejoining_of_upstream_concepts", "fct_source_fanout", "fct_unused_sources",
    "project_unioned_models_only_union", "fct_missing_primary_key_tests", "fct_undocumented_models",
    "project_undocumented_key_columns", "fct_undocumented_sources", "fct_undocumented_source_tables",
    "fct_model_naming_conventions", "fct_model_directories", "fct_source_directories", "fct_test_directories",
    "fct_chained_views_dependencies", "fct_exposure_parents_materializations", "fct_public_models_without_contract",
)


@pytest.fixture(scope="module")
def project_findings() -> dict[str, list[str]]:
    return findings(json.loads(ensure_manifest().read_text()))


def test_every_finding_is_of_a_known_rule(project_findings):
    assert set(project_findings) <= set(RULES)


@pytest.mark.parametrize("rule", RULES)
def test_rule_holds(project_findings, rule):
    found = project_findings.get(rule, [])
    allowed = EXCEPTIONS.get(rule, {})
    assert [f for f in found if f.split(":")[0] not in allowed] == []
    assert set(allowed) == {f.split(":")[0] for f in found} & set(allowed), \
        "an exception no model needs any more: take it out of EXCEPTIONS"
