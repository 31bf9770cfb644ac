"""Sensors: a new extract file starts its plant's extract; finished extracts start the build; a
machine-down event starts a bounded re-plan; an analyst's decision on a proposal is applied."""

import hashlib
import json
from pathlib import Path

import dagster as dg

from orchestration.config import NetworkConfig, Plant
from orchestration.core.decisions import read_decisions
from orchestration.core.replan import MachineDown
from orchestration.defs.automation.jobs import DECISIONS_JOB, extract_job_name, replan_job_name
from orchestration.sources import erp_connector


def _snapshot(folder: Path) -> dict[str, int]:
    """Every extract file below a plant's drop folder, with its modification time (late files excluded)."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in sorted(folder.rglob("*.csv"))
            if "_late" not in p.parts}


def default_status(running: bool) -> dg.DefaultSensorStatus:
    return dg.DefaultSensorStatus.RUNNING if running else dg.DefaultSensorStatus.STOPPED


def new_file_sensor(config: NetworkConfig, plant: Plant, running: bool) -> dg.SensorDefinition:
    folder = erp_connector(config, plant, {}).folder  # a file-based kind's connector reads one drop folder

    @dg.sensor(name=f"new_extract_file_{plant.code}", job_name=extract_job_name(plant.code),
               minimum_interval_seconds=30, default_status=default_status(running),
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


def build_after_extract_sensor(extract_jobs: list[str], build_job, running: bool) -> dg.RunStatusSensorDefinition:
    @dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, name="build_after_extract", request_job=build_job,
                          default_status=default_status(running),
                          description="After any plant's extract succeeds, build the warehouse and plan.")
    def build(context: dg.RunStatusSensorContext):
        if context.dagster_run.job_name not in extract_jobs:
            return dg.SkipReason(f"{context.dagster_run.job_name} is not an extract job")
        return dg.RunRequest(run_key=f"build-after-{context.dagster_run.run_id}",
                             tags={"trigger": "extract_succeeded", "after_run": context.dagster_run.run_id})

    return build


def _new_lines(path: Path, offset: int) -> tuple[list[str], int]:
    """Complete lines after `offset` (from the start if the file was rewritten shorter), and the new offset."""
    size = path.stat().st_size
    if size < offset:
        offset = 0
    with path.open("rb") as feed:
        feed.seek(offset)
        data = feed.read(size - offset)
    complete = data[: data.rfind(b"\n") + 1]
    return complete.decode("utf-8", errors="replace").splitlines(), offset + len(complete)


def machine_down_sensor(config: NetworkConfig, plant: Plant, running: bool) -> dg.SensorDefinition:
    folder = config.resolve(plant.events_path)
    outage_hours = float(config.planning.get("assumed_outage_hours", 72))

    @dg.sensor(name=f"machine_down_{plant.code}", job_name=replan_job_name(plant.code), minimum_interval_seconds=5,
               default_status=default_status(running),
               description=f"Starts a bounded re-plan when a machine at {plant.code} reports DOWN in {folder}.")
    def watch(context: dg.SensorEvaluationContext):
        feeds = sorted(folder.glob("machine_events_*.jsonl")) if folder.is_dir() else []
        if context.cursor is None:  # the feed's history is not news: start watching from its end
            return dg.SensorResult(skip_reason=f"watching {len(feeds)} event files from now",
                                   cursor=json.dumps({p.name: p.stat().st_size for p in feeds}))
        offsets = json.loads(context.cursor)
        requests = []
        for path in feeds:
            lines, offsets[path.name] = _new_lines(path, offsets.get(path.name, 0))
            for number, line in enumerate(lines, start=1):
                try:
                    event = json.loads(line)
                except json.JSONDecodeError:
                    context.log.warning(f"{path.name}: new line {number} is not JSON; the extract will quarantine it")
                    continue
                if isinstance(event, dict) and event.get("state") == "DOWN":
                    down = MachineDown.from_event(plant.code, event, outage_hours)
                    requests.append(dg.RunRequest(run_key=f"machine_down-{down.event_id}", tags=down.as_tags()))
        return dg.SensorResult(run_requests=requests, cursor=json.dumps(offsets),
                               skip_reason=None if requests else f"no machine went down at {plant.code}")

    return watch


def plan_decisions_sensor(decisions_file: Path, running: bool) -> dg.SensorDefinition:
    @dg.sensor(name="plan_decisions", job_name=DECISIONS_JOB, minimum_interval_seconds=10,
               default_status=default_status(running),
               description="Applies analysts' new decisions (an approved proposal becomes the current plan).")
    def watch(context: dg.SensorEvaluationContext):
        decided = len(read_decisions(decisions_file, latest=False))
        seen = int(context.cursor or 0)
        if decided <= seen:
            return dg.SkipReason("no new decisions")
        return dg.SensorResult(run_requests=[dg.RunRequest(run_key=f"decisions-{decided}", tags={"trigger": "analyst"})],
                               cursor=str(decided))

    return watch
