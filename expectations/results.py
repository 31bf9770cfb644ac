"""What was checked, kept: one row per expectation per validation in `quality.validation_results`.

An analyst reads it to see, for every load and every mart check, which rules ran on which fields, how
many rows they saw, how many failed, and a sample of the failing values.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from expectations.exceptions import SCHEMA, ensure_tables
from expectations.validate import Validation

_DDL = f"""
CREATE SCHEMA IF NOT EXISTS {SCHEMA};
CREATE TABLE IF NOT EXISTS {SCHEMA}.validation_results (
    validated_at TIMESTAMPTZ, suite VARCHAR, target VARCHAR, plant_code VARCHAR, load_id VARCHAR,
    run_id VARCHAR, rule VARCHAR, field VARCHAR, expectation VARCHAR, success BOOLEAN, blocking BOOLEAN,
    element_count BIGINT, unexpected_count BIGINT, unexpected_sample VARCHAR, kwargs VARCHAR
);
"""

COLUMNS = ["validated_at", "suite", "target", "plant_code", "load_id", "run_id", "rule", "field", "expectation",
           "success", "blocking", "element_count", "unexpected_count", "unexpected_sample", "kwargs"]


def ensure_results_table(con: duckdb.DuckDBPyConnection) -> None:
    ensure_tables(con)
    con.execute(_DDL)


def record_validation(con: duckdb.DuckDBPyConnection, validation: Validation, *, target: str,
                      plant_code: str | None = None, load_id: str | None = None, run_id: str | None = None,
                      validated_at: datetime) -> int:
    """Append one validation's per-expectation results; runs in the caller's transaction."""
    ensure_results_table(con)
    if not validation.results:
        return 0
    frame = pd.DataFrame([{
        "validated_at": validated_at, "suite": validation.suite, "target": target, "plant_code": plant_code,
        "load_id": load_id, "run_id": run_id, "rule": r["rule"], "field": r["field"], "expectation": r["expectation"],
        "success": r["success"], "blocking": r["blocking"], "element_count": r["element_count"],
        "unexpected_count": r["unexpected_count"], "unexpected_sample": r["sample"], "kwargs": r["kwargs"],
    } for r in validation.results], columns=COLUMNS)
    con.register("validation_rows", frame)
    try:
        con.execute(f"INSERT INTO {SCHEMA}.validation_results BY NAME SELECT * FROM validation_rows")
    finally:
        con.unregister("validation_rows")
    return len(frame)
