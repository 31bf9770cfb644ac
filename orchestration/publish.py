"""Publish the warehouse for readers: a finished DuckDB copy swapped in with one rename, plus Parquet.

DuckDB allows one writer or many readers, never both. The pipeline owns `warehouse.duckdb`; the
dashboard and downstream systems open `published/warehouse.duckdb` read-only. Because the new copy is
written beside the old one and renamed over it, a reader sees the old state or the new, never half of
one, and a reader holding the old file open never makes the pipeline wait.
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

PUBLISHED_SCHEMAS = ("marts", "plans", "quality")
PUBLISHED_RAW_TABLES = ("_loads", "_files", "_quarantine")


@dataclass(frozen=True)
class Published:
    database: Path
    parquet_dir: Path
    tables: dict[str, int]  # schema.table -> rows


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def published_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    schemas = ", ".join("?" for _ in PUBLISHED_SCHEMAS)
    raw = ", ".join("?" for _ in PUBLISHED_RAW_TABLES)
    return con.execute(
        f"""SELECT table_schema, table_name FROM information_schema.tables
            WHERE table_catalog = ? AND table_type = 'BASE TABLE'
              AND (table_schema IN ({schemas}) OR (table_schema = 'raw' AND table_name IN ({raw})))
            ORDER BY 1, 2""", [catalog, *PUBLISHED_SCHEMAS, *PUBLISHED_RAW_TABLES]).fetchall()


def publish(warehouse: Path, published_dir: Path) -> Published:
    """Copy the published schemas of `warehouse` into a new file and Parquet, then swap them in."""
    published_dir.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex[:8]
    staging_db = published_dir / f".warehouse.{token}.duckdb"
    staging_parquet = published_dir / f".parquet.{token}"
    staging_parquet.mkdir()
    tables: dict[str, int] = {}
    con = duckdb.connect(str(staging_db))
    try:
        con.execute("ATTACH ? AS source (READ_ONLY)", [str(warehouse)])
        for schema, table in published_tables(con, "source"):
            name = f"{_quote(schema)}.{_quote(table)}"
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {_quote(schema)}")
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM source.{name}")
            target = staging_parquet / f"{schema}.{table}.parquet"
            con.execute(f"COPY {name} TO '{target}' (FORMAT parquet)")
            tables[f"{schema}.{table}"] = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        con.execute("DETACH source")
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        staging_db.unlink(missing_ok=True)
        shutil.rmtree(staging_parquet, ignore_errors=True)
        raise
    con.close()
    database = published_dir / "warehouse.duckdb"
    parquet_dir = published_dir / "parquet"
    os.replace(staging_db, database)
    parquet_dir.mkdir(exist_ok=True)
    for path in staging_parquet.iterdir():
        os.replace(path, parquet_dir / path.name)
    for stale in set(p.name for p in parquet_dir.iterdir()) - {f"{t}.parquet" for t in tables}:
        (parquet_dir / stale).unlink()
    staging_parquet.rmdir()
    return Published(database, parquet_dir, tables)
