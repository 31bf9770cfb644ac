"""Automation for a network: per-plant extract jobs on schedules and file sensors, then the build;
the nightly plan; machine-down re-plans; analysts' decisions applied as they come."""

from pathlib import Path

import dagster as dg

from orchestration.config import NetworkConfig
from orchestration.defs.automation.jobs import (
    build_job,
    decisions_job,
    event_plants,
    extract_job,
    file_drop_plants,
    plan_job,
    replan_job,
)
from orchestration.defs.automation.schedules import extract_schedules, nightly_plan_schedule
from orchestration.defs.automation.sensors import (
    build_after_extract_sensor,
    machine_down_sensor,
    new_file_sensor,
    plan_decisions_sensor,
)
from orchestration.erp import REFERENCE_SITE


def automation_definitions(config: NetworkConfig, decisions_file: Path) -> dg.Definitions:
    extracts = [extract_job(site) for site in [p.code for p in config.plants] + [REFERENCE_SITE]]
    build = build_job()
    watched = event_plants(config)
    return dg.Definitions(
        jobs=[*extracts, build, plan_job(), decisions_job(), *(replan_job(p.code) for p in watched)],
        schedules=[*extract_schedules(config), nightly_plan_schedule(config)],
        sensors=[*(new_file_sensor(config, plant) for plant in file_drop_plants(config)),
                 build_after_extract_sensor([job.name for job in extracts], build),
                 *(machine_down_sensor(config, plant) for plant in watched),
                 plan_decisions_sensor(decisions_file)],
    )
