"""The webhook plantsync notifies: new plans and proposals, and new data exceptions.

When `PLANTSYNC_ALERT_WEBHOOK` is set, each message is POSTed there once as JSON, oldest first. A
message the receiver does not take stays pending, with every later one, and is retried at the next
sending, so the receiver always sees them in order. Plan notifications wait in
`plans.plan_notifications` (sent by `plan_versions`); data exceptions in `quality.data_exceptions`,
sent from here because `expectations` is a plain library that knows no webhook.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb
import requests

from expectations.exceptions import mark_alerted, unalerted_exceptions
from orchestration.core import clock

WEBHOOK_ENV = "PLANTSYNC_ALERT_WEBHOOK"


def webhook_url() -> str | None:
    return os.environ.get(WEBHOOK_ENV) or None


def post(url: str, body: dict, timeout: float = 5.0) -> bool:
    """POST one JSON message; True when the receiver took it (2xx)."""
    try:
        return requests.post(url, json=body, timeout=timeout).status_code < 300
    except requests.RequestException:
        return False


def deliver(url: str, bodies: list[dict], delivered: Callable[[dict], None], timeout: float) -> int:
    """POST each body in order, one request each, until the receiver refuses one; return how many it took."""
    sent = 0
    for body in bodies:
        if not post(url, body, timeout):
            break  # keep order: the rest stay pending for the next attempt
        delivered(body)
        sent += 1
    return sent


def send_exception_alerts(con: duckdb.DuckDBPyConnection, url: str | None, now: datetime,
                          timeout: float = 5.0) -> int:
    """POST each open data exception not yet alerted to `url`, one request each; return how many were sent."""
    if not url:
        return 0
    bodies = [{**record, "first_seen_at": record["first_seen_at"].isoformat(), "kind": "plantsync.data_exception",
               "summary": f"{record['plant_code']} {record['entity']}: {record['detail']}"}
              for record in unalerted_exceptions(con).to_dict("records")]
    return deliver(url, bodies, lambda body: mark_alerted(con, body["exception_id"], now), timeout)


def alert_new_exceptions(warehouse: Path) -> int:
    """Alert the warehouse's new data exceptions when `PLANTSYNC_ALERT_WEBHOOK` is set; return how many."""
    url = webhook_url()
    if not url:
        return 0
    con = duckdb.connect(str(warehouse))
    try:
        return send_exception_alerts(con, url, clock.now())
    finally:
        con.close()
