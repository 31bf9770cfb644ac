"""Jobs the schedules and sensors start: one extract job per plant, and the build of everything after."""

from __future__ import annotations

import dagster as dg

from orchestration.config import NetworkConfig, Plant

BUILD_JOB = "build_warehouse_and_plan"


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
    return [p for p in config.plants if p.erp_kind in ("sap_files", "generic")]
