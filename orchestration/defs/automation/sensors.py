"""Sensors: a new extract file starts its plant's extract; finished extracts start the build."""

import hashlib
import json
from pathlib import Path

import dagster as dg

from orchestration.config import NetworkConfig, Plant
from orchestration.defs.automation.jobs import extract_job_name


def _snapshot(folder: Path) -> dict[str, int]:
    """Every extract file below a plant's drop folder, with its modification time (late files excluded)."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in sorted(folder.rglob("*.csv"))
            if "_late" not in p.parts}


def new_file_sensor(config: NetworkConfig, plant: Plant) -> dg.SensorDefinition:
    folder = config.resolve(plant.erp["path"])

    @dg.sensor(name=f"new_extract_file_{plant.code}", job_name=extract_job_name(plant.code),
               minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING,
               description=f"Starts {plant.code}'s extract when a new or re-sent file lands in {folder}.")
    def watch(context: dg.SensorEvaluationContext):
        seen = json.loads(context.cursor) if context.cursor else {}
        now = _snapshot(folder)
        new = sorted(name for name, mtime in now.items() if seen.get(name) != mtime)
        if not new:
            return dg.SkipReason(f"no new files in {folder}")
        run_key = hashlib.sha256(json.dumps({n: now[n] for n in new}).encode()).hexdigest()[:16]
        return dg.SensorResult(
            run_requests=[dg.RunRequest(run_key=run_key, tags={"trigger": "new_file", "plant": plant.code,
                                                               "files": ",".join(new)[:200]})],
            cursor=json.dumps(now))

    return watch


def build_after_extract_sensor(extract_jobs: list[str], build_job) -> dg.RunStatusSensorDefinition:
    @dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, name="build_after_extract", request_job=build_job,
                          default_status=dg.DefaultSensorStatus.RUNNING,
                          description="After any plant's extract succeeds, build the warehouse and plan.")
    def build(context: dg.RunStatusSensorContext):
        if context.dagster_run.job_name not in extract_jobs:
            return dg.SkipReason(f"{context.dagster_run.job_name} is not an extract job")
        return dg.RunRequest(run_key=f"build-after-{context.dagster_run.run_id}",
                             tags={"trigger": "extract_succeeded", "after_run": context.dagster_run.run_id})

    return build
