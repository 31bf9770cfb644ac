"""Work-center load: one work center's planned hours by week and item against its hours,
and the planned production orders behind a week."""

import plotly.graph_objects as go
import streamlit as st

from dashboards.lib import charts, columns, plans, weeks, workload
from dashboards.lib import format as fmt

st.title("Work-center load")
plan_id = plans.current_plan_id()
st.caption(f"Current plan `{plan_id}`. Planned hours are planned production times routing hours per unit; "
           "regular hours are the work center's available hours less planned downtime.")

centers = workload.work_centers(plan_id)
names = dict(zip(centers.work_center_id, centers.plant_code + " · " + centers.work_center_name.fillna("")))
work_center = st.selectbox("Work center", centers.work_center_id, format_func=lambda w: f"{w} ({names[w]})",
                           index=int(centers.utilization.fillna(0).argmax()))
capacity = workload.capacity(plan_id, work_center)
orders = workload.orders(plan_id, work_center)

regular = capacity.available_hours.sum()
tiles = st.columns(3)
tiles[0].metric("Planned hours", fmt.hours(capacity.used_hours.sum()), border=True)
tiles[1].metric("Load", fmt.share(capacity.used_hours.sum() / regular if regular else None), border=True)
tiles[2].metric("Overtime", fmt.hours(capacity.overtime_hours.sum()), border=True)

by_item = orders.groupby(["week_start", "item_id"], as_index=False).hours.sum()
chart = go.Figure([go.Bar(x=rows.week_start, y=rows.hours, name=item,
                          hovertemplate=f"{item}: %{{y:,.1f}} h<extra></extra>")
                   for item, rows in by_item.groupby("item_id")])
chart.add_scatter(x=capacity.week_start, y=capacity.available_hours, name="Regular hours",
                  mode="lines+markers", line={"color": "black", "dash": "dash"})
chart.add_scatter(x=capacity.week_start, y=capacity.available_hours + capacity.overtime_hours,
                  name="Regular hours + planned overtime", mode="lines",
                  line={"color": "firebrick", "dash": "dot"})
chart.update_layout(barmode="stack", legend=charts.LEGEND, yaxis_title="Hours per week (h)",
                    xaxis=charts.week_axis(capacity.week_start))
st.plotly_chart(chart, width="stretch")

st.subheader("Hours by week")
st.dataframe(capacity.assign(week=capacity.week_start.map(weeks.label))[list(columns.HOURS_BY_WEEK)],
             hide_index=True, width="stretch", column_config=columns.HOURS_BY_WEEK)

st.subheader("Planned production orders behind a week")
week = st.selectbox("Week", capacity.week_start, format_func=weeks.label,
                    index=int(capacity.used_hours.argmax()) if len(capacity) else None)
behind = orders[orders.week_start == week]
if behind.empty:
    st.info("No production is planned on this work center in that week.")
else:
    st.dataframe(behind[["plant_code", "item_id", "item_name", "qty", "hours_per_unit", "hours"]],
                 hide_index=True, width="stretch",
                 column_config={"plant_code": "Plant", "item_id": "Item", "item_name": "Item name",
                                "qty": columns.units("Quantity"),
                                "hours_per_unit": st.column_config.NumberColumn("Hours per unit (h)",
                                                                                format="%.4f"),
                                "hours": columns.hours("Hours")})
    st.caption(f"{len(behind)} orders, {fmt.units(behind.qty.sum())}, {fmt.hours(behind.hours.sum())} "
               f"in the week of {weeks.label(week)}.")
