"""What-if re-plans on a copy of the published inputs: the pipeline's warehouse is never touched.

The inputs are read once per publish from the read-only published warehouse (the same function the
pipeline plans from), the current plan is solved once and kept in memory, and each scenario is
re-planned from it with `optimization.scenario.replan`, which changes a deep copy of the inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboards.lib.warehouse import connect, published_path, query, version
from optimization import PlanningData, PlanResult, plan
from optimization.scenario import Replan, Scenario, replan
from orchestration.core import clock
from orchestration.core.planning_inputs import planning_data

TIME_LIMIT_SECONDS = 60.0


@dataclass
class CurrentPlan:
    data: PlanningData
    period_starts: list[pd.Timestamp]
    result: PlanResult

    @property
    def figures(self) -> dict[str, float]:
        return self.result.figures

    @property
    def production(self) -> pd.DataFrame:
        return self.result.tables["production"]


@st.cache_resource(max_entries=2, show_spinner=False)
def _current_plan(path: str, published_version: int, periods: int) -> CurrentPlan:
    con = connect()
    try:
        data, starts = planning_data(con, {"horizon_periods": periods})
    finally:
        con.close()
    result = plan(data, synchronized=True, scenario="current", trigger="dashboard", time_limit=TIME_LIMIT_SECONDS,
                  made_at=clock.now())
    return CurrentPlan(data, starts, result)


def current_plan(periods: int) -> CurrentPlan:
    """The current plan re-solved in memory from the published inputs (once per publish)."""
    path = published_path()
    return _current_plan(str(path), version(path), periods)


def run_scenario(current: CurrentPlan, scenario: Scenario) -> Replan:
    return replan(current.data, current.result, scenario, time_limit=TIME_LIMIT_SECONDS, trigger="dashboard",
                  made_at=clock.now())


def resources() -> list[str]:
    """Plants and work centers, the things a scenario can take down or cut."""
    found = query("""SELECT plant_code AS resource FROM marts.dim_plant
                     UNION ALL SELECT work_center_id FROM marts.dim_work_center ORDER BY 1""")
    return found.resource.tolist()


def suppliers(plan_id: str) -> list[str]:
    """The suppliers the plan buys from: the ones whose cut can change it."""
    found = query("SELECT DISTINCT supplier_id FROM plans.plan_purchases WHERE plan_id = ? ORDER BY 1", [plan_id])
    return found.supplier_id.tolist()


def comparison(result: Replan) -> pd.DataFrame:
    """Headline figures: current plan, scenario plan and the change."""
    rows = [(metric, result.figures[metric] - result.changes[metric], result.figures[metric], result.changes[metric])
            for metric in result.figures]
    return pd.DataFrame(rows, columns=["metric", "current", "scenario", "change"])


def production_by_plant(current: CurrentPlan, result: Replan) -> pd.DataFrame:
    both = pd.concat([current.production.assign(plan="current"), result.tables["production"].assign(plan="scenario")])
    return both.groupby(["plan", "plant_code"], as_index=False).qty.sum()
