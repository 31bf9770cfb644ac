"""Network: the KPI tiles against the previous period, and the plants side by side."""

import plotly.express as px
import streamlit as st

from dashboards.lib import format as fmt
from dashboards.lib import kpis

st.title("Network")
latest = kpis.latest_day()
left, right = st.columns(2)
days = left.selectbox("Period", [7, 28, 91], index=1, format_func=lambda d: f"last {d} days")
end = right.date_input("Period ends", value=latest, min_value=kpis.first_day(), max_value=latest)
start, end = kpis.period(end, days)
before = kpis.previous(start, end)
current, earlier = kpis.network_averages(start, end), kpis.network_averages(*before)
st.caption(f"Daily averages {start:%d %b %Y} – {end:%d %b %Y}, against {before[0]:%d %b} – {before[1]:%d %b %Y}.")

for column, kpi in zip(st.columns(3) + st.columns(3), kpis.KPIS):
    column.metric(kpi.label, kpi.show(current[kpi.column]), border=True,
                  **fmt.delta(current[kpi.column] - earlier[kpi.column], kpi.unit, kpi.higher_is_better))

st.subheader("Plants compared")
by_column = {k.column: k for k in kpis.KPIS}
metric = st.selectbox("Compare plants by", list(by_column), format_func=lambda c: by_column[c].label)
kpi = by_column[metric]
plants = kpis.plant_averages(start, end)
chart = px.bar(plants, x="plant_code", y=metric, hover_name="plant_name",
               labels={"plant_code": "Plant", metric: kpi.axis_title})
if kpi.unit == "share":
    chart.update_yaxes(tickformat=".0%")
st.plotly_chart(chart, width="stretch")
st.dataframe(plants, hide_index=True, width="stretch", column_config={
    "plant_code": "Plant", "plant_name": "Name",
    "inventory_value_eur": st.column_config.NumberColumn("Inventory value", format="euro"),
    "days_of_supply": st.column_config.NumberColumn("Days of supply", format="%.1f d"),
    "otif_rate": st.column_config.NumberColumn("OTIF", format="percent"),
    "avg_lead_time_days": st.column_config.NumberColumn("Lead time", format="%.1f d"),
    "utilization": st.column_config.NumberColumn("Utilization", format="percent"),
    "reject_rate": st.column_config.NumberColumn("Reject rate", format="percent")})

st.subheader("Trend")
daily = kpis.network_daily(before[0], end)
trend = px.line(daily, x="date_day", y=metric, labels={"date_day": "Day", metric: kpi.axis_title})
if kpi.unit == "share":
    trend.update_yaxes(tickformat=".0%")
trend.add_vline(x=start, line_dash="dot")
st.plotly_chart(trend, width="stretch")
