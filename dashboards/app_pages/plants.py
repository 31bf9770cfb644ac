"""Plants: one plant in depth, for the person who runs it."""

from datetime import timedelta

import plotly.express as px
import streamlit as st

from dashboards.lib import format as fmt
from dashboards.lib import kpis
from dashboards.lib import plants as plant_figures

st.title("Plants")
sites = plant_figures.plants()
latest = kpis.latest_day()
left, right = st.columns(2)
names = dict(zip(sites.plant_code, sites.plant_name))
plant = left.selectbox("Plant", sites.plant_code, format_func=lambda code: f"{code} – {names[code]}")
chosen = right.date_input("Days", value=(latest - timedelta(days=27), latest), min_value=kpis.first_day(),
                          max_value=latest)
start, end = chosen if len(chosen) == 2 else (chosen[0], chosen[0])

capacity = plant_figures.utilization_by_day(plant, start, end)
downtime = plant_figures.downtime_by_reason(plant, start, end)
output = plant_figures.output_by_week(plant, start, end)
quality = plant_figures.rejects_by_defect(plant, start, end)
inspected = quality.inspected_qty.sum()

tiles = st.columns(4)
available = capacity.available_hours.sum()
tiles[0].metric("Utilization", fmt.share(capacity.loaded_hours.sum() / available if available else None), border=True)
tiles[1].metric("Unplanned downtime", fmt.compact(capacity.unplanned_downtime_hours.sum(), "hours"), border=True)
tiles[2].metric("Output (units)", fmt.compact(output.produced_qty.sum(), "count"), border=True)
tiles[3].metric("Reject rate", fmt.share(quality.rejected_qty.sum() / inspected if inspected else None), border=True)

st.subheader("Utilization by work center and day")
if capacity.empty:
    st.info("No capacity recorded for this plant in these days.")
else:
    grid = capacity.pivot_table(index="work_center_id", columns="date_day", values="utilization", aggfunc="mean")
    heatmap = px.imshow(grid, aspect="auto", color_continuous_scale="RdYlGn_r", zmin=0, zmax=1.2,
                        labels={"x": "Day", "y": "Work center", "color": "Utilization (%)"})
    heatmap.update_coloraxes(colorbar_tickformat=".0%")
    st.plotly_chart(heatmap, width="stretch")

left, right = st.columns(2)
left.subheader("Downtime by reason")
if downtime.empty:
    left.info("No downtime recorded in these days.")
else:
    left.plotly_chart(px.bar(downtime, x="hours", y="reason", color="state", orientation="h",
                             labels={"hours": "Downtime (h)", "reason": "Reason", "state": "State"}), width="stretch")
right.subheader("Output by week")
if output.empty:
    right.info("No production order finished in these days.")
else:
    right.plotly_chart(px.bar(output, x="week_start", y="produced_qty", color="product_family",
                              labels={"week_start": "Week", "produced_qty": "Produced (units)",
                                      "product_family": "Product family"}), width="stretch")

st.subheader("Quality: rejects by defect")
if quality.empty:
    st.info("No inspection recorded in these days.")
else:
    st.dataframe(quality.assign(reject_rate=quality.rejected_qty / quality.inspected_qty.where(quality.inspected_qty > 0)),
                 hide_index=True, width="stretch", column_config={
                     "defect_code": "Defect", "inspected_qty": st.column_config.NumberColumn("Inspected", format="%d"),
                     "rejected_qty": st.column_config.NumberColumn("Rejected", format="%d"),
                     "reject_rate": st.column_config.NumberColumn("Reject rate", format="percent")})
