"""Latency from a machine-down event landing in a plant's feed to the re-planned plan published.

    python -m benchmarks.replan_latency [--repeats 3]

On the demo network (built once in benchmarks/work/latency, not timed): each repeat appends a DOWN
event for a work center to DE1's feed, evaluates the plant's machine-down sensor, and runs the job the
sensor asks for (extract DE1's events, rebuild what depends on them, re-plan, apply decisions,
publish), timing each step from Dagster's event log. The baseline, run side by side in the same
process, is the full build job a new extract triggers (every dbt model, the synchronized and the
coordinated plan, publish). The sensor's polling interval is added as configured, not measured: an
event waits up to one interval for the next tick.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import time
from datetime import timedelta
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.cli import _materialize, prepare_environment
from orchestration.definitions import build_definitions
from orchestration.demo.generator import generate

WORK = Path(__file__).resolve().parent / "work" / "latency"
PLANT = "DE1"


def prepare() -> tuple[Path, Path]:
    sources, warehouse = WORK / "sources", WORK / "data" / "warehouse.duckdb"
    if not (WORK / "data" / "published" / "warehouse.duckdb").exists():
        generate(sources)
        warehouse.parent.mkdir(parents=True, exist_ok=True)
        assert _materialize(build_definitions(sources / "network.yaml", warehouse), WORK / "setup.log") == []
    return sources / "network.yaml", warehouse


def land_event(config: Path, warehouse: Path, number: int) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        as_of = con.execute("SELECT max(snapshot_date) FROM marts.fct_inventory_daily").fetchone()[0]
    down_at = as_of + timedelta(days=7 - as_of.weekday() + 7)  # the second planning period: outside the frozen one
    feed = sorted((config.parent / PLANT / "events").glob("machine_events_*.jsonl"))[-1]
    with feed.open("a") as lines:
        lines.write(json.dumps({"event_id": f"BENCH-{time.time_ns()}-{number}", "machine": "L1",
                                "ts": f"{down_at}T06:00:00", "state": "DOWN", "reason": "benchmark"}) + "\n")


def step_seconds(instance: dg.DagsterInstance, run_id: str) -> dict[str, float]:
    started, seconds = {}, {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type_value == "STEP_START":
            started[event.step_key] = entry.timestamp
        elif event.event_type_value == "STEP_SUCCESS":
            seconds[event.step_key] = entry.timestamp - started[event.step_key]
    return seconds


def stage(step: str) -> str:
    if step.startswith("raw__"):
        return "extract"
    if step.startswith("plans__network_plan"):
        return "solve (re-plan)"
    if step.startswith("plans__"):
        return "decisions"
    if step.startswith("published__"):
        return "publish"
    return "build (dbt + checks)"


def timed_job(defs: dg.Definitions, job: str, tags: dict) -> tuple[float, dict[str, float]]:
    with dg.instance_for_test() as instance:
        started = time.perf_counter()
        with (WORK / "runs.log").open("a") as log, contextlib.redirect_stdout(log):  # dbt's progress lines
            result = defs.resolve_job_def(job).execute_in_process(
                instance=instance, tags=tags, run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}})
        wall = time.perf_counter() - started
        assert result.success
        stages: dict[str, float] = {}
        for step, seconds in step_seconds(instance, result.run_id).items():
            stages[stage(step)] = stages.get(stage(step), 0.0) + seconds
    stages["dagster overhead"] = wall - sum(stages.values())
    return wall, stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    prepare_environment()
    config, warehouse = prepare()
    defs = build_definitions(config, warehouse)
    sensor = defs.resolve_sensor_def(f"machine_down_{PLANT}")
    with dg.instance_for_test() as instance:
        cursor = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, definitions=defs)).cursor
    rows, baseline = [], []
    for number in range(args.repeats):
        land_event(config, warehouse, number)
        started = time.perf_counter()
        with dg.instance_for_test() as instance:
            tick = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=cursor, definitions=defs))
        sensor_seconds = time.perf_counter() - started
        cursor = tick.cursor
        wall, stages = timed_job(defs, f"replan_{PLANT}", tick.run_requests[0].tags)
        rows.append({"sensor tick": sensor_seconds, **stages, "event to published": sensor_seconds + wall})
        baseline.append(timed_job(defs, "build_warehouse_and_plan", {"trigger": "benchmark"})[0])
    print(f"{'stage':24} {'min':>7} {'median':>7} {'max':>7}   (seconds, {args.repeats} repeats)")
    for name in rows[0]:
        values = [row.get(name, 0.0) for row in rows]
        print(f"{name:24} {min(values):7.2f} {statistics.median(values):7.2f} {max(values):7.2f}")
    latency = statistics.median(row["event to published"] for row in rows)
    print(f"{'full build (baseline)':24} {min(baseline):7.2f} {statistics.median(baseline):7.2f} {max(baseline):7.2f}")
    interval = sensor.minimum_interval_seconds
    print(f"re-plan / full build: {latency / statistics.median(baseline):.2f}; worst case with the sensor's "
          f"{interval} s interval: {latency + interval:.1f} s (goal: under 30 s)")


if __name__ == "__main__":
    main()
