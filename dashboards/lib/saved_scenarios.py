"""Scenarios an analyst saves to compare side by side, kept across browser reloads and app restarts.

The dashboard never writes the published warehouse, so saved scenarios go to their own small file,
`scenarios.duckdb` in the data directory, opened only for the moment of a save, a read or a delete, as the decision log is
(`orchestration.core.decisions.connect_analyst_file`).
Each belongs to the published plan it was re-planned from (its plan_id): against a later plan its figures
would compare with a plan that is no longer current.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from orchestration.core import clock
from orchestration.core.decisions import connect_analyst_file
from orchestration.core.paths import data_dir

CURRENT = "Current plan"
TABLES = ["""CREATE TABLE IF NOT EXISTS saved_figures (plan_id VARCHAR NOT NULL, name VARCHAR NOT NULL,
             saved_at TIMESTAMP NOT NULL, line_no INTEGER NOT NULL, metric VARCHAR NOT NULL, current DOUBLE,
             scenario DOUBLE)""",
          """CREATE TABLE IF NOT EXISTS saved_production (plan_id VARCHAR NOT NULL, name VARCHAR NOT NULL,
             plan VARCHAR NOT NULL, plant_code VARCHAR NOT NULL, qty DOUBLE)"""]


def saved_path() -> Path:
    return data_dir() / "scenarios.duckdb"


@dataclass
class SavedScenarios:
    """The current plan's saved scenarios; those saved against other plans are only counted."""

    figures: pd.DataFrame  # name, saved_at, line_no, metric, current, scenario
    production: pd.DataFrame  # name, plan ('current' or 'scenario'), plant_code, qty
    on_other_plans: int

    @property
    def names(self) -> list[str]:
        """In the order saved."""
        return self.figures.sort_values("saved_at")["name"].drop_duplicates().tolist()


def save_scenario(plan_id: str, name: str, figures: pd.DataFrame, production: pd.DataFrame) -> datetime:
    """Keep a scenario's figures (metric, current, scenario) and production by plant (plan, plant_code, qty)
    under `name`, replacing one saved under the same name against the same plan."""
    if not name.strip():
        raise ValueError("name: say what the scenario is called")
    name = name.strip()
    saved_at = clock.now().replace(tzinfo=None)
    path = saved_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    con = connect_analyst_file(path, read_only=False)
    try:
        for table in TABLES:
            con.execute(table)
        con.execute("BEGIN TRANSACTION")
        for table in ("saved_figures", "saved_production"):
            con.execute(f"DELETE FROM {table} WHERE plan_id = ? AND name = ?", [plan_id, name])
        con.register("figures", figures.reset_index(drop=True).assign(line_no=range(len(figures))))
        con.execute("INSERT INTO saved_figures SELECT ?, ?, ?, line_no, metric, current, scenario "
                    "FROM figures", [plan_id, name, saved_at])
        con.register("production", production)
        con.execute("INSERT INTO saved_production SELECT ?, ?, plan, plant_code, qty FROM production",
                    [plan_id, name])
        con.execute("COMMIT")
    finally:
        con.close()
    return saved_at


def read_saved(plan_id: str) -> SavedScenarios:
    path = saved_path()
    if not path.exists():
        figures = pd.DataFrame(columns=["name", "saved_at", "line_no", "metric", "current", "scenario"])
        return SavedScenarios(figures, pd.DataFrame(columns=["name", "plan", "plant_code", "qty"]), 0)
    con = connect_analyst_file(path, read_only=True)
    try:
        figures = con.execute("""SELECT name, saved_at, line_no, metric, current, scenario FROM saved_figures
                                 WHERE plan_id = ? ORDER BY saved_at, line_no""", [plan_id]).df()
        production = con.execute("""SELECT name, plan, plant_code, qty FROM saved_production WHERE plan_id = ?
                                    ORDER BY plant_code""", [plan_id]).df()
        others = con.execute("SELECT count(DISTINCT (plan_id, name)) FROM saved_figures WHERE plan_id <> ?",
                             [plan_id]).fetchone()[0]
    finally:
        con.close()
    return SavedScenarios(figures, production, int(others))


def delete_saved(plan_id: str, name: str) -> None:
    con = connect_analyst_file(saved_path(), read_only=False)
    try:
        con.execute("BEGIN TRANSACTION")
        for table in ("saved_figures", "saved_production"):
            con.execute(f"DELETE FROM {table} WHERE plan_id = ? AND name = ?", [plan_id, name])
        con.execute("COMMIT")
    finally:
        con.close()


def side_by_side(saved: SavedScenarios) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Figures with one column per plan (the current plan, then each scenario as saved) and production by
    plant and plan. The current plan's figures are those kept with the latest save (all share the plan)."""
    latest = saved.names[-1]
    current = saved.figures[saved.figures["name"] == latest].sort_values("line_no")
    figures = current[["metric"]].assign(**{CURRENT: current.current.to_numpy()}).reset_index(drop=True)
    for name in saved.names:
        figures[name] = saved.figures[saved.figures["name"] == name].set_index("metric").scenario.reindex(
            figures.metric).to_numpy()
    production = saved.production
    current_production = production[(production["name"] == latest) & (production.plan == "current")]
    plans = pd.concat([current_production.assign(plan=CURRENT),
                       production[production.plan == "scenario"].assign(plan=production["name"])])
    return figures, plans[["plan", "plant_code", "qty"]].reset_index(drop=True)
