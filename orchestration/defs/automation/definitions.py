"""Automation for a network: per-plant extract jobs on schedules and file sensors, then the build."""

import dagster as dg

from orchestration.config import NetworkConfig
from orchestration.defs.automation.jobs import build_job, extract_job, file_drop_plants
from orchestration.defs.automation.schedules import extract_schedules
from orchestration.defs.automation.sensors import build_after_extract_sensor, new_file_sensor
from orchestration.erp import REFERENCE_SITE


def automation_definitions(config: NetworkConfig) -> dg.Definitions:
    extracts = [extract_job(site) for site in [p.code for p in config.plants] + [REFERENCE_SITE]]
    build = build_job()
    return dg.Definitions(
        jobs=[*extracts, build],
        schedules=extract_schedules(config),
        sensors=[*(new_file_sensor(config, plant) for plant in file_drop_plants(config)),
                 build_after_extract_sensor([job.name for job in extracts], build)],
    )
