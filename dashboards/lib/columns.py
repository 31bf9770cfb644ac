"""st.dataframe column settings with the unit in the heading, shared by the planner's pages."""

from __future__ import annotations

import streamlit as st


def units(label: str):
    return st.column_config.NumberColumn(f"{label} (units)", format="%.0f")


def hours(label: str):
    return st.column_config.NumberColumn(f"{label} (h)", format="%.1f")


def share(label: str):
    return st.column_config.NumberColumn(label, format="percent")


def count(label: str):
    return st.column_config.NumberColumn(label, format="%d")


HOURS_BY_WEEK = {"week": "Week", "available_hours": hours("Regular hours"),
                 "used_hours": hours("Planned hours"), "overtime_hours": hours("Overtime"),
                 "utilization": share("Load")}
