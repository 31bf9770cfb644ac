"""plantsync's plain core: the code both the Dagster definitions and the dashboards use.

Paths, the clock, analysts' decisions, planning inputs, the plans schema and its versions, re-plan
limits and notifications. Nothing here imports Dagster or Streamlit, so a dashboard never loads the
pipeline's definitions (tests/foundation/test_core_boundary.py keeps it so).
"""
