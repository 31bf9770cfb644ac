"""A run killed mid-way leaves the warehouse as it was; the next run completes without duplicates."""

import json
import os
import signal
import subprocess
import sys
import time

import duckdb

from orchestration.demo.generator import generate


def raw_rows_by_plant_entity(warehouse) -> dict[tuple[str, str], int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("SELECT plant_code, entity, sum(rows_read) FROM raw._loads GROUP BY ALL").fetchall()
        counts = {}
        for plant, entity, _ in rows:
            table = con.execute("SELECT any_value(raw_table) FROM raw._loads WHERE plant_code = ? AND entity = ?",
                                [plant, entity]).fetchone()[0]
            counts[(plant, entity)] = con.execute(
                f'SELECT count(*) FROM raw."{table}" WHERE _plant_code = ?', [plant]).fetchone()[0]
        return counts


def test_killed_run_then_rerun_loads_every_row_once(tmp_path, data_dir):
    sources = tmp_path / "network"
    manifest = generate(sources, plants=4, items=16, days=200)
    command = [sys.executable, "-m", "orchestration.cli", "run", "--config", str(sources / "network.yaml")]
    warehouse = data_dir / "warehouse.duckdb"
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and not warehouse.exists():
        time.sleep(0.05)
    time.sleep(1.5)  # well into the extracts, before the run can finish
    assert process.poll() is None, "the run finished before it could be killed; use a larger network"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()

    finished = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr[-2000:]
    counts = raw_rows_by_plant_entity(warehouse)
    expected = {("NETWORK" if plant == "network" else plant, entity): rows
                for plant, entities in json.loads((sources / "manifest.json").read_text())["counts"].items()
                for entity, rows in entities.items() if rows}
    assert {k: v for k, v in counts.items() if v} == expected
    assert manifest.faults == []


def table_counts(warehouse) -> dict[str, int]:
    """Rows per table of the warehouse's marts and raw layer (plans carry run ids and times, so not compared)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute("SELECT table_schema, table_name FROM information_schema.tables "
                             "WHERE table_schema IN ('marts', 'raw') AND table_type = 'BASE TABLE'").fetchall()
        return {f"{s}.{t}": con.execute(f'SELECT count(*) FROM "{s}"."{t}"').fetchone()[0] for s, t in tables
                if t not in ("_loads", "_files")}  # bookkeeping of runs, killed ones included


def test_killed_during_the_dbt_build_then_rerun_equals_a_clean_run(tmp_path, data_dir):
    sources = tmp_path / "network"
    generate(sources, plants=4, items=8, days=60)
    command = [sys.executable, "-m", "orchestration.cli", "run", "--config", str(sources / "network.yaml")]
    clean_dir = tmp_path / "clean"
    clean = subprocess.run(command, capture_output=True, text=True, timeout=600,
                           env={**os.environ, "PLANTSYNC_DATA_DIR": str(clean_dir),
                                "DAGSTER_HOME": str(clean_dir / "dagster_home")})
    assert clean.returncode == 0, clean.stderr[-2000:]

    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 300
    building = False
    while time.time() < deadline and process.poll() is None and not building:
        logs = list((data_dir / "logs").glob("run-*.log")) if (data_dir / "logs").exists() else []
        building = any(" OK created sql table model marts." in log.read_text(errors="replace") for log in logs)
        time.sleep(0.05)
    assert building and process.poll() is None, "the dbt build was not caught mid-way"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert table_counts(data_dir / "warehouse.duckdb") == table_counts(clean_dir / "warehouse.duckdb")
