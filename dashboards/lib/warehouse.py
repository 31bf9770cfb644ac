"""Read the published warehouse: read-only, one short connection per query, never the pipeline's file.

DuckDB allows one writer or many readers. The pipeline swaps a finished copy into
`published/warehouse.duckdb`; opening it read-only and closing at once means the dashboard never
holds a lock the pipeline's next publish would meet. Results are cached briefly and keyed on the
file's modification time, so a new publish shows at the next rerun.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from orchestration.core.paths import data_dir

CACHE_SECONDS = 60
NO_DATA = "No published warehouse yet: run `make run` first, then reload this page."
BUSY = "The warehouse is being written right now: try again in a moment."


class WarehouseUnavailable(Exception):
    """The page cannot show figures; `message` says why in words an analyst can act on."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def published_path() -> Path:
    return data_dir() / "published" / "warehouse.duckdb"


def version(path: Path) -> int:
    """The file's modification time: part of every cache key, so a new publish is never hidden."""
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        raise WarehouseUnavailable(NO_DATA) from None


def connect(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection; the caller closes it as soon as its reads are done."""
    path = path or published_path()
    version(path)
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise WarehouseUnavailable(BUSY) from None
        raise


def _run(path: Path, sql: str, params: tuple) -> pd.DataFrame:
    con = connect(path)
    try:
        return con.execute(sql, list(params)).df()
    except duckdb.CatalogException:
        raise WarehouseUnavailable(NO_DATA) from None
    finally:
        con.close()


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _cached(path: str, published_version: int, sql: str, params: tuple) -> pd.DataFrame:
    return _run(Path(path), sql, params)


def query(sql: str, params: tuple | list = ()) -> pd.DataFrame:
    """Run one parameterised query on the published warehouse (user values only as parameters)."""
    path = published_path()
    return _cached(str(path), version(path), sql, tuple(params))


def tables() -> set[str]:
    """Every `schema.table` published, so pages can work with and without optional tables."""
    found = query("SELECT schema_name || '.' || table_name AS name FROM duckdb_tables()")
    return set(found.name)


def has_table(name: str) -> bool:
    return name in tables()
