"""Exceptions: what in the current plan needs a planner's attention, most severe first, with the detail behind each."""

import plotly.graph_objects as go
import streamlit as st

from dashboards.lib import charts, plans, projected, service, weeks, workload
from dashboards.lib import planning_exceptions as found
from dashboards.lib.plants import plants

st.title("Exceptions")
plan_id = plans.current_plan_id()
st.caption(f"Current plan `{plan_id}`. Weeks are the plan's weeks, each starting on a Monday.")
exceptions = found.exceptions(plan_id)

tiles = st.columns(len(found.KINDS))
for tile, kind in zip(tiles, found.KINDS):
    tile.metric(found.HEADINGS[kind], f"{(exceptions.kind == kind).sum():,}", border=True)
with st.expander("How exceptions and their severity are decided"):
    for kind, rule in found.RULES.items():
        st.markdown(f"- **{kind.capitalize()}**: {rule}")

columns = st.columns(3)
kinds = columns[0].multiselect("Kind", found.KINDS, placeholder="All kinds")
severities = columns[1].multiselect("Severity", found.SEVERITIES, placeholder="All severities")
chosen_plants = columns[2].multiselect("Plants", plants().plant_code, placeholder="All plants")
shown = exceptions[(exceptions.kind.isin(kinds) | (not kinds)) & (exceptions.severity.isin(severities) | (not severities))
                   & (exceptions.plant_code.isin(chosen_plants) | (not chosen_plants))]
if shown.empty:
    st.success("No exception in this selection.")
    st.stop()
st.dataframe(shown[["severity", "kind", "plant_code", "subject", "weeks", "size", "message"]], hide_index=True,
             width="stretch", column_config={"severity": "Severity", "kind": "Kind", "plant_code": "Plant",
                                             "subject": "Subject", "weeks": "Weeks", "size": "Size",
                                             "message": st.column_config.TextColumn("Message", width="large")})

st.subheader("Detail")
picked = st.selectbox("Exception", shown.index,
                      format_func=lambda i: " · ".join(shown.loc[i, ["severity", "kind", "subject", "weeks"]]))
exception = shown.loc[picked]
st.markdown(exception.message)
calendar = weeks.weeks(plan_id).set_index("period").week_start


def hours_by_week(work_center: str) -> None:
    """The work center's load by week and the items loading it."""
    load = workload.capacity(plan_id, work_center)
    st.dataframe(load.assign(week=load.week_start.map(weeks.label))[
        ["week", "available_hours", "used_hours", "overtime_hours", "utilization"]], hide_index=True, width="stretch",
        column_config={"week": "Week", "available_hours": st.column_config.NumberColumn("Regular hours (h)", format="%.1f"),
                       "used_hours": st.column_config.NumberColumn("Planned hours (h)", format="%.1f"),
                       "overtime_hours": st.column_config.NumberColumn("Overtime (h)", format="%.1f"),
                       "utilization": st.column_config.NumberColumn("Load", format="percent")})
    items = workload.orders(plan_id, work_center).groupby(["plant_code", "item_id"], as_index=False)[["qty", "hours"]]\
        .sum().sort_values("hours", ascending=False)
    st.markdown("Items loading it over the horizon:")
    st.dataframe(items, hide_index=True, width="stretch",
                 column_config={"plant_code": "Plant", "item_id": "Item",
                                "qty": st.column_config.NumberColumn("Planned units", format="%.0f"),
                                "hours": st.column_config.NumberColumn("Hours (h)", format="%.1f")})


if exception.kind == "late order":
    weekly = service.weekly(plan_id)
    order = weekly[(weekly.customer_id == exception.customer_id) & (weekly.item_id == exception.item_id)]
    st.dataframe(order.assign(week=order.week_start.map(weeks.label))[
        ["week", "demand_qty", "shipped_qty", "backlog_qty", "late_qty"]], hide_index=True, width="stretch",
        column_config={"week": "Week", "demand_qty": st.column_config.NumberColumn("Demand (units)", format="%.0f"),
                       "shipped_qty": st.column_config.NumberColumn("Shipped (units)", format="%.0f"),
                       "backlog_qty": st.column_config.NumberColumn("Backlog at week end (units)", format="%.0f"),
                       "late_qty": st.column_config.NumberColumn("Of the week's demand late (units)", format="%.0f")})
    sources = found.shipments(plan_id, exception.customer_id, exception.item_id)
    st.markdown("Shipped from:")
    st.dataframe(sources.assign(week=sources.period.map(calendar).map(weeks.label))[["week", "plant_code", "qty"]],
                 hide_index=True, width="stretch",
                 column_config={"week": "Week", "plant_code": "Plant",
                                "qty": st.column_config.NumberColumn("Units", format="%.0f")})
elif exception.kind == "below safety stock":
    stock = projected.inventory(plan_id)
    stock = stock[(stock.plant_code == exception.plant_code) & (stock.item_id == exception.item_id)]
    chart = go.Figure([go.Scatter(x=stock.week_start, y=stock.qty, name="Projected stock", mode="lines+markers"),
                       go.Scatter(x=stock.week_start, y=stock.safety_stock_qty, name="Safety stock", mode="lines",
                                  line={"color": "black", "dash": "dash"})])
    chart.update_layout(legend=charts.LEGEND, yaxis_title="Stock at week end (units)",
                        xaxis=charts.week_axis(stock.week_start), height=320)
    st.plotly_chart(chart, width="stretch")
    st.dataframe(stock.assign(week=stock.week_start.map(weeks.label))[
        ["week", "qty", "safety_stock_qty", "shortfall_qty"]], hide_index=True, width="stretch",
        column_config={"week": "Week", "qty": st.column_config.NumberColumn("Projected stock (units)", format="%.0f"),
                       "safety_stock_qty": st.column_config.NumberColumn("Safety stock (units)", format="%.0f"),
                       "shortfall_qty": st.column_config.NumberColumn("Below safety by (units)", format="%.0f")})
elif isinstance(exception.work_center_id, str):
    hours_by_week(exception.work_center_id)
else:
    flow = found.lane_flow(plan_id, exception.lane_id)
    st.dataframe(flow.assign(week=flow.period.map(calendar).map(weeks.label))[["week", "qty", "capacity_per_week"]],
                 hide_index=True, width="stretch",
                 column_config={"week": "Week", "qty": st.column_config.NumberColumn("Planned units", format="%.0f"),
                                "capacity_per_week": st.column_config.NumberColumn("Capacity (units per week)",
                                                                                   format="%.0f")})
