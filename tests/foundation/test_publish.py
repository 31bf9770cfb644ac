"""Publishing: readers see the old state or the new, never half, and never block the pipeline."""

import duckdb

from orchestration.publish import publish


def make_warehouse(path, rows):
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA IF NOT EXISTS marts; CREATE SCHEMA IF NOT EXISTS raw; CREATE SCHEMA IF NOT EXISTS staging")
        con.execute("CREATE OR REPLACE TABLE marts.dim_plant AS SELECT 'P' || range AS plant_code FROM range(?)", [rows])
        con.execute("CREATE OR REPLACE TABLE raw._loads AS SELECT 'L1' AS load_id")
        con.execute("CREATE OR REPLACE TABLE raw.sap__mard AS SELECT 'x' AS matnr")
        con.execute("CREATE OR REPLACE TABLE staging.stg AS SELECT 1 AS a")


def test_publish_copies_contracted_schemas_only(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    make_warehouse(warehouse, 3)
    result = publish(warehouse, tmp_path / "published")
    assert result.tables == {"marts.dim_plant": 3, "raw._loads": 1}
    assert sorted(p.name for p in result.parquet_dir.iterdir()) == ["marts.dim_plant.parquet", "raw._loads.parquet"]
    with duckdb.connect(str(result.database), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM marts.dim_plant").fetchone()[0] == 3
    assert not [p for p in (tmp_path / "published").iterdir() if p.name.startswith(".")]


def test_reader_holding_the_file_sees_old_state_and_does_not_block(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    make_warehouse(warehouse, 3)
    first = publish(warehouse, tmp_path / "published")
    reader = duckdb.connect(str(first.database), read_only=True)
    make_warehouse(warehouse, 5)
    publish(warehouse, tmp_path / "published")  # must not wait for or fail on the open reader
    assert reader.execute("SELECT count(*) FROM marts.dim_plant").fetchone()[0] == 3
    reader.close()
    with duckdb.connect(str(first.database), read_only=True) as fresh:
        assert fresh.execute("SELECT count(*) FROM marts.dim_plant").fetchone()[0] == 5
