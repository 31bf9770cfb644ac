"""Synchronization: the synchronized plan against each plant planning alone, with the assumptions."""

import plotly.graph_objects as go
import streamlit as st

from dashboards.lib import format as fmt
from dashboards.lib import plans

SYNCHRONIZED, ALONE = "Synchronized", "Each plant alone"
SAVES, SPENDS = "#2e7d32", "#c62828"

st.title("Synchronization")
plan_id = plans.current_plan_id()
summary = plans.sync_summary(plan_id)
if summary.empty:
    st.info("The current plan has no comparison with plants planning alone yet: run `make run` again.")
    st.stop()
figures = summary.set_index("metric")
st.caption(f"Plan `{plan_id}` on the same inputs twice: **{SYNCHRONIZED}**, planned once as one network, and "
           f"**{ALONE}**, each plant planning for itself. Tiles show the synchronized plan and its "
           "difference from each plant alone.")

# metric, tile label, higher is better, unit on the tile (the label names it where the value would not fit)
HEADLINES = [("total_cost", "Cost", False, "EUR"), ("on_time_fill_rate", "On-time fill rate", True, "share"),
             ("unit_weeks_late", "Unit-weeks late", False, "count"),
             ("overtime_hours", "Overtime", False, "hours")]
for column, (metric, label, higher_is_better, unit) in zip(st.columns(len(HEADLINES)), HEADLINES):
    if metric in figures.index:
        row = figures.loc[metric]
        column.metric(label, fmt.compact(row.synchronized, unit),
                      **fmt.delta(row.difference, unit, higher_is_better), delta_description="vs alone",
                      help=f"{ALONE}: {fmt.by_unit(row.coordinated, row.unit)}", border=True)

saving = -figures.difference.get("total_cost", 0.0)
alone = figures.coordinated.get("total_cost", 0.0)
st.markdown(f"**Value of synchronization: {fmt.eur(saving)}** over the plan horizon"
            + (f" ({fmt.share(saving / alone, 2)} of the cost when each plant plans alone)." if alone else "."))

st.subheader("Where the cost differs")
costs = summary[summary.unit == "EUR"]
chart = go.Figure(go.Bar(x=costs.metric.map(fmt.label), y=costs.difference,
                         marker_color=[SAVES if d < 0 else SPENDS for d in costs.difference],
                         text=[fmt.change(d, "EUR") for d in costs.difference], textposition="outside",
                         hovertemplate="%{x}: %{text}<extra></extra>"))
chart.update_layout(xaxis_title="Cost component", yaxis_title=f"{SYNCHRONIZED} minus {ALONE.lower()} (EUR)",
                    yaxis_tickformat=",.0f", margin={"t": 30})
st.plotly_chart(chart, width="stretch")
st.caption(f"Below zero (green): {SYNCHRONIZED.lower()} spends less on it than {ALONE.lower()}; above zero "
           "(red): more. Production is most of either plan's cost; only the difference is drawn.")

st.subheader("Side by side")
st.table(fmt.figures_table(summary, summary.unit.tolist(),
                           {"synchronized": SYNCHRONIZED, "coordinated": ALONE}, "difference", "Difference"))

st.subheader("Assumptions")
for assumption in plans.assumptions(plan_id):
    st.markdown(f"- {assumption}")
