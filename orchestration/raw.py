"""The raw layer: append-only DuckDB tables of source rows as text, tagged with where they came from.

Each (plant, entity) load runs in one transaction: its rows, the files it consumed and its load record
commit together, so a load killed half-way leaves nothing behind and the next run loads it whole.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.erp.base import Connector, SourceState
from orchestration.erp.catalog import SourceEntity

RAW_SCHEMA = "raw"

_BOOKKEEPING = f"""
CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA};
CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}._loads (
    load_id VARCHAR PRIMARY KEY, plant_code VARCHAR, source_system VARCHAR, entity VARCHAR,
    raw_table VARCHAR, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, rows_read BIGINT, rows_loaded BIGINT,
    watermark_before VARCHAR, watermark_after VARCHAR, files VARCHAR
);
CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}._files (
    plant_code VARCHAR, entity VARCHAR, file_name VARCHAR, sha256 VARCHAR, load_id VARCHAR, rows BIGINT
);
CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}._quarantine (
    plant_code VARCHAR, source_system VARCHAR, entity VARCHAR, raw_table VARCHAR, load_id VARCHAR,
    source_file VARCHAR, source_row BIGINT, rule VARCHAR, field VARCHAR, value VARCHAR, row_json VARCHAR,
    quarantined_at TIMESTAMPTZ
);
"""


@dataclass(frozen=True)
class LoadResult:
    load_id: str
    plant_code: str
    entity: str
    raw_table: str
    rows_read: int
    rows_loaded: int
    watermark_before: str | None
    watermark_after: str | None
    files: tuple[str, ...]


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), read_only=read_only)


def ensure_raw_table(con: duckdb.DuckDBPyConnection, entity: SourceEntity) -> str:
    """Create the raw table for an entity if needed: source fields as text, then the lineage tags."""
    con.execute(_BOOKKEEPING)
    table = f"{RAW_SCHEMA}.{quote(entity.raw_table)}"
    columns = [f"{quote(f)} VARCHAR" for f in entity.fields] + [
        '"_extra_fields" VARCHAR', '"_plant_code" VARCHAR', '"_source_system" VARCHAR', '"_load_id" VARCHAR',
        '"_loaded_at" TIMESTAMPTZ', '"_source_file" VARCHAR', '"_source_row" BIGINT']
    con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(columns)})")
    return table


def source_state(con: duckdb.DuckDBPyConnection, plant_code: str, entity: SourceEntity) -> SourceState:
    con.execute(_BOOKKEEPING)
    watermark = con.execute(
        f"SELECT watermark_after FROM {RAW_SCHEMA}._loads WHERE plant_code = ? AND entity = ? "
        "AND watermark_after IS NOT NULL ORDER BY finished_at DESC LIMIT 1", [plant_code, entity.entity]).fetchone()
    files = con.execute(
        f"SELECT file_name, sha256 FROM {RAW_SCHEMA}._files WHERE plant_code = ? AND entity = ?",
        [plant_code, entity.entity]).fetchall()
    return SourceState(watermark=watermark[0] if watermark else None, files=dict(files))


def load_entity(warehouse: Path, connector: Connector, entity: SourceEntity) -> LoadResult:
    """Extract what is new for one (plant, entity) and append it to its raw table in one transaction."""
    plant = connector.plant_code
    load_id = f"{plant}-{entity.entity}-{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    started = datetime.now(UTC)
    con = connect(warehouse)
    try:
        table = ensure_raw_table(con, entity)
        state = source_state(con, plant, entity)
        batches = list(connector.batches(entity, state))  # read everything before writing anything
        loaded_at = datetime.now(UTC)
        con.execute("BEGIN TRANSACTION")
        rows_read = 0
        files = []
        watermark = state.watermark
        for batch in batches:
            frame = batch.rows.assign(
                _plant_code=plant, _source_system=connector.source_system, _load_id=load_id,
                _loaded_at=loaded_at, _source_file=batch.source_file,
                _source_row=pd.Series(batch.source_rows, index=batch.rows.index, dtype="int64"))
            con.register("batch_rows", frame)
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM batch_rows")
            con.unregister("batch_rows")
            rows_read += len(frame)
            if batch.file_sha256:
                files.append(batch.source_file)
                con.execute(f"INSERT INTO {RAW_SCHEMA}._files VALUES (?, ?, ?, ?, ?, ?)",
                            [plant, entity.entity, batch.source_file, batch.file_sha256, load_id, len(frame)])
            watermark = batch.watermark or watermark
        con.execute(f"INSERT INTO {RAW_SCHEMA}._loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [load_id, plant, connector.source_system, entity.entity, entity.raw_table, started,
                     datetime.now(UTC), rows_read, rows_read, state.watermark, watermark, json.dumps(files)])
        con.execute("COMMIT")
    finally:
        con.close()
    return LoadResult(load_id, plant, entity.entity, entity.raw_table, rows_read, rows_read, state.watermark,
                      watermark, tuple(files))


def load_summary(warehouse: Path, since: datetime) -> pd.DataFrame:
    """Per plant and entity, what the loads since `since` read and loaded, and the watermark now."""
    con = connect(warehouse, read_only=True)
    try:
        return con.execute(
            f"""SELECT plant_code, entity, sum(rows_read) AS rows_read, sum(rows_loaded) AS rows_loaded,
                       arg_max(watermark_after, finished_at) AS watermark
                FROM {RAW_SCHEMA}._loads WHERE finished_at >= ? GROUP BY ALL ORDER BY ALL""", [since]).df()
    finally:
        con.close()
