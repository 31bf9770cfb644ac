"""What `plantsync run` prints: each extract and each stage as it happens, in order, with elapsed time,
ending with the published file and the next command."""

import json
import os
import re
import subprocess
import sys

import duckdb
import pytest

from orchestration.defs.warehouse.project import ensure_manifest
from orchestration.demo.generator import generate

STAGES = ["extract", "validate", "dbt build", "mart checks", "plan", "publish"]
LINE = re.compile(r"^\s*(\d+):(\d\d)  (extract|validate|dbt build|mart checks|plan|publish)\b(.*)$")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One small network with a few faults (rows to quarantine), run once from the command line."""
    root = tmp_path_factory.mktemp("run_output")
    generate(root / "sources", plants=4, items=4, days=30, fault_rate=0.05)
    data = root / "data"
    env = {**os.environ, "PLANTSYNC_DATA_DIR": str(data), "DAGSTER_HOME": str(data / "dagster_home")}
    config = root / "sources" / "network.yaml"
    done = subprocess.run([sys.executable, "-m", "orchestration.cli", "run", "--config", str(config)],
                          capture_output=True, text=True, env=env, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout, data


def progress_lines(stdout: str) -> list[tuple[int, str, str]]:
    """(seconds since start, stage, rest of the line) for each progress line, in printed order."""
    return [(int(m[1]) * 60 + int(m[2]), m[3], m[4]) for m in map(LINE.match, stdout.splitlines()) if m]


def test_the_run_names_each_stage_in_order_with_elapsed_time(run):
    stdout, data = run
    lines = progress_lines(stdout)
    stages = [stage for _, stage, _ in lines]
    assert [s for i, s in enumerate(stages) if i == 0 or stages[i - 1] != s] == STAGES
    seconds = [s for s, _, _ in lines]
    assert seconds == sorted(seconds) and seconds[-1] > seconds[0]
    said = {stage: rest for _, stage, rest in lines}
    nodes = json.loads(ensure_manifest().read_text())["nodes"].values()
    models = sum(node["resource_type"] == "model" for node in nodes)
    tests = sum(node["resource_type"] == "test" for node in nodes)
    assert said["dbt build"] == f": {models} models, {tests} tests: {tests} passed, 0 warnings, 0 failed"
    with duckdb.connect(str(data / "published" / "warehouse.duckdb"), read_only=True) as con:
        plan_id, status = con.execute("SELECT plan_id, status FROM plans.plan_runs "
                                      "WHERE scenario = 'synchronized'").fetchone()
        solving = con.execute("SELECT sum(solve_seconds) FROM plans.plan_runs").fetchone()[0]
        quarantined = con.execute("SELECT sum(rows_read - rows_loaded) FROM raw._loads").fetchone()[0]
    assert said["plan"].startswith(f": {plan_id} {status}, solved in {solving:.1f} s, total cost ")
    assert quarantined > 0 and said["validate"].endswith(f"; {quarantined:,} rows quarantined")


def test_each_extract_is_counted_once_with_the_rows_it_loaded(run):
    stdout, data = run
    extracts = [rest for _, stage, rest in progress_lines(stdout) if stage == "extract"]
    counted = [re.match(r" +(\d+)/(\d+)  raw/(\w+)/(\w+): ([\d,]+) new rows$", rest).groups()
               for rest in extracts]
    total = int(counted[0][1])
    assert [int(c[0]) for c in counted] == list(range(1, total + 1))
    assert {c[1] for c in counted} == {str(total)}
    with duckdb.connect(str(data / "published" / "warehouse.duckdb"), read_only=True) as con:
        loaded = {(p, e): n for p, e, n in con.execute(
            "SELECT plant_code, entity, sum(rows_loaded) FROM raw._loads GROUP BY ALL").fetchall()}
    printed = {(plant, entity): int(rows.replace(",", "")) for _, _, plant, entity, rows in counted}
    assert {k: v for k, v in printed.items() if k[1] != "network_config"} == loaded


def test_the_run_ends_with_the_published_file_and_the_next_command(run):
    stdout, data = run
    last = stdout.strip().splitlines()[-2:]
    assert last[0] == f"published: {data / 'published' / 'warehouse.duckdb'}"
    assert "make dashboard" in last[1] and "plantsync dashboard" in last[1]
    assert (data / "published" / "warehouse.duckdb").is_file()


def test_the_plan_summary_counts_the_promises_to_open_orders(run):
    stdout, data = run
    with duckdb.connect(str(data / "published" / "warehouse.duckdb"), read_only=True) as con:
        lines = con.execute("""
            SELECT order_line_id, bool_or(supply_kind = 'unmet' OR days_late > 0) AS late,
                   first(late_reason ORDER BY coalesce(ship_period, 1e9) DESC) AS reason
            FROM plans.plan_pegging WHERE scenario = 'synchronized' AND order_line_id IS NOT NULL
            GROUP BY 1""").df()
    late = lines[lines.late]
    counts = late.reason.value_counts()
    assert len(lines) and (f"open orders: {len(lines):,}, promised on time {len(lines) - len(late):,}, late "
                           f"{len(late):,} (capacity {counts.get('capacity', 0):,}, material "
                           f"{counts.get('material', 0):,}, lane {counts.get('lane', 0):,}") in stdout


def test_the_plan_summary_names_the_supply_on_its_way_and_the_materials_to_buy(run):
    stdout, data = run
    with duckdb.connect(str(data / "published" / "warehouse.duckdb"), read_only=True) as con:
        receipts = con.execute("""SELECT source, sum(qty) FROM plans.plan_receipts WHERE scenario = 'synchronized'
                                  GROUP BY 1 ORDER BY 1""").fetchall()
        units, suppliers, cost = con.execute("""SELECT sum(qty), count(DISTINCT supplier_id), sum(cost)
                                                FROM plans.plan_purchases WHERE scenario = 'synchronized'""").fetchone()
    assert {source for source, _ in receipts} == {"production_order", "purchase_order", "transfer"}
    assert (f"supply on its way: {sum(q for _, q in receipts):,.0f} units ("
            + ", ".join(f"{source.replace('_', ' ')}s {q:,.0f}" for source, q in receipts) + ")") in stdout
    assert units > 0 and f"materials to buy: {units:,.0f} units from {suppliers} suppliers, {cost:,.0f} EUR" in stdout
