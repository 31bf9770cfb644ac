"""ROI: months to payback from the effects measured in the network's history and plans."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboards.lib import format as fmt
from dashboards.lib import roi

st.title("ROI")
st.caption("Effects are measured: the first weeks of history against the latest ones, and the synchronized plan's "
           "overtime against each plant planning alone. Edit the assumptions that price them.")
columns = st.columns(5)
window = columns[0].number_input("Measure over (days)", min_value=7, max_value=182, value=28, step=7)
carrying = columns[1].number_input("Carrying cost rate (per year)", 0.0, 1.0, 0.25, 0.01, format="%.2f")
investment = columns[2].number_input("Investment (EUR)", 0.0, value=250_000.0, step=10_000.0, format="%.0f")
margin = columns[3].number_input("Margin on revenue", 0.0, 1.0, 0.15, 0.01, format="%.2f")
overtime_cost = columns[4].number_input("Overtime cost (EUR/h)", 0.0, value=60.0, step=5.0, format="%.0f")

effects = roi.measured_effects(int(window))
benefit = roi.payback(effects, carrying, margin, overtime_cost)
months = roi.months_to_payback(investment, benefit.per_year_eur)

tiles = st.columns(4)
tiles[0].metric("Inventory reduction", fmt.eur(effects.inventory_before_eur - effects.inventory_after_eur),
                delta=f"{fmt.eur(benefit.inventory_eur)} a year", delta_color="off", border=True)
tiles[1].metric("On-time gain", fmt.change(effects.otif_after - effects.otif_before, "share"),
                delta=f"{fmt.eur(benefit.on_time_eur)} a year", delta_color="off", border=True)
tiles[2].metric("Overtime reduction", f"{fmt.hours(effects.overtime_hours_saved_per_year)} a year",
                delta=f"{fmt.eur(benefit.overtime_eur)} a year", delta_color="off", border=True)
tiles[3].metric("Payback", fmt.months(months) if months is not None else "no payback",
                delta=f"{fmt.eur(benefit.per_year_eur)} a year in total", delta_color="off", border=True)
if months is None:
    st.warning("At these figures the measured effects do not pay the investment back: the benefit is not positive.")

st.table(pd.DataFrame({
    "Effect": ["Inventory value (average)", "On-time in-full", "Overtime"],
    "Before": [fmt.eur(effects.inventory_before_eur), fmt.share(effects.otif_before), "each plant alone"],
    "After": [fmt.eur(effects.inventory_after_eur), fmt.share(effects.otif_after), "synchronized plan"],
    "Benefit a year": [fmt.eur(benefit.inventory_eur), fmt.eur(benefit.on_time_eur), fmt.eur(benefit.overtime_eur)]}))

horizon = list(range(37))
cumulative = [benefit.per_year_eur / 12 * month for month in horizon]
chart = go.Figure([go.Scatter(x=horizon, y=cumulative, name="Cumulative benefit", mode="lines"),
                   go.Scatter(x=horizon, y=[investment] * len(horizon), name="Investment", mode="lines",
                              line={"dash": "dash"})])
chart.update_layout(xaxis_title="Months", yaxis_title="EUR", legend_orientation="h")
st.plotly_chart(chart, width="stretch")
st.caption(f"Revenue {fmt.eur(effects.revenue_per_year_eur)} a year from the order lines; an on-time gain earns the "
           "margin on that share of revenue.")
