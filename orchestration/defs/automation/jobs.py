"""Jobs the schedules and sensors start: one extract job per plant, and the build of everything after."""

from __future__ import annotations

import dagster as dg

from orchestration.config import NetworkConfig, Plant
from orchestration.defs.extract.assets import raw_asset_key
from orchestration.defs.planning.assets import DECISIONS_KEY, PLAN_KEY
from orchestration.sources import SOURCE_KINDS

BUILD_JOB = "build_warehouse_and_plan"
PLAN_JOB = "plan_network"
DECISIONS_JOB = "apply_plan_decisions"


def extract_job_name(site: str) -> str:
    return f"extract_{site}"


def extract_job(site: str):
    return dg.define_asset_job(extract_job_name(site), selection=dg.AssetSelection.key_prefixes(["raw", site]),
                               description=f"Extract every source of {site} into the raw layer.")


def build_job():
    """Everything after the extracts: warehouse, checks, plans, publish (the extracts are not re-run)."""
    return dg.define_asset_job(BUILD_JOB, selection=dg.AssetSelection.all() - dg.AssetSelection.key_prefixes(["raw"]),
                               description="Build the warehouse, run its checks, plan and publish.")


def file_drop_plants(config: NetworkConfig) -> list[Plant]:
    return [p for p in config.plants if SOURCE_KINDS[p.erp_kind].file_based]


def plan_job():
    """The plan alone from the marts as they are, then decisions and publish (the nightly re-plan)."""
    return dg.define_asset_job(PLAN_JOB, selection=dg.AssetSelection.assets(PLAN_KEY).downstream(),
                               description="Plan the network from the current warehouse and publish.")


def replan_job_name(plant_code: str) -> str:
    return f"replan_{plant_code}"


def replan_job(plant_code: str):
    """After a machine-down event: load the plant's events, rebuild what depends on them, re-plan, publish."""
    events = dg.AssetSelection.assets(raw_asset_key(plant_code, "machine_events"))
    return dg.define_asset_job(replan_job_name(plant_code),
                               selection=events.downstream() | dg.AssetSelection.assets(PLAN_KEY).downstream(),
                               description=f"Re-plan after a machine at {plant_code} goes down.")


def decisions_job():
    return dg.define_asset_job(DECISIONS_JOB, selection=dg.AssetSelection.assets(DECISIONS_KEY).downstream(),
                               description="Apply analysts' decisions on plan proposals and publish.")


def event_plants(config: NetworkConfig) -> list[Plant]:
    return [p for p in config.plants if p.events_path]
