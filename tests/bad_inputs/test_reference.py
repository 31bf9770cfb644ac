"""Missing or broken required reference data is an error naming the file: exit 1, nothing built on it,
and the last good published state stands (no plan made without routings)."""

import os
import shutil
import subprocess
import sys

import duckdb
import pytest


def run_cli(sources, data):
    env = {**os.environ, "PLANTSYNC_DATA_DIR": str(data), "DAGSTER_HOME": str(data / "dagster_home")}
    return subprocess.run([sys.executable, "-m", "orchestration.cli", "run", "--config", str(sources / "network.yaml")],
                          capture_output=True, text=True, env=env, timeout=900)


def current_plan(data):
    with duckdb.connect(str(data / "published" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute("SELECT plan_id FROM plans.plan_versions WHERE status = 'current'").fetchall()


@pytest.fixture()
def sources(small_sources, tmp_path):
    target = tmp_path / "sources"
    shutil.copytree(small_sources, target)
    return target


def test_missing_routings_stop_the_run_before_anything_is_built_then_a_broken_one_keeps_the_last_plan(
        sources, tmp_path):
    data = tmp_path / "data"
    routings = sources / "network" / "routings.csv"
    kept = routings.read_bytes()
    routings.unlink()

    first = run_cli(sources, data)
    assert first.returncode == 1
    assert (f"  raw/NETWORK/routings: SourceError: NETWORK reference: {sources / 'network'}: no file "
            "routings/routings_<YYYYMMDD>.csv or routings.csv: routings is required (codes cannot be checked or "
            "mapped, nor a plan made, without it)") in first.stderr.splitlines()
    assert "  warehouse not built, nothing published: network reference data did not load (the last published " \
           "state stands)" in first.stderr.splitlines()
    assert not (data / "published").exists()  # no plan from a network without routings

    routings.write_bytes(kept)
    good = run_cli(sources, data)
    assert good.returncode == 0, good.stderr[-3000:]
    plan = current_plan(data)
    assert len(plan) == 1

    header, first_row = kept.decode().splitlines()[:2]
    (sources / "network" / "routings" ).mkdir()
    broken = sources / "network" / "routings" / "routings_20261124.csv"
    broken.write_text(f"{header}\n{first_row}\n{first_row.rsplit(',', 2)[0]}\n")  # the last row cut short
    third = run_cli(sources, data)
    assert third.returncode == 1
    assert any(line.startswith("  raw/NETWORK/routings: SourceError: NETWORK reference: routings_20261124.csv: "
                               "row 2: field ") for line in third.stderr.splitlines()), third.stderr[-2000:]
    assert "warehouse not built, nothing published" in third.stderr
    assert current_plan(data) == plan  # the last good plan is still what readers see
