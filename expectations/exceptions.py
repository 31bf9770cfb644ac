"""Open data exceptions per plant, and which of them still wait for an alert.

An exception is one problem in one place: (plant, check, entity, location), e.g. (DE1, raw:known_item,
mard, MARD_20261031.csv). Each evaluation of a scope (a load of one file or endpoint, a plant's
freshness, a mart suite) says what it found there: a finding already open is updated (rows, last seen),
a new finding opens an exception, and an open exception in the scope that is no longer found is
resolved. So an exception stays open until a later evaluation of the same place comes back clean.

Each new exception is alerted once; this module says which still wait for their alert and records
that one was sent (the webhook itself is plantsync's notifications, `orchestration/core/notifications.py`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

SCHEMA = "quality"

_DDL = f"""
CREATE SCHEMA IF NOT EXISTS {SCHEMA};
CREATE TABLE IF NOT EXISTS {SCHEMA}.data_exceptions (
    exception_id VARCHAR PRIMARY KEY, plant_code VARCHAR, check_name VARCHAR, entity VARCHAR,
    location VARCHAR, rows BIGINT, detail VARCHAR, severity VARCHAR, first_seen_at TIMESTAMPTZ,
    last_seen_at TIMESTAMPTZ, status VARCHAR, resolved_at TIMESTAMPTZ, alerted_at TIMESTAMPTZ
);
"""


@dataclass(frozen=True)
class Finding:
    """Something wrong found in one place: what (check), where (entity, location), how many rows."""

    plant_code: str
    check_name: str
    entity: str
    location: str
    rows: int
    detail: str
    severity: str = "error"  # error (kept out of the warehouse or blocking) or warning


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(_DDL)


def stable_location(where: str) -> str:
    """A place named the same way every run: an API endpoint without its (possibly random) host and port."""
    return re.sub(r"https?://[^/\s]+", "", where)


def sync_exceptions(con: duckdb.DuckDBPyConnection, findings: Iterable[Finding], *, plant_code: str | None,
                    check_like: str, entity: str | None = None, locations: Iterable[str] | None = None,
                    now: datetime) -> list[str]:
    """Apply one evaluation of a scope; return the ids of exceptions it opened.

    The scope is the open exceptions whose check matches `check_like` (SQL LIKE) and, where given, the
    plant, entity and locations: those not found again are resolved. Runs in the caller's transaction.
    """
    ensure_tables(con)
    where, params = ["status = 'open'", "check_name LIKE ?"], [check_like]
    for column, value in (("plant_code", plant_code), ("entity", entity)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if locations is not None:
        locations = sorted(set(locations))
        if not locations:
            return []
        where.append(f"location IN ({', '.join('?' for _ in locations)})")
        params.extend(locations)
    open_now = con.execute(f"SELECT exception_id, plant_code, check_name, entity, location FROM {SCHEMA}.data_exceptions "
                           f"WHERE {' AND '.join(where)}", params).fetchall()
    by_place = {tuple(row[1:]): row[0] for row in open_now}
    opened, seen = [], set()
    for finding in findings:
        place = (finding.plant_code, finding.check_name, finding.entity, finding.location)
        seen.add(place)
        if place in by_place:
            con.execute(f"UPDATE {SCHEMA}.data_exceptions SET rows = ?, detail = ?, severity = ?, last_seen_at = ? "
                        "WHERE exception_id = ?", [finding.rows, finding.detail, finding.severity, now, by_place[place]])
        else:
            exception_id = uuid.uuid4().hex[:12]
            con.execute(f"INSERT INTO {SCHEMA}.data_exceptions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', NULL, NULL)",
                        [exception_id, *place, finding.rows, finding.detail, finding.severity, now, now])
            by_place[place] = exception_id
            opened.append(exception_id)
    for place, exception_id in by_place.items():
        if place not in seen:
            con.execute(f"UPDATE {SCHEMA}.data_exceptions SET status = 'resolved', resolved_at = ? "
                        "WHERE exception_id = ?", [now, exception_id])
    return opened


def open_exceptions(con: duckdb.DuckDBPyConnection, plant_code: str | None = None) -> pd.DataFrame:
    """The open exceptions, per plant: what (check, entity), where, since when, how many rows."""
    ensure_tables(con)
    sql = (f"SELECT plant_code, check_name, entity, location, rows, severity, first_seen_at AS since, last_seen_at, "
           f"detail, exception_id FROM {SCHEMA}.data_exceptions WHERE status = 'open'")
    params = []
    if plant_code is not None:
        sql += " AND plant_code = ?"
        params.append(plant_code)
    return con.execute(sql + " ORDER BY plant_code, first_seen_at, check_name, entity, location", params).df()


def unalerted_exceptions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The open exceptions no alert has been sent for yet, oldest first."""
    ensure_tables(con)
    return con.execute(
        f"SELECT exception_id, plant_code, check_name, entity, location, rows, severity, detail, first_seen_at "
        f"FROM {SCHEMA}.data_exceptions WHERE status = 'open' AND alerted_at IS NULL ORDER BY first_seen_at").df()


def mark_alerted(con: duckdb.DuckDBPyConnection, exception_id: str, now: datetime) -> None:
    con.execute(f"UPDATE {SCHEMA}.data_exceptions SET alerted_at = ? WHERE exception_id = ?", [now, exception_id])
