"""Solve a plan with HiGHS (through highspy) and say exactly how the solve ended."""

from __future__ import annotations

import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime

import pyomo.environ as pyo
from pyomo.contrib.solver.common.factory import SolverFactory
from pyomo.contrib.solver.common.results import TerminationCondition


class PlanningSolveError(RuntimeError):
    """The solver ended without any usable plan (not a time limit with a plan in hand)."""


@dataclass
class RunRecord:
    """What any plan can be explained by later: inputs, settings, outcome, size and timings."""

    plan_id: str
    created_at: str | None  # when the caller said the plan was made (None: not stamped)
    scenario: str
    trigger: str
    status: str  # optimal | time_limit
    termination: str
    objective: float
    gap: float | None
    variables: int
    constraints: int
    build_seconds: float
    solve_seconds: float
    source_load_ids: list[str] = field(default_factory=list)
    settings: dict = field(default_factory=dict)
    input_rows: dict = field(default_factory=dict)

    @classmethod
    def stamped(cls, scenario: str, made_at: datetime | None, **outcome) -> RunRecord:
        """A record with a new plan id (led by `made_at`, so ids sort by time); timings to the millisecond.

        The library reads no clock: the caller passes the time from the clock it runs on."""
        for name in ("build_seconds", "solve_seconds"):
            outcome[name] = round(outcome[name], 3)
        stamp = f"{made_at:%Y%m%dT%H%M%S}-" if made_at else ""
        return cls(plan_id=f"{scenario}-{stamp}{uuid.uuid4().hex[:6]}",
                   created_at=made_at.isoformat(timespec="seconds") if made_at else None, scenario=scenario,
                   **outcome)

    def as_row(self) -> dict:
        row = asdict(self)
        row["source_load_ids"] = ",".join(self.source_load_ids)
        row["settings"] = str(self.settings)
        row["input_rows"] = str(self.input_rows)
        return row


def solve(model: pyo.ConcreteModel, *, scenario: str = "synchronized", trigger: str = "manual",
          time_limit: float = 60.0, build_seconds: float = 0.0,
          source_load_ids: list[str] | None = None, input_rows: dict | None = None,
          made_at: datetime | None = None) -> RunRecord:
    """Solve with HiGHS; a time limit with a feasible plan is returned, marked, with its gap."""
    solver = SolverFactory("highs")  # the direct highspy interface
    started = time.perf_counter()
    results = solver.solve(model, time_limit=time_limit, load_solutions=False,
                           raise_exception_on_nonoptimal_result=False)
    seconds = time.perf_counter() - started
    condition = results.termination_condition
    if condition == TerminationCondition.convergenceCriteriaSatisfied:
        status = "optimal"
    elif condition == TerminationCondition.maxTimeLimit and results.incumbent_objective is not None:
        status = "time_limit"
    else:
        raise PlanningSolveError(f"HiGHS ended with {condition.name} and no usable plan for {model.name}")
    results.solution_loader.load_vars()
    bound, objective = results.objective_bound, results.incumbent_objective
    gap = None if bound is None or objective in (None, 0) else abs(objective - bound) / max(abs(objective), 1e-9)
    return RunRecord.stamped(
        scenario, made_at, trigger=trigger, status=status, termination=condition.name, objective=float(objective), gap=gap,
        variables=model.nvariables(), constraints=model.nconstraints(), build_seconds=build_seconds,
        solve_seconds=seconds, source_load_ids=list(source_load_ids or []),
        settings={"solver": "highs", "time_limit": time_limit}, input_rows=dict(input_rows or {}))
