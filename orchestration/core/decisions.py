"""Analysts' decisions on proposals: approve or reject a rebalancing transfer or a plan proposal.

The dashboard may not write the pipeline's warehouse (DuckDB has one writer), so decisions go to
their own small file, `decisions.duckdb` in the data directory, opened only for the moment of a write
or a read. The log is append-only and a subject is decided once: a second decision on it is refused
(logs written before that rule may hold several; the latest is the one in force). The pipeline
copies the log into the warehouse (`plans.decisions`) at each plan, so later runs and downstream
readers see who decided what and when.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd

from orchestration.core import clock
from orchestration.core.paths import data_dir

SubjectKind = Literal["rebalancing_transfer", "plan_proposal"]
Decision = Literal["approved", "rejected"]
SUBJECT_KINDS = ("rebalancing_transfer", "plan_proposal")
DECISIONS = ("approved", "rejected")
COLUMNS = ["subject_kind", "subject_id", "decision", "decided_by", "decided_at", "note"]
LOCK_RETRIES = 20  # a second writer holds the file only for one insert: wait briefly, then fail clearly
# Another process cannot open the file while a write holds it; threads of one process (the dashboard's
# sessions, e.g. two browser tabs) share DuckDB's database, so they take turns here to check and append.
_WRITING = threading.Lock()


class AlreadyDecided(ValueError):
    """A decision on a subject that has one already: each proposal and transfer is decided once."""


def decisions_path(folder: Path | None = None) -> Path:
    """The log beside the warehouse: in `folder` (the warehouse's folder), else the data directory."""
    return (folder or data_dir()) / "decisions.duckdb"


def connect_analyst_file(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Open one of the analysts' own small files (decisions, saved scenarios) for a moment: another writer
    holds it only for one statement, so wait briefly, then fail with DuckDB's lock error."""
    for attempt in range(1, LOCK_RETRIES):
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException:
            time.sleep(0.05 * attempt)
    return duckdb.connect(str(path), read_only=read_only)  # the last try raises the lock error itself


def record_decision(subject_kind: SubjectKind, subject_id: str, decision: Decision, decided_by: str,
                    note: str = "", path: Path | None = None) -> datetime:
    """Append one decision; returns when it was recorded (UTC). Raises AlreadyDecided if the subject has one."""
    if subject_kind not in SUBJECT_KINDS:
        raise ValueError(f"subject_kind must be one of {', '.join(SUBJECT_KINDS)}, got {subject_kind!r}")
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}, got {decision!r}")
    if not decided_by.strip():
        raise ValueError("decided_by: say who decides")
    path = path or decisions_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _WRITING:
        con = connect_analyst_file(path, read_only=False)
        try:
            con.execute("""CREATE TABLE IF NOT EXISTS decisions (
                subject_kind VARCHAR NOT NULL, subject_id VARCHAR NOT NULL, decision VARCHAR NOT NULL,
                decided_by VARCHAR NOT NULL, decided_at TIMESTAMP NOT NULL, note VARCHAR)""")
            earlier = con.execute("""SELECT decision, decided_by, decided_at FROM decisions
                                     WHERE subject_kind = ? AND subject_id = ? ORDER BY decided_at DESC LIMIT 1""",
                                  [subject_kind, subject_id]).fetchone()
            if earlier:
                raise AlreadyDecided(f"{subject_id} is already {earlier[0]} by {earlier[1]} at "
                                     f"{earlier[2]:%Y-%m-%d %H:%M} UTC; a decision is made once")
            decided_at = clock.now().replace(tzinfo=None)
            con.execute("INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?)",
                        [subject_kind, subject_id, decision, decided_by.strip(), decided_at, note])
        finally:
            con.close()
    return decided_at


def read_decisions(path: Path | None = None, latest: bool = True) -> pd.DataFrame:
    """The decision log (latest per subject by default); empty with the right columns when none yet."""
    path = path or decisions_path()
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype="datetime64[us]" if c == "decided_at" else "str") for c in COLUMNS})
    con = connect_analyst_file(path, read_only=True)
    try:
        query = "SELECT * FROM decisions"
        if latest:
            query += " QUALIFY row_number() OVER (PARTITION BY subject_kind, subject_id ORDER BY decided_at DESC) = 1"
        return con.execute(query + " ORDER BY decided_at, subject_kind, subject_id").df()
    finally:
        con.close()
