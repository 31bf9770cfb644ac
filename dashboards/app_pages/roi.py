"""ROI: months to payback from effects measured since plantsync began planning, and the plan's overtime."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboards.lib import format as fmt
from dashboards.lib import roi

NOT_MEASURED = "none yet"


def dates(window) -> str:
    return f"{window[0]:%d %b %Y} – {window[1]:%d %b %Y}" if window else "no history"


st.title("ROI")
columns = st.columns(5)
window = columns[0].number_input("Measure over (days)", min_value=7, max_value=182, value=28, step=7)
carrying = columns[1].number_input("Carrying cost rate (per year)", 0.0, 1.0, 0.25, 0.01, format="%.2f")
investment = columns[2].number_input("Investment (EUR)", 0.0, value=250_000.0, step=10_000.0, format="%.0f")
margin = columns[3].number_input("Margin on revenue", 0.0, 1.0, 0.15, 0.01, format="%.2f")
overtime_cost = columns[4].number_input("Overtime cost (EUR/h)", 0.0, value=60.0, step=5.0, format="%.0f")

effects = roi.measured_effects(int(window))
benefit = roi.payback(effects, carrying, margin, overtime_cost)
months = roi.months_to_payback(investment, benefit.per_year_eur)
st.caption(f"plantsync began planning {effects.first_plan_at:%d %b %Y %H:%M} UTC (its first plan). Stock and on-time "
           f"effects compare daily averages before it ({dates(effects.before)}) with after it "
           f"({dates(effects.after)}); overtime is the current plan's own figure against each plant planning alone. "
           "Edit the assumptions that price them.")
if not effects.measured:
    st.info(f"{'No history after the first plan yet' if effects.before else 'No history before the first plan'}: "
            "stock and on-time "
            "effects are not measured and count nothing; the payback rests on the plan's overtime figure alone.")

tiles = st.columns(4)
tiles[0].metric("Inventory reduction", fmt.compact(effects.inventory_before_eur - effects.inventory_after_eur, "EUR")
                if effects.measured else NOT_MEASURED,
                delta=f"{fmt.compact(benefit.inventory_eur, 'EUR')} a year", delta_color="off", delta_arrow="off",
                border=True)
tiles[1].metric("On-time gain", fmt.change(effects.otif_after - effects.otif_before, "share")
                if effects.measured else NOT_MEASURED,
                delta=f"{fmt.compact(benefit.on_time_eur, 'EUR')} a year", delta_color="off", delta_arrow="off",
                border=True)
tiles[2].metric("Overtime saved (plan)", f"{fmt.compact(effects.overtime_hours_saved_per_year, 'hours')}/yr",
                delta=f"{fmt.compact(benefit.overtime_eur, 'EUR')} a year", delta_color="off", delta_arrow="off",
                border=True, help="The synchronized plan's overtime against each plant planning alone, over a year")
tiles[3].metric("Payback (months)", f"{months:,.1f}" if months is not None else "none",
                delta=f"{fmt.compact(benefit.per_year_eur, 'EUR')} a year in total", delta_color="off",
                delta_arrow="off", border=True, help="The investment over the benefit a month")
if months is None:
    st.warning("At these figures the measured effects do not pay the investment back: the benefit is not positive.")

st.table(pd.DataFrame({
    "Effect": ["Inventory value (daily average)", "On-time in-full", "Overtime (plan figure)"],
    "Before": [fmt.eur(effects.inventory_before_eur), fmt.share(effects.otif_before), "each plant alone"],
    "After": [fmt.eur(effects.inventory_after_eur), fmt.share(effects.otif_after), "synchronized plan"],
    "Measured over": [f"{dates(effects.before)} against {dates(effects.after)}"] * 2 + ["the current plan"],
    "Benefit a year": [fmt.eur(benefit.inventory_eur), fmt.eur(benefit.on_time_eur), fmt.eur(benefit.overtime_eur)]}))

horizon = list(range(37))
cumulative = [benefit.per_year_eur / 12 * month for month in horizon]
chart = go.Figure([go.Scatter(x=horizon, y=cumulative, name="Cumulative benefit", mode="lines"),
                   go.Scatter(x=horizon, y=[investment] * len(horizon), name="Investment", mode="lines",
                              line={"dash": "dash"})])
chart.update_layout(xaxis_title="Months from go-live", yaxis_title="EUR", legend_orientation="h")
st.plotly_chart(chart, width="stretch")
st.caption(f"Revenue {fmt.eur(effects.revenue_per_year_eur)} a year from the order lines; an on-time gain earns the "
           "margin on that share of revenue.")
