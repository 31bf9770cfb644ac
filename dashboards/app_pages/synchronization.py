"""Synchronization: the synchronized plan against each plant planning alone, with the assumptions."""

import plotly.express as px
import streamlit as st

from dashboards.lib import format as fmt
from dashboards.lib import plans

st.title("Synchronization")
plan_id = plans.current_plan_id()
summary = plans.sync_summary(plan_id)
if summary.empty:
    st.info("The current plan has no comparison with plants planning alone yet: run `make run` again.")
    st.stop()
figures = summary.set_index("metric")
st.caption(f"Plan `{plan_id}`: the same inputs planned once as one network (synchronized) and once with each "
           "plant planning alone (coordinated).")

HEADLINES = [("total_cost", "Cost", False), ("fill_rate", "Service (fill rate)", True),
             ("average_inventory_units", "Average inventory", False), ("overtime_hours", "Overtime", False)]
for column, (metric, label, higher_is_better) in zip(st.columns(len(HEADLINES)), HEADLINES):
    if metric in figures.index:
        row = figures.loc[metric]
        column.metric(label, fmt.by_unit(row.synchronized, row.unit),
                      delta=f"{fmt.change(row.difference, row.unit)} vs alone ({fmt.by_unit(row.coordinated, row.unit)})",
                      delta_color="normal" if higher_is_better else "inverse", border=True)

saving = -figures.difference.get("total_cost", 0.0)
alone = figures.coordinated.get("total_cost", 0.0)
st.markdown(f"**Value of synchronization: {fmt.eur(saving)}** over the plan horizon"
            + (f" ({fmt.share(saving / alone, 2)} of the cost when each plant plans alone)." if alone else "."))

costs = summary[summary.unit == "EUR"].query("metric != 'total_cost'").melt(
    id_vars="metric", value_vars=["synchronized", "coordinated"], var_name="plan", value_name="eur")
chart = px.bar(costs.assign(metric=costs.metric.map(fmt.label)), x="metric", y="eur", color="plan", barmode="group",
               labels={"metric": "Cost component", "eur": "EUR", "plan": "Plan"})
st.plotly_chart(chart, width="stretch")

st.subheader("Side by side")
st.table(fmt.figures_table(summary, summary.unit.tolist(),
                          {"synchronized": "Synchronized", "coordinated": "Each plant alone"}, "difference", "Difference"))

st.subheader("Assumptions")
for assumption in plans.assumptions(plan_id):
    st.markdown(f"- {assumption}")
