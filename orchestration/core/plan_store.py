"""The `plans` schema: every table's contract (names and types), and the one writer of plan rows.

Tables are created from the contract, not from the first frame written (an empty frame has no types),
and a frame with a column the contract does not name is refused. A column added to a contract is added
to an existing warehouse's table on the next write; older rows hold NULL in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pandas as pd

PLAN_KEYS = {"plan_id": "VARCHAR", "scenario": "VARCHAR"}
CONTRACTS: dict[str, dict[str, str]] = {
    "plan_production": {**PLAN_KEYS, "plant_code": "VARCHAR", "item_id": "VARCHAR", "period": "BIGINT",
                        "period_start": "DATE", "qty": "DOUBLE"},
    "plan_purchases": {**PLAN_KEYS, "plant_code": "VARCHAR", "supplier_id": "VARCHAR", "item_id": "VARCHAR",
                       "period": "BIGINT", "arrival_period": "BIGINT", "qty": "DOUBLE", "order_qty": "DOUBLE",
                       "cost": "DOUBLE"},
    "plan_receipts": {**PLAN_KEYS, "plant_code": "VARCHAR", "item_id": "VARCHAR", "period": "BIGINT", "qty": "DOUBLE",
                      "source": "VARCHAR"},
    "plan_transfers": {**PLAN_KEYS, "from_plant_code": "VARCHAR", "to_plant_code": "VARCHAR", "item_id": "VARCHAR",
                       "period": "BIGINT", "arrival_period": "BIGINT", "qty": "DOUBLE", "cost": "DOUBLE"},
    "plan_shipments": {**PLAN_KEYS, "plant_code": "VARCHAR", "customer_id": "VARCHAR", "item_id": "VARCHAR",
                       "period": "BIGINT", "qty": "DOUBLE", "cost": "DOUBLE"},
    "plan_inventory": {**PLAN_KEYS, "plant_code": "VARCHAR", "item_id": "VARCHAR", "period": "BIGINT",
                       "qty": "DOUBLE", "safety_stock_qty": "DOUBLE", "shortfall_qty": "DOUBLE",
                       "in_transit_qty": "DOUBLE"},
    "plan_backlog": {**PLAN_KEYS, "customer_id": "VARCHAR", "item_id": "VARCHAR", "period": "BIGINT",
                     "qty": "DOUBLE"},
    "plan_capacity": {**PLAN_KEYS, "plant_code": "VARCHAR", "work_center_id": "VARCHAR", "period": "BIGINT",
                      "available_hours": "DOUBLE", "used_hours": "DOUBLE", "overtime_hours": "DOUBLE",
                      "utilization": "DOUBLE"},
    "plan_bottlenecks": {**PLAN_KEYS, "kind": "VARCHAR", "subject": "VARCHAR", "periods": "VARCHAR",
                         "amount": "DOUBLE", "message": "VARCHAR", "overtime_hours": "DOUBLE",
                         "overtime_exhausted_periods": "VARCHAR"},
    "plan_sync_summary": {**PLAN_KEYS, "metric": "VARCHAR", "synchronized": "DOUBLE", "coordinated": "DOUBLE",
                          "difference": "DOUBLE", "unit": "VARCHAR"},
    "plan_rebalancing": {**PLAN_KEYS, "transfer_id": "VARCHAR", "from_plant_code": "VARCHAR",
                         "to_plant_code": "VARCHAR", "item_id": "VARCHAR", "qty": "DOUBLE", "cost": "DOUBLE",
                         "transit_days": "BIGINT"},
    "plan_pegging": {**PLAN_KEYS, "order_line_id": "VARCHAR", "customer_id": "VARCHAR", "item_id": "VARCHAR",
                     "due_period": "BIGINT", "plant_code": "VARCHAR", "ship_period": "BIGINT", "supply_kind": "VARCHAR",
                     "supply_period": "BIGINT", "qty": "DOUBLE", "promised_date": "DATE", "days_late": "BIGINT",
                     "late_reason": "VARCHAR", "reason_detail": "VARCHAR"},
    "plan_assumptions": {**PLAN_KEYS, "assumption": "VARCHAR"},
    "plan_runs": {**PLAN_KEYS, "created_at": "VARCHAR", "trigger": "VARCHAR", "status": "VARCHAR",
                  "termination": "VARCHAR", "objective": "DOUBLE", "gap": "DOUBLE", "variables": "BIGINT",
                  "constraints": "BIGINT", "build_seconds": "DOUBLE", "solve_seconds": "DOUBLE",
                  "source_load_ids": "VARCHAR", "settings": "VARCHAR", "input_rows": "VARCHAR"},
    "plan_versions": {"plan_id": "VARCHAR", "made_at": "TIMESTAMP", "reason": "VARCHAR", "made_by": "VARCHAR",
                      "detail": "VARCHAR", "status": "VARCHAR", "cost_change_share": "DOUBLE",
                      "max_load_moved_share": "DOUBLE", "within_limits": "BOOLEAN", "limit_breaches": "VARCHAR"},
    "plan_what_moved": {"plan_id": "VARCHAR", "line_no": "INTEGER", "move": "VARCHAR"},
    "plan_notifications": {"notification_id": "VARCHAR", "plan_id": "VARCHAR", "made_at": "TIMESTAMP",
                           "kind": "VARCHAR", "message": "VARCHAR", "delivered_at": "TIMESTAMP"},
    # the current plan's orders inside the release horizon, and the ledger of what reached each plant's ERP
    "released_orders": {"order_key": "VARCHAR", "plan_id": "VARCHAR", "plant_code": "VARCHAR",
                        "order_type": "VARCHAR", "item_id": "VARCHAR", "qty": "DOUBLE", "start_date": "DATE",
                        "due_date": "DATE", "counterpart": "VARCHAR"},
    "writebacks": {"order_key": "VARCHAR", "plan_id": "VARCHAR", "plant_code": "VARCHAR", "target": "VARCHAR",
                   "written_at": "TIMESTAMP", "qty": "DOUBLE", "detail": "VARCHAR"},
    "decisions": {"subject_kind": "VARCHAR", "subject_id": "VARCHAR", "decision": "VARCHAR",
                  "decided_by": "VARCHAR", "decided_at": "TIMESTAMP", "note": "VARCHAR"},
}


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All of a plan's rows or none: a failed write leaves the plans schema as it was."""
    con.execute("BEGIN TRANSACTION")
    try:
        ensure_plan_tables(con)
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def ensure_plan_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables; bring existing ones to their contract (added columns, corrected types)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS plans")
    existing: dict[str, dict[str, str]] = {}
    for table, column, kind in con.execute("SELECT table_name, column_name, data_type FROM information_schema.columns "
                                           "WHERE table_schema = 'plans'").fetchall():
        existing.setdefault(table, {})[column] = kind
    for table, contract in CONTRACTS.items():
        name = f"plans.{_quote(table)}"
        if table not in existing:
            columns = ", ".join(f"{_quote(c)} {kind}" for c, kind in contract.items())
            con.execute(f"CREATE TABLE {name} ({columns})")
            continue
        for column, kind in contract.items():
            if column not in existing[table]:
                con.execute(f"ALTER TABLE {name} ADD COLUMN {_quote(column)} {kind}")
            elif existing[table][column] != kind:
                con.execute(f"ALTER TABLE {name} ALTER COLUMN {_quote(column)} SET DATA TYPE {kind}")


def write_rows(con: duckdb.DuckDBPyConnection, table: str, rows: pd.DataFrame) -> None:
    """Append `rows` to a contracted plans table (call ensure_plan_tables first)."""
    unknown = [c for c in rows.columns if c not in CONTRACTS[table]]
    if unknown:
        raise ValueError(f"plans.{table}: columns {unknown} are not in its contract; add them to CONTRACTS")
    con.register("plan_rows", rows)
    try:
        con.execute(f"INSERT INTO plans.{_quote(table)} BY NAME SELECT * FROM plan_rows")
    finally:
        con.unregister("plan_rows")


def write_plan(con: duckdb.DuckDBPyConnection, tables: dict[str, pd.DataFrame], plan_id: str, scenario: str) -> None:
    """Append one plan's tables, each row tagged with the plan and its scenario."""
    for name, frame in tables.items():
        write_rows(con, f"plan_{name}", frame.assign(plan_id=plan_id, scenario=scenario) if "plan_id" not in frame
                   else frame)
