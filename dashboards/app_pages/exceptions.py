"""Exceptions: what in the current plan needs a planner's attention, most severe first,
and the detail behind each.

The rules for each kind and severity are in dashboards.lib.planning_exceptions and on the page.
"""

import plotly.graph_objects as go
import streamlit as st

from dashboards.lib import charts, columns, plans, projected, service, weeks, workload
from dashboards.lib import planning_exceptions as found
from dashboards.lib.plants import plants

st.title("Exceptions")
plan_id = plans.current_plan_id()
st.caption(f"Current plan `{plan_id}`. Weeks are the plan's weeks, each starting on a Monday.")
exceptions = found.exceptions(plan_id)

for tile, kind in zip(st.columns(len(found.KINDS)), found.KINDS):
    tile.metric(found.HEADINGS[kind], f"{(exceptions.kind == kind).sum():,}", border=True)
with st.expander("How exceptions and their severity are decided"):
    for kind, rule in found.RULES.items():
        st.markdown(f"- **{kind.capitalize()}**: {rule}")

filters = st.columns(3)
kinds = filters[0].multiselect("Kind", found.KINDS, placeholder="All kinds")
severities = filters[1].multiselect("Severity", found.SEVERITIES, placeholder="All severities")
chosen_plants = filters[2].multiselect("Plants", plants().plant_code, placeholder="All plants")
shown = exceptions[(exceptions.kind.isin(kinds) | (not kinds))
                   & (exceptions.severity.isin(severities) | (not severities))
                   & (exceptions.plant_code.isin(chosen_plants) | (not chosen_plants))]
if shown.empty:
    st.success("No exception in this selection.")
    st.stop()
st.dataframe(shown[["severity", "kind", "plant_code", "subject", "weeks", "size", "message"]],
             hide_index=True, width="stretch",
             column_config={"severity": "Severity", "kind": "Kind", "plant_code": "Plant",
                            "subject": "Subject", "weeks": "Weeks", "size": "Size",
                            "message": st.column_config.TextColumn("Message", width="large")})

st.subheader("Detail")
picked = st.selectbox("Exception", shown.index, format_func=lambda i: " · ".join(
    shown.loc[i, ["severity", "kind", "subject", "weeks"]]))
exception = shown.loc[picked]
st.markdown(exception.message)
calendar = weeks.weeks(plan_id).set_index("period").week_start


def by_week(frame, shown_columns: list[str], config: dict) -> None:
    """A weekly table with its weeks as dates people read."""
    week = frame.week_start if "week_start" in frame else frame.period.map(calendar)
    st.dataframe(frame.assign(week=week.map(weeks.label))[["week", *shown_columns]], hide_index=True,
                 width="stretch", column_config={"week": "Week", **config})


if exception.kind == "late order":
    weekly = service.weekly(plan_id)
    order = weekly[(weekly.customer_id == exception.customer_id) & (weekly.item_id == exception.item_id)]
    by_week(order, ["demand_qty", "shipped_qty", "backlog_qty", "late_qty"],
            {"demand_qty": columns.units("Demand"), "shipped_qty": columns.units("Shipped"),
             "backlog_qty": columns.units("Backlog at week end"),
             "late_qty": columns.units("Of the week's demand late")})
    st.markdown("Shipped from:")
    by_week(found.shipments(plan_id, exception.customer_id, exception.item_id), ["plant_code", "qty"],
            {"plant_code": "Plant", "qty": columns.units("Shipped")})
elif exception.kind == "below safety stock":
    stock = projected.inventory(plan_id)
    stock = stock[(stock.plant_code == exception.plant_code) & (stock.item_id == exception.item_id)]
    chart = go.Figure([
        go.Scatter(x=stock.week_start, y=stock.qty, name="Projected stock", mode="lines+markers"),
        go.Scatter(x=stock.week_start, y=stock.safety_stock_qty, name="Safety stock", mode="lines",
                   line={"color": "black", "dash": "dash"})])
    chart.update_layout(legend=charts.LEGEND, yaxis_title="Stock at week end (units)",
                        xaxis=charts.week_axis(stock.week_start), height=320)
    st.plotly_chart(chart, width="stretch")
    by_week(stock, ["qty", "safety_stock_qty", "shortfall_qty"],
            {"qty": columns.units("Projected stock"), "safety_stock_qty": columns.units("Safety stock"),
             "shortfall_qty": columns.units("Below safety by")})
elif isinstance(exception.work_center_id, str):
    by_week(workload.capacity(plan_id, exception.work_center_id), list(columns.HOURS_BY_WEEK)[1:],
            columns.HOURS_BY_WEEK)
    st.markdown("Items loading it over the horizon:")
    orders = workload.orders(plan_id, exception.work_center_id)
    items = orders.groupby(["plant_code", "item_id"], as_index=False)[["qty", "hours"]].sum()
    st.dataframe(items.sort_values("hours", ascending=False), hide_index=True, width="stretch",
                 column_config={"plant_code": "Plant", "item_id": "Item", "qty": columns.units("Planned"),
                                "hours": columns.hours("Hours")})
elif isinstance(exception.lane_id, str):
    by_week(found.lane_flow(plan_id, exception.lane_id), ["qty", "capacity_per_week"],
            {"qty": columns.units("Planned"), "capacity_per_week": columns.units("Capacity per week")})
