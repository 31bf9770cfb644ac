"""Scenarios: take a plant or work center down, cut its capacity or a supplier's, or raise demand, and see what
moves."""

import pandas as pd
import plotly.express as px
import streamlit as st

from dashboards.lib import format as fmt
from dashboards.lib import inventory, plans, saved_scenarios, scenarios
from optimization.report import UNITS
from optimization.scenario import Scenario

st.title("Scenarios")
st.caption("What-if plans run on a copy of the published inputs, in this app's memory; no warehouse is written.")
plan_id = plans.current_plan_id()
periods = plans.horizon(plan_id)
weeks = list(range(1, periods + 1))

kind = st.radio("What happens", ["down", "cut", "supplier", "demand"], horizontal=True, format_func={
    "down": "A plant or work center goes down", "cut": "Capacity is cut", "supplier": "A supplier delivers less",
    "demand": "Demand rises"}.get)
first, last = st.select_slider("Periods (weeks of the plan)", options=weeks, value=(min(2, periods), min(3, periods)))
if kind == "demand":
    item = st.selectbox("Item", inventory.items([]), index=None, placeholder="All items")
    factor = st.slider("Demand factor", 1.0, 3.0, 1.5, 0.1, format="× %.1f")
    scenario = Scenario(f"demand {item or 'all'} x{factor:.1f}", demand_factor=[(item, None, factor, first, last)])
elif kind == "supplier":
    supplier = st.selectbox("Supplier", scenarios.suppliers(plan_id))
    keeps = st.slider("Share of its capacity it keeps", 0.0, 0.9, 0.5, 0.05, format="%.2f")
    scenario = Scenario(f"{supplier} at {keeps:.0%}", supplier_share=[(supplier, keeps, first, last)])
    if supplier is None:
        st.info("The current plan buys from no supplier: there is none to cut.")
        scenario = None
else:
    resource = st.selectbox("Plant or work center", scenarios.resources())
    if kind == "down":
        scenario = Scenario(f"{resource} down", down=[(resource, first, last)])
    else:
        keeps = st.slider("Share of capacity it keeps", 0.0, 0.9, 0.5, 0.05, format="%.2f")
        scenario = Scenario(f"{resource} at {keeps:.0%}", capacity_share=[(resource, keeps, first, last)])

if st.button("Re-plan", type="primary", disabled=scenario is None):
    with st.status("Re-planning…", expanded=True) as progress:
        st.write("Reading the inputs and solving the current plan (once per publish)…")
        current = scenarios.current_plan(periods)
        st.write(f"Re-planning with “{scenario.name}”, weeks {first}–{last}…")
        result = scenarios.run_scenario(current, scenario)
        progress.update(label=f"Re-planned “{scenario.name}” in {result.record.solve_seconds:.1f} s of solving",
                        state="complete", expanded=False)
    st.session_state.scenario = (plan_id, scenario.name, f"weeks {first}–{last}",
                                 scenarios.comparison(result), scenarios.production_by_plant(current, result),
                                 result.moves)

# metric, tile label, higher is better, unit on the tile (the label names it where the value would not fit)
HEADLINES = [("total_cost", "Total cost", False, "EUR"),
             ("on_time_fill_rate", "On-time fill rate", True, "share"),
             ("unit_weeks_late", "Unit-weeks late", False, "count"),
             ("end_backlog_units", "Backlog at horizon end", False, "units")]
PLANS = {"current": saved_scenarios.CURRENT, "scenario": "Scenario"}


def units_of(metrics: pd.Series) -> list[str]:
    return [UNITS.get(m, "EUR") for m in metrics]


def production_chart(production: pd.DataFrame, plans_shown: list[str]):
    """Units produced per plant over the horizon, one bar per plan."""
    return px.bar(production, x="plant_code", y="qty", color="plan", barmode="group",
                  category_orders={"plan": plans_shown},
                  labels={"plant_code": "Plant", "qty": "Units produced over the horizon", "plan": "Plan"})


if "scenario" not in st.session_state:
    st.info("Describe a disruption and press **Re-plan** to compare it with the current plan.")
else:
    made_on, name, weeks, figures, production, moves = st.session_state.scenario
    st.subheader(f"“{name}” against the current plan")
    shown = figures.set_index("metric")
    for column, (metric, label, higher_is_better, unit) in zip(st.columns(len(HEADLINES)), HEADLINES):
        column.metric(label, fmt.compact(shown.scenario[metric], unit),
                      **fmt.delta(shown.change[metric], unit, higher_is_better), border=True)
    st.caption("On time: shipped in the week it is due. Unit-weeks late: units owed, summed over the weeks "
               "they are owed (what the backlog cost prices).")
    st.table(fmt.figures_table(figures, units_of(figures.metric), PLANS, "change"))
    if made_on == plan_id:
        with st.form("save", border=False):
            field, button = st.columns([3, 1], vertical_alignment="bottom")
            save_as = field.text_input("Save as", value=f"{name}, {weeks}")
            if button.form_submit_button("Save scenario") and save_as.strip():
                saved_scenarios.save_scenario(plan_id, save_as, figures, production)
                st.toast(f"Saved “{save_as.strip()}”: compare it below")
    else:
        st.warning("A new plan was published since this re-plan: re-plan again to save it against the new "
                   "plan.")
    named = production.assign(plan=production.plan.map(PLANS))
    st.plotly_chart(production_chart(named, list(PLANS.values())), width="stretch")
    st.subheader("What moved")
    MOVES_LISTED = 30
    if moves:
        st.markdown("\n".join(f"- {line}" for line in moves[:MOVES_LISTED]))
        if len(moves) > MOVES_LISTED:
            with st.expander(f"All {len(moves):,} moves"):
                st.dataframe({"move": moves}, hide_index=True, width="stretch")
    else:
        st.success("Nothing moved: the current plan absorbs this scenario.")

st.subheader("Saved scenarios side by side")
saved = saved_scenarios.read_saved(plan_id)
if saved.on_other_plans:
    st.caption(f"{saved.on_other_plans:,} saved against earlier plans are not shown: they compare with a "
               "plan that is no longer current.")
if not saved.names:
    st.caption("None saved against the current plan yet: re-plan a scenario and save it to compare it here.")
else:
    figures, production = saved_scenarios.side_by_side(saved)
    plans_shown = [saved_scenarios.CURRENT, *saved.names]
    st.table(fmt.figures_table(figures, units_of(figures.metric), {plan: plan for plan in plans_shown}))
    st.plotly_chart(production_chart(production, plans_shown), width="stretch")
    chosen, button = st.columns([3, 1], vertical_alignment="bottom")
    doomed = chosen.selectbox("Saved scenario", saved.names)
    if button.button("Delete"):
        saved_scenarios.delete_saved(plan_id, doomed)
        st.rerun()
