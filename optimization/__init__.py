"""Network planning with Pyomo + HiGHS: validated inputs, the plan model, solve, and report tables.

    data = PlanningData(...).validate()
    result = plan(data, synchronized=True)   # record, tables, figures; built as arrays

or, step by step on the Pyomo model (the readable reference):

    model = build_model(data, synchronized=True)
    record = solve(model)
    tables = report(model, data)
"""

from optimization.data import PlanningData, PlanningInputError
from optimization.model import build_model
from optimization.report import ASSUMPTIONS, plan_summary, report, sync_summary
from optimization.routes import PlanResult, plan
from optimization.solve import PlanningSolveError, RunRecord, solve

__all__ = ["ASSUMPTIONS", "PlanResult", "PlanningData", "PlanningInputError", "PlanningSolveError", "RunRecord",
           "build_model", "plan", "plan_summary", "report", "solve", "sync_summary"]
