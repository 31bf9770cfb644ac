"""The raw layer: append-only DuckDB tables of source rows as text, tagged with where they came from.

Each (plant, entity) load runs in one transaction: its rows, the files it consumed, its load record, the
rows its raw suite quarantined (with the rule each failed) and the suite's results commit together, so a
load killed half-way leaves nothing behind and the next run loads it whole. Raw tables keep every row as
the source gave it; `raw._quarantine` lists the (load, file, row, rule) left out of the warehouse, and
`raw._loads` counts rows_read = rows_loaded (passed) + rows quarantined. Beside each raw table a view in
`raw_accepted` holds its rows less the quarantined ones: the one source dbt's staging reads, so a row a
later load corrects comes back by itself.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from expectations.exceptions import Finding, stable_location, sync_exceptions
from expectations.results import record_validation
from expectations.suites.raw import KnownCodes, check_raw_rows
from expectations.validate import ROW
from orchestration.core import clock
from orchestration.sources import REFERENCE, SourceEntity, source_entities
from orchestration.sources.connector import Batch, Connector, SourceState

RAW_SCHEMA = "raw"
ACCEPTED_SCHEMA = "raw_accepted"

BOOKKEEPING = f"""
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
    rows_quarantined: int = 0
    rules_failed: tuple[tuple[str, int], ...] = ()  # (rule, rows) for this load


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), read_only=read_only)


def accepted_rows(raw_table: str) -> str:
    """The rows of a raw table its raw suite did not quarantine, with the raw table's columns."""
    return (f"SELECT r.* FROM {RAW_SCHEMA}.{quote(raw_table)} AS r WHERE NOT EXISTS (SELECT 1 FROM "
            f"{RAW_SCHEMA}._quarantine AS q WHERE q.load_id = r._load_id AND q.source_file = r._source_file "
            "AND q.source_row = r._source_row)")


def ensure_raw_table(con: duckdb.DuckDBPyConnection, entity: SourceEntity) -> str:
    """Create the raw table for an entity if needed: source fields as text, then the lineage tags; and
    its view of accepted rows in `raw_accepted`."""
    con.execute(BOOKKEEPING)
    table = f"{RAW_SCHEMA}.{quote(entity.raw_table)}"
    columns = [f"{quote(f)} VARCHAR" for f in entity.fields] + [
        '"_extra_fields" VARCHAR', '"_plant_code" VARCHAR', '"_source_system" VARCHAR', '"_load_id" VARCHAR',
        '"_loaded_at" TIMESTAMPTZ', '"_source_file" VARCHAR', '"_source_row" BIGINT']
    con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(columns)})")
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {ACCEPTED_SCHEMA}")
    con.execute(f"CREATE OR REPLACE VIEW {ACCEPTED_SCHEMA}.{quote(entity.raw_table)} AS "
                f"{accepted_rows(entity.raw_table)}")
    return table


def create_raw_layer(warehouse: Path, entities: Iterable[SourceEntity]) -> None:
    """Create every raw table of the catalog (empty until loaded) with the bookkeeping tables.

    The warehouse builds over every source kind the catalog knows, so a plant whose source has never
    loaded (down on a first run, or not configured yet) flows through as empty instead of failing the
    build for every plant."""
    con = connect(warehouse)
    try:
        for entity in entities:
            ensure_raw_table(con, entity)
    finally:
        con.close()


def source_state(con: duckdb.DuckDBPyConnection, plant_code: str, entity: SourceEntity) -> SourceState:
    con.execute(BOOKKEEPING)
    watermark = con.execute(
        f"SELECT watermark_after FROM {RAW_SCHEMA}._loads WHERE plant_code = ? AND entity = ? "
        "AND watermark_after IS NOT NULL ORDER BY finished_at DESC LIMIT 1", [plant_code, entity.entity]).fetchone()
    files = con.execute(
        f"SELECT file_name, sha256 FROM {RAW_SCHEMA}._files WHERE plant_code = ? AND entity = ?",
        [plant_code, entity.entity]).fetchall()
    return SourceState(watermark=watermark[0] if watermark else None, files=dict(files))


LOAD_FAILED = "load_failed"


class ReferenceMissing(RuntimeError):
    """A raw suite needs reference data (item cross-reference, units, work centers) not loaded yet."""


def _table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                       [RAW_SCHEMA, table]).fetchone()[0] > 0


def _clean_values(con: duckdb.DuckDBPyConnection, table: str, column: str, plant_column: str | None = None,
                  plant_code: str | None = None) -> set[str]:
    """The distinct values of a raw column over every load, leaving out quarantined rows."""
    if not _table_exists(con, table):
        return set()
    sql = f"SELECT DISTINCT r.{quote(column)} FROM ({accepted_rows(table)}) AS r WHERE r.{quote(column)} IS NOT NULL"
    params = []
    if plant_column:
        sql += f" AND r.{quote(plant_column)} = ?"
        params.append(plant_code)
    return {row[0] for row in con.execute(sql, params).fetchall()}


def known_codes(con: duckdb.DuckDBPyConnection, plant_code: str, entity: SourceEntity,
                plants: Collection[str] | None) -> KnownCodes:
    """The codes a plant's rows are checked against: the network's plants, the plant's items (via the item
    cross-reference), the unit conversions, the plant's work centers (its own list and the routings)."""
    plant_set = frozenset(plants) if plants is not None else None
    if entity.kind == REFERENCE.name:
        return KnownCodes(plants=plant_set)

    def required(values: set[str], what: str, source: str) -> frozenset[str]:
        if not values:
            raise ReferenceMissing(f"{plant_code} {entity.entity}: cannot check {what}: {source} holds none "
                                   f"for {plant_code} yet; it loads first")
        return frozenset(values)

    items = units = work_centers = None
    if entity.item_field:
        items = required(_clean_values(con, "reference__item_xref", "local_item_code", "plant_code", plant_code),
                         "item codes", "raw.reference__item_xref")
    if entity.unit_field:
        units = required(_clean_values(con, "reference__unit_conversions", "unit_code"), "unit codes",
                         "raw.reference__unit_conversions")
    if entity.rules.work_centers:  # the plant's own list (which must have loaded) and its routings
        master = required(set().union(*(_clean_values(con, e.raw_table, e.lists_work_centers, "_plant_code", plant_code)
                                        for e in source_entities() if e.lists_work_centers)),
                          "work centers", "the plant's own work-center list")
        work_centers = frozenset(master | _clean_values(con, "reference__routings", "work_center_code",
                                                        "plant_code", plant_code))
    return KnownCodes(plants=plant_set, own_plant=plant_code, items=items, units=units, work_centers=work_centers)


def _tagged_rows(batches: list[Batch], plant: str, source_system: str, load_id: str,
                 loaded_at: datetime) -> pd.DataFrame:
    frames = [batch.rows.assign(
        _plant_code=plant, _source_system=source_system, _load_id=load_id, _loaded_at=loaded_at,
        _source_file=batch.source_file, _source_row=pd.Series(batch.source_rows, index=batch.rows.index, dtype="int64"))
        for batch in batches if len(batch.rows)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _quarantine_rows(rows: pd.DataFrame, failures: pd.DataFrame, entity: SourceEntity, at: datetime) -> pd.DataFrame:
    """One quarantine row per failing (row, rule, field), carrying the whole original row as JSON."""
    source = rows.loc[failures[ROW].to_numpy()].reset_index(drop=True)
    kept = [*entity.fields, "_extra_fields"]
    row_json = source[[c for c in kept if c in source]].apply(
        lambda r: json.dumps({k: v for k, v in r.items() if not (k == "_extra_fields" and v is None)},
                             default=str), axis=1) if len(source) else pd.Series(dtype=object)
    return pd.DataFrame({
        "plant_code": source["_plant_code"], "source_system": source["_source_system"], "entity": entity.entity,
        "raw_table": entity.raw_table, "load_id": source["_load_id"], "source_file": source["_source_file"],
        "source_row": source["_source_row"], "rule": failures["rule"].to_numpy(),
        "field": failures["field"].to_numpy(), "value": failures["value"].map(
            lambda v: None if v is None else str(v)).to_numpy(), "row_json": row_json.to_numpy(),
        "quarantined_at": at, ROW: failures[ROW].to_numpy()})


def _findings(quarantine: pd.DataFrame, plant: str, entity: SourceEntity) -> list[Finding]:
    out = []
    for (rule, source_file), group in quarantine.groupby(["rule", "source_file"], sort=True):
        first = group.iloc[0]
        rows = group[ROW].nunique()
        fields = ", ".join(sorted(set(group.field.dropna())))
        out.append(Finding(plant, f"raw:{rule}", entity.entity, stable_location(source_file), rows,
                           f"{rows} row(s) of {source_file} quarantined: {rule} ({fields}); e.g. row "
                           f"{first.source_row} {first.field} = {first.value!r}"))
    return out


def load_entity(warehouse: Path, connector: Connector, entity: SourceEntity,
                plants: Collection[str] | None = None) -> LoadResult:
    """Extract what is new for one (plant, entity), validate it with its raw suite and append it to its
    raw table in one transaction; failing rows are quarantined with their rule, never dropped.

    `plants` are the network's plant codes, for the known-plant rule (left out when None).
    """
    plant = connector.plant_code
    load_id = f"{plant}-{entity.entity}-{clock.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    started = clock.now()
    con = connect(warehouse)
    try:
        table = ensure_raw_table(con, entity)
        state = source_state(con, plant, entity)
        batches = list(connector.batches(entity, state))  # read everything before writing anything
        warnings = connector.warnings(entity, state)
        loaded_at = clock.now()
        rows = _tagged_rows(batches, plant, connector.source_system, load_id, loaded_at)
        validation, quarantine = None, pd.DataFrame(columns=[ROW, "rule"])
        if len(rows):
            known = known_codes(con, plant, entity, plants)
            validation, failures = check_raw_rows(rows[list(entity.fields)], entity, known)
            quarantine = _quarantine_rows(rows, failures, entity, loaded_at)
        quarantined = int(quarantine[ROW].nunique())
        con.execute("BEGIN TRANSACTION")
        if len(rows):
            con.register("batch_rows", rows)
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM batch_rows")
            con.unregister("batch_rows")
        if len(quarantine):
            con.register("quarantine_rows", quarantine)
            con.execute(f"INSERT INTO {RAW_SCHEMA}._quarantine BY NAME SELECT * EXCLUDE ({ROW}) FROM quarantine_rows")
            con.unregister("quarantine_rows")
        files = []
        watermark = state.watermark
        for batch in batches:
            if batch.file_sha256:
                files.append(batch.source_file)
                con.execute(f"INSERT INTO {RAW_SCHEMA}._files VALUES (?, ?, ?, ?, ?, ?)",
                            [plant, entity.entity, batch.source_file, batch.file_sha256, load_id, len(batch.rows)])
            watermark = batch.watermark or watermark
        rows_read = len(rows)
        con.execute(f"INSERT INTO {RAW_SCHEMA}._loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [load_id, plant, connector.source_system, entity.entity, entity.raw_table, started,
                     clock.now(), rows_read, rows_read - quarantined, state.watermark, watermark,
                     json.dumps(files)])
        sync_exceptions(con, [], plant_code=plant, check_like=LOAD_FAILED, entity=entity.entity, now=loaded_at)
        for scope in warnings:  # files no entity reads, an entity with no file: open until fixed
            sync_exceptions(con, [Finding(plant, scope.check, scope.entity, location, 0, message, "warning")
                                  for location, message in scope.found.items()],
                            plant_code=plant, check_like=scope.check, entity=scope.entity, now=loaded_at)
        if validation is not None:
            record_validation(con, validation, target=f"{RAW_SCHEMA}.{entity.raw_table}", plant_code=plant,
                              load_id=load_id, validated_at=loaded_at)
            sync_exceptions(con, _findings(quarantine, plant, entity), plant_code=plant, check_like="raw:%",
                            entity=entity.entity, locations=[stable_location(b.source_file) for b in batches],
                            now=loaded_at)
        con.execute("COMMIT")
    finally:
        con.close()
    by_rule = quarantine.groupby("rule")[ROW].nunique()
    return LoadResult(load_id, plant, entity.entity, entity.raw_table, rows_read, rows_read - quarantined,
                      state.watermark, watermark, tuple(files), quarantined,
                      tuple((str(rule), int(n)) for rule, n in by_rule.items()))


def record_load_failure(warehouse: Path, plant_code: str, entity: SourceEntity, error: Exception) -> None:
    """Keep a failed load as an open data exception (where it failed and why) until a load succeeds."""
    where = getattr(error, "where", None) or entity.native
    con = connect(warehouse)
    try:
        sync_exceptions(con, [Finding(plant_code, LOAD_FAILED, entity.entity, stable_location(where), 0, str(error))],
                        plant_code=plant_code, check_like=LOAD_FAILED, entity=entity.entity, now=clock.now())
    finally:
        con.close()


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
