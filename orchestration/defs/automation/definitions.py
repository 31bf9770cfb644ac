"""Automation for a network: per-plant extract jobs on schedules and file sensors, then the build;
the nightly plan; machine-down re-plans; analysts' decisions applied as they come.

Every schedule and sensor starts stopped, so that opening the UI changes nothing: automation runs when
the config says `automation: {enabled: true}`, when `PLANTSYNC_AUTOMATION` says so for one process
(`plantsync ui --automation`), or for the ones a user switches on in the Dagster UI.
"""

import os
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
from orchestration.sources import REFERENCE_SITE

AUTOMATION_ENV = "PLANTSYNC_AUTOMATION"


def automation_on(config: NetworkConfig) -> bool:
    """`PLANTSYNC_AUTOMATION` (1 on, 0 off) when set, for the process that builds the definitions and
    those it starts; else the config's `automation.enabled` (default false)."""
    value = os.environ.get(AUTOMATION_ENV, "")
    if value == "":
        return config.automation_enabled
    if value not in ("0", "1"):
        raise ValueError(f"{AUTOMATION_ENV} must be 1 (automation on) or 0 (off), got {value!r}")
    return value == "1"


def automation_definitions(config: NetworkConfig, decisions_file: Path, running: bool) -> dg.Definitions:
    """Jobs, schedules and sensors; the schedules and sensors start running only if `running`."""
    extracts = [extract_job(site) for site in [p.code for p in config.plants] + [REFERENCE_SITE]]
    build = build_job()
    watched = event_plants(config)
    return dg.Definitions(
        jobs=[*extracts, build, plan_job(), decisions_job(), *(replan_job(p.code) for p in watched)],
        schedules=[*extract_schedules(config, running), nightly_plan_schedule(config, running)],
        sensors=[*(new_file_sensor(config, plant, running) for plant in file_drop_plants(config)),
                 build_after_extract_sensor([job.name for job in extracts], build, running),
                 *(machine_down_sensor(config, plant, running) for plant in watched),
                 plan_decisions_sensor(decisions_file, running)],
    )
