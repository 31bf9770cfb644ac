"""The one entry point: Dagster Definitions for the network config in force (PLANTSYNC_CONFIG)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from orchestration.config import load_config
from orchestration.core.decisions import decisions_path
from orchestration.core.paths import config_path, warehouse_path
from orchestration.defs.automation.definitions import automation_definitions, automation_on
from orchestration.defs.extract.assets import extract_assets
from orchestration.defs.planning.assets import network_plan, plan_decisions
from orchestration.defs.planning.write_back import write_back_orders
from orchestration.defs.publish.assets import publish_asset
from orchestration.defs.quality.checks import quality_checks
from orchestration.defs.resources import PlantSources
from orchestration.defs.warehouse.assets import dbt_resource, warehouse_assets


def build_definitions(config_file: Path, warehouse: Path) -> dg.Definitions:
    config = load_config(config_file)
    assets = [*extract_assets(config), warehouse_assets(config), network_plan, plan_decisions]
    upstream = [key for asset in assets for key in asset.keys]
    core = dg.Definitions(
        # publish does not wait for the write-back: a plant's ERP that is down does not hold back the readers
        assets=[*assets, write_back_orders, publish_asset(upstream)],
        asset_checks=quality_checks(config, upstream),
        resources={"sources": PlantSources(config_path=str(config_file), warehouse_path=str(warehouse)),
                   "dbt": dbt_resource()},
        executor=dg.in_process_executor,
    )
    automation = automation_definitions(config, decisions_path(warehouse.parent), running=automation_on(config))
    return dg.Definitions.merge(core, automation)


defs = build_definitions(config_path(), warehouse_path())
