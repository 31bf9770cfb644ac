"""One plant's broken source stops no one: on a first run three plants' ERPs fail in three ways, the
fourth plant is built, planned and published, and the command names each failure and what it skipped."""

import os
import re
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import edit_config


@pytest.fixture(scope="module")
def first_run(small_sources, tmp_path_factory):
    """The small network with DE1's work-center file truncated, DE2's API refusing connections and
    MX1's plant database missing, run once from the command line into an empty data directory."""
    import shutil

    root = tmp_path_factory.mktemp("first_run")
    sources = root / "sources"
    shutil.copytree(small_sources, sources)
    crhd = sorted((sources / "DE1" / "sap").glob("CRHD_*.csv"))[0]
    crhd.write_bytes(crhd.read_bytes()[:150])  # cut inside the third data row

    def break_plants(raw):
        for plant in raw["plants"]:
            if plant["code"] == "DE2":
                plant["erp"].update(base_url="http://127.0.0.1:9", max_retries=0)
            if plant["code"] == "MX1":
                plant["erp"]["url"] = "sqlite:///{sources}/MX1/missing.db"

    edit_config(sources / "network.yaml", break_plants)
    data = root / "data"
    env = {**os.environ, "PLANTSYNC_DATA_DIR": str(data), "DAGSTER_HOME": str(data / "dagster_home"),
           "PLANTSYNC_DE2_TOKEN": "not-needed-the-server-is-down"}
    run = subprocess.run([sys.executable, "-m", "orchestration.cli", "run", "--config", str(sources / "network.yaml")],
                         capture_output=True, text=True, env=env, timeout=900)
    return run, data, crhd.name


def test_the_command_fails_naming_each_real_error_and_what_it_skipped(first_run):
    run, _, crhd = first_run
    assert run.returncode == 1, run.stderr[-3000:]
    lines = run.stderr.splitlines()
    assert f"  raw/DE1/crhd: SourceError: DE1 sap_files: {crhd}: row 3: field VERWE: expected 6 fields, found 4 " \
           "(truncated or shifted line)" in lines
    assert any(line.startswith("  raw/DE2/mrp_workcenter: SourceError: DE2 cloud_api: GET http://127.0.0.1:9/api/v1/"
                               "mrp.workcenter?offset=0: unreachable") for line in lines), lines
    assert any(line.startswith("  raw/MX1/lineas: SourceError: MX1 plant_db: ") for line in lines), lines
    assert "  skipped raw/DE2/machine_events, raw/DE2/mrp_production, raw/DE2/purchase_order_line, " \
           "raw/DE2/quality_inspections, raw/DE2/sale_order_line, raw/DE2/stock_picking, raw/DE2/stock_quant: " \
           "they wait for raw/DE2/mrp_workcenter, which failed" in lines
    assert any(line.startswith("  skipped raw/DE1/afko, ") for line in lines)
    assert "^^^" not in run.stderr  # the real message, not the last line of a traceback
    assert not any("warehouse_dbt_build" in line for line in lines)  # the build itself succeeded


def test_the_progress_says_each_failed_extract_as_it_happens_and_how_many_waited(first_run):
    run, data, _ = first_run
    lines = run.stdout.splitlines()
    failed = {"raw/DE1/crhd", "raw/DE2/mrp_workcenter", "raw/MX1/lineas"}
    assert {name for name in failed if any(line.endswith(f"  {name}: failed") for line in lines)} == failed
    waited = sum(len(line.split(": they wait")[0].split(", ")) for line in run.stderr.splitlines()
                 if line.startswith("  skipped "))
    said = rf" *\d+:\d\d  extract: {waited} of \d+ skipped behind 3 that failed \(see below\)"
    assert any(re.fullmatch(said, line) for line in lines), lines
    assert lines[-2:] == [f"published: {data / 'published' / 'warehouse.duckdb'}",
                          "next: `make dashboard` (or `plantsync dashboard`) to open the analyst app"]


def test_the_working_plant_is_built_planned_and_published_and_its_loads_reconcile(first_run):
    _, data, _ = first_run
    with duckdb.connect(str(data / "published" / "warehouse.duckdb"), read_only=True) as con:
        plants = {p for (p,) in con.execute("SELECT DISTINCT plant_code FROM marts.fct_inventory_daily").fetchall()}
        assert plants == {"DE3"}
        assert con.execute("SELECT count(*) FROM marts.fct_order_lines WHERE plant_code = 'DE3'").fetchone()[0] > 0
        assert con.execute("SELECT count(*) FROM plans.plan_versions WHERE status = 'current'").fetchone()[0] == 1
        unreconciled = con.execute("""SELECT l.load_id FROM raw._loads l LEFT JOIN (
                SELECT load_id, count(DISTINCT source_row || source_file) AS rows FROM raw._quarantine GROUP BY 1) q
                USING (load_id) WHERE l.rows_read <> l.rows_loaded + coalesce(q.rows, 0)""").fetchall()
        assert unreconciled == []
        failed = con.execute("""SELECT plant_code, entity FROM quality.data_exceptions
                                WHERE status = 'open' AND check_name = 'load_failed' ORDER BY 1""").fetchall()
    assert failed == [("DE1", "crhd"), ("DE2", "mrp_workcenter"), ("MX1", "lineas")]
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        for table in ("cloud__stock_quant", "plantdb__existencias", "sap__mard"):  # never loaded: empty, not missing
            assert con.execute(f"SELECT count(*) FROM raw.{table}").fetchone()[0] == 0
