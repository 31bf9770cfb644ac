"""Open data exceptions per plant, and a webhook alert for each new one.

An exception is one problem in one place: (plant, check, entity, location), e.g. (DE1, raw:known_item,
mard, MARD_20261031.csv). Each evaluation of a scope (a load of one file or endpoint, a plant's
freshness, a mart suite) says what it found there: a finding already open is updated (rows, last seen),
a new finding opens an exception, and an open exception in the scope that is no longer found is
resolved. So an exception stays open until a later evaluation of the same place comes back clean.

When `PLANTSYNC_ALERT_WEBHOOK` is set, each new exception is POSTed there once as JSON; an alert that
cannot be delivered stays pending and is retried with the next batch of alerts.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd
import requests

WEBHOOK_ENV = "PLANTSYNC_ALERT_WEBHOOK"
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


def webhook_url() -> str | None:
    return os.environ.get(WEBHOOK_ENV) or None


def post_alert(url: str, body: dict, timeout: float = 5.0) -> bool:
    """POST one JSON alert; True when the receiver took it (2xx)."""
    try:
        return requests.post(url, json=body, timeout=timeout).status_code < 300
    except requests.RequestException:
        return False


def send_pending_alerts(con: duckdb.DuckDBPyConnection, url: str | None, now: datetime, timeout: float = 5.0) -> int:
    """POST each open exception not yet alerted to `url`, one request each; return how many were sent."""
    if not url:
        return 0
    ensure_tables(con)
    pending = con.execute(
        f"SELECT exception_id, plant_code, check_name, entity, location, rows, severity, detail, first_seen_at "
        f"FROM {SCHEMA}.data_exceptions WHERE status = 'open' AND alerted_at IS NULL ORDER BY first_seen_at").df()
    sent = 0
    for record in pending.to_dict("records"):
        body = {**record, "first_seen_at": record["first_seen_at"].isoformat(), "kind": "plantsync.data_exception",
                "summary": f"{record['plant_code']} {record['entity']}: {record['detail']}"}
        if not post_alert(url, body, timeout):
            break  # keep order: the rest stay pending for the next attempt
        con.execute(f"UPDATE {SCHEMA}.data_exceptions SET alerted_at = ? WHERE exception_id = ?",
                    [now, record["exception_id"]])
        sent += 1
    return sent
