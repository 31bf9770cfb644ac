"""Network planning with Pyomo + HiGHS: validated inputs, the plan model, solve, and report tables.

    data = PlanningData(...).validate()
    model = build_model(data, synchronized=True)
    record = solve(model)
    tables = report(model, data)
"""

from optimization.data import PlanningData, PlanningInputError
from optimization.model import build_model
from optimization.report import ASSUMPTIONS, plan_summary, report, sync_summary
from optimization.solve import PlanningSolveError, RunRecord, solve

__all__ = ["ASSUMPTIONS", "PlanningData", "PlanningInputError", "PlanningSolveError", "RunRecord", "build_model",
           "plan_summary", "report", "solve", "sync_summary"]
