"""Scenarios: take a plant or work center down, cut a supply or raise demand, and see what moves."""

import plotly.express as px
import streamlit as st

from dashboards.lib import format as fmt
from dashboards.lib import inventory, plans, scenarios
from optimization.report import UNITS
from optimization.scenario import Scenario

st.title("Scenarios")
st.caption("What-if plans run on a copy of the published inputs, in this app's memory; no warehouse is written.")
periods = plans.horizon(plans.current_plan_id())
weeks = list(range(1, periods + 1))

kind = st.radio("What happens", ["down", "cut", "demand"], horizontal=True, format_func={
    "down": "A plant or work center goes down", "cut": "A supply is cut", "demand": "Demand rises"}.get)
first, last = st.select_slider("Periods (weeks of the plan)", options=weeks, value=(min(2, periods), min(3, periods)))
if kind == "demand":
    item = st.selectbox("Item", inventory.items([]), index=None, placeholder="All items")
    factor = st.slider("Demand factor", 1.0, 3.0, 1.5, 0.1, format="× %.1f")
    scenario = Scenario(f"demand {item or 'all'} x{factor:.1f}", demand_factor=[(item, None, factor, first, last)])
else:
    resource = st.selectbox("Plant or work center", scenarios.resources())
    if kind == "down":
        scenario = Scenario(f"{resource} down", down=[(resource, first, last)])
    else:
        keeps = st.slider("Share of capacity it keeps", 0.0, 0.9, 0.5, 0.05, format="%.2f")
        scenario = Scenario(f"{resource} at {keeps:.0%}", capacity_share=[(resource, keeps, first, last)])

if st.button("Re-plan", type="primary"):
    with st.status("Re-planning…", expanded=True) as progress:
        st.write("Reading the inputs and solving the current plan (once per publish)…")
        current = scenarios.current_plan(periods)
        st.write(f"Re-planning with “{scenario.name}”, weeks {first}–{last}…")
        result = scenarios.run_scenario(current, scenario)
        progress.update(label=f"Re-planned “{scenario.name}” in {result.record.solve_seconds:.1f} s of solving",
                        state="complete", expanded=False)
    st.session_state.scenario = (scenario.name, scenarios.comparison(result),
                                 scenarios.production_by_plant(current, result), result.moves)

if "scenario" not in st.session_state:
    st.info("Describe a disruption and press **Re-plan** to compare it with the current plan.")
    st.stop()

name, figures, production, moves = st.session_state.scenario
st.subheader(f"“{name}” against the current plan")
shown = figures.set_index("metric")
HEADLINES = [("total_cost", "Total cost", False), ("fill_rate", "Fill rate", True),
             ("end_backlog_units", "Backlog at horizon end", False), ("overtime_hours", "Overtime", False)]
for column, (metric, label, higher_is_better) in zip(st.columns(len(HEADLINES)), HEADLINES):
    unit = UNITS.get(metric, "EUR")
    column.metric(label, fmt.by_unit(shown.scenario[metric], unit), delta=fmt.change(shown.change[metric], unit) or None,
                  delta_color="normal" if higher_is_better else "inverse", border=True)
st.table(fmt.figures_table(figures, [UNITS.get(m, "EUR") for m in figures.metric],
                          {"current": "Current plan", "scenario": "Scenario"}, "change", "Change"))
st.plotly_chart(px.bar(production, x="plant_code", y="qty", color="plan", barmode="group",
                       labels={"plant_code": "Plant", "qty": "Units produced over the horizon", "plan": "Plan"}),
                width="stretch")
st.subheader("What moved")
MOVES_LISTED = 30
if moves:
    st.markdown("\n".join(f"- {line}" for line in moves[:MOVES_LISTED]))
    if len(moves) > MOVES_LISTED:
        with st.expander(f"All {len(moves):,} moves"):
            st.dataframe({"move": moves}, hide_index=True, width="stretch")
else:
    st.success("Nothing moved: the current plan absorbs this scenario.")
