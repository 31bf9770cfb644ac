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
