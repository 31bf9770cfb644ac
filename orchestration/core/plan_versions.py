"""Plan versions: every plan is kept with why it was made and by whom, and which one is current.

`plans.plan_versions` is a log: a plan gets a row when it is made (status `current` or `proposal`)
and another when an analyst decides on a proposal (`current` or `rejected`). The current plan is the
plan of the latest `current` row. Each new current plan or proposal writes a notification to
`plans.plan_notifications`, POSTed to the alert webhook when one is configured (`notifications.py`).
The tables' contracts are in `plan_store.py`.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import duckdb
import pandas as pd

from orchestration.core import clock
from orchestration.core.notifications import deliver, webhook_url
from orchestration.core.replan import LimitCheck

REASONS = ("schedule", "event", "analyst", "pipeline")


def _now() -> datetime:
    return clock.now().replace(tzinfo=None)


def record_version(con: duckdb.DuckDBPyConnection, plan_id: str, *, reason: str, made_by: str, detail: str,
                   status: str, check: LimitCheck | None = None) -> None:
    if reason not in REASONS:
        raise ValueError(f"reason must be one of {', '.join(REASONS)}, got {reason!r}")
    con.execute("INSERT INTO plans.plan_versions (plan_id, made_at, reason, made_by, detail, status, cost_change_share, "
                "max_load_moved_share, within_limits, limit_breaches) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        plan_id, _now(), reason, made_by, detail, status,
        check.cost_change_share if check else None, check.max_load_moved_share if check else None,
        check.within_limits if check else None, "; ".join(check.breaches) if check else None])


def record_moves(con: duckdb.DuckDBPyConnection, plan_id: str, moves: list[str]) -> None:
    if not moves:
        return
    con.executemany("INSERT INTO plans.plan_what_moved (plan_id, line_no, move) VALUES (?, ?, ?)",
                    [[plan_id, n, line] for n, line in enumerate(moves, start=1)])


def notify(con: duckdb.DuckDBPyConnection, plan_id: str, kind: str, message: str) -> None:
    con.execute("INSERT INTO plans.plan_notifications (notification_id, plan_id, made_at, kind, message) "
                "VALUES (?, ?, ?, ?, ?)",
                [uuid.uuid4().hex, plan_id, _now(), kind, message])


# A plan's status now is its latest version row. The pipeline and the dashboards (on the published copy)
# ask these two questions with the same SQL.
CURRENT_PLAN_SQL = "SELECT plan_id FROM plans.plan_versions WHERE status = 'current' ORDER BY made_at DESC LIMIT 1"
PROPOSALS_SQL = """SELECT * FROM plans.plan_versions
                   QUALIFY row_number() OVER (PARTITION BY plan_id ORDER BY made_at DESC) = 1
                       AND status = 'proposal'"""


def proposals(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Plan versions still waiting for a decision (no later row for the same plan), oldest first."""
    return con.execute(f"{PROPOSALS_SQL} ORDER BY made_at").df()


def send_notifications(con: duckdb.DuckDBPyConnection, timeout: float = 5.0) -> int:
    """POST undelivered notifications in order when `PLANTSYNC_ALERT_WEBHOOK` is set; return how many."""
    url = webhook_url()
    if not url:
        return 0
    pending = con.execute("SELECT notification_id, plan_id, made_at, kind, message FROM plans.plan_notifications "
                          "WHERE delivered_at IS NULL ORDER BY made_at").df()
    bodies = [{**record, "made_at": record["made_at"].isoformat(), "kind": f"plantsync.{record['kind']}",
               "summary": record["message"]} for record in pending.to_dict("records")]
    return deliver(url, bodies, lambda body: con.execute(
        "UPDATE plans.plan_notifications SET delivered_at = ? WHERE notification_id = ?",
        [_now(), body["notification_id"]]), timeout)
