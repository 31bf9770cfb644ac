"""Data quality: what the checks found per plant and run, what was quarantined, what is stale or open."""

import plotly.express as px
import streamlit as st

from dashboards.lib import format as fmt
from dashboards.lib import quality
from dashboards.lib.plants import plants as all_plants

st.title("Data quality")
plant = st.selectbox("Plant", [*all_plants().plant_code, "NETWORK"], index=None, placeholder="All plants")
checks = quality.checks_by_plant(plant)
quarantined = quality.quarantine(plant)
sources = quality.sources(plant)
exceptions = quality.open_exceptions(plant)

tiles = st.columns(4)
tiles[0].metric("Checks failed", f"{int(checks.failed.sum()):,} of {int(checks.checks.sum()):,}", border=True)
tiles[1].metric("Quarantined rows", f"{len(quarantined):,}", border=True)
tiles[2].metric("Stale sources", f"{int(sources.stale.sum()):,}", border=True,
                help="Sources of plants whose latest extract is older than the plant allows (its max_extract_age_hours)")
tiles[3].metric("Open exceptions", f"{len(exceptions):,}", border=True)

st.subheader("Checks per plant")
if checks.failed.sum() == 0:
    st.success("No check failed.")
else:
    failed = checks.rename(columns={"failed": "All failed", "blocking_failed": "Blocking failed"})
    failed_chart = px.bar(failed.melt(id_vars="plant_code", value_vars=["All failed", "Blocking failed"]),
                          x="plant_code", y="value", color="variable", barmode="group",
                          labels={"plant_code": "Plant", "value": "Failed checks (count)", "variable": ""})
    # whole checks only: ticks at least one apart
    failed_chart.update_yaxes(rangemode="nonnegative", tick0=0, dtick=max(1, int(checks.failed.max()) // 5))
    st.plotly_chart(failed_chart, width="stretch")
with st.expander("Checks per run"):
    runs = quality.checks_by_run(plant)
    st.dataframe(runs, hide_index=True, width="stretch", column_config=fmt.headings(runs))

st.subheader("Quarantined rows")
if quarantined.empty:
    st.success("Nothing quarantined: every source row passed its rules.")
else:
    reasons = quarantined.groupby(["plant_code", "rule"], as_index=False).size()
    st.plotly_chart(px.bar(reasons, x="size", y="rule", color="plant_code", orientation="h",
                           labels={"size": "Quarantined rows (count)", "rule": "Rule", "plant_code": "Plant"}), width="stretch")
    st.dataframe(quarantined, hide_index=True, width="stretch", column_config=fmt.headings(quarantined))

st.subheader("Sources")
stale = sources[sources.stale]
if stale.empty:
    st.success("Every plant's latest extract is within the age its plant allows.")
else:
    st.warning(f"{len(stale)} source(s) older than their plant allows: "
               + ", ".join(f"{r.plant_code} {r.source_system}" for r in stale.itertuples()))
st.dataframe(sources, hide_index=True, width="stretch", column_config={
    **fmt.headings(sources), "age_hours": st.column_config.NumberColumn("Age", format="%.1f h")})

st.subheader("Open exceptions")
if exceptions.empty:
    st.success("No open exception.")
else:
    st.dataframe(exceptions, hide_index=True, width="stretch", column_config=fmt.headings(exceptions))
