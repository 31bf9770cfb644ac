"""Extracts on each plant's own schedule, in the plant's time zone (`extract_cron` in the config)."""

import dagster as dg

from orchestration.config import NetworkConfig
from orchestration.defs.automation.jobs import PLAN_JOB, extract_job_name


def default_status(running: bool) -> dg.DefaultScheduleStatus:
    return dg.DefaultScheduleStatus.RUNNING if running else dg.DefaultScheduleStatus.STOPPED


def extract_schedules(config: NetworkConfig, running: bool) -> list[dg.ScheduleDefinition]:
    return [
        dg.ScheduleDefinition(
            name=f"extract_{plant.code}_schedule", cron_schedule=plant.extract_cron, job_name=extract_job_name(
                plant.code), execution_timezone=plant.time_zone, default_status=default_status(running),
            description=f"Extract {plant.name} on its schedule ({plant.extract_cron}, {plant.time_zone}).")
        for plant in config.plants
    ]


def nightly_plan_schedule(config: NetworkConfig, running: bool) -> dg.ScheduleDefinition:
    cron = config.planning.get("nightly_cron", "0 2 * * *")
    time_zone = config.planning.get("time_zone", "UTC")
    return dg.ScheduleDefinition(name="nightly_plan", cron_schedule=cron, job_name=PLAN_JOB,
                                 execution_timezone=time_zone, tags={"trigger": "schedule"},
                                 default_status=default_status(running),
                                 description=f"Re-plan the network every night ({cron}, {time_zone}).")
