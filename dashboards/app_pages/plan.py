"""Plan: the current network plan: production, capacity load, transfers, backlog and bottlenecks."""

import os

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboards.lib import decisions, filters, plans
from dashboards.lib import format as fmt

st.title("Plan")
plan_id = plans.current_plan_id()
run = plans.run(plan_id)
st.caption(f"Current plan `{plan_id}`, made {run.created_at} by {run.trigger}: {run.status}, "
           f"objective {fmt.eur(run.objective)}.")

chosen = filters.plant_family_item()
production = chosen.rows(plans.production(plan_id))
capacity = chosen.rows(plans.capacity(plan_id))
transfers = chosen.rows(plans.transfers(plan_id), ("from_plant_code", "to_plant_code"))
backlog = chosen.rows(plans.backlog(plan_id), plant_columns=())  # backlog is owed to customers, not by plants
bottlenecks = plans.bottlenecks(plan_id)

tiles = st.columns(4)
tiles[0].metric("Planned production (units)", fmt.compact(production.qty.sum(), "count"), border=True)
tiles[1].metric("Transfers (units)", fmt.compact(transfers.qty.sum(), "count"), border=True)
tiles[2].metric("Overtime", fmt.compact(capacity.overtime_hours.sum(), "hours"), border=True)
tiles[3].metric("Backlog at horizon end (units)",
                fmt.compact(backlog[backlog.period == backlog.period.max()].qty.sum(), "count"), border=True)

st.subheader("Production by plant and week")
by_week = production.groupby(["period_start", "plant_code"], as_index=False).qty.sum()
st.plotly_chart(px.bar(by_week, x="period_start", y="qty", color="plant_code",
                       labels={"period_start": "Week", "qty": "Units", "plant_code": "Plant"}), width="stretch")

st.subheader("Capacity load against available, by work center")
if capacity.empty:
    st.info("No work center in this selection.")
else:
    work_center = st.selectbox("Work center", sorted(capacity.work_center_id.unique()),
                               index=int(capacity.groupby("work_center_id").utilization.max().argmax()))
    load = capacity[capacity.work_center_id == work_center]
    chart = go.Figure([go.Bar(x=load.period, y=load.used_hours - load.overtime_hours, name="Regular hours used"),
                       go.Bar(x=load.period, y=load.overtime_hours, name="Overtime"),
                       go.Scatter(x=load.period, y=load.available_hours, name="Available", mode="lines+markers",
                                  line={"color": "black", "dash": "dash"})])
    chart.update_layout(barmode="stack", xaxis_title="Period (week)", yaxis_title="Hours", legend_orientation="h")
    st.plotly_chart(chart, width="stretch")
    grid = capacity.pivot_table(index="work_center_id", columns="period", values="utilization")
    st.plotly_chart(px.imshow(grid, aspect="auto", color_continuous_scale="RdYlGn_r", zmin=0, zmax=1.25,
                              labels={"x": "Period", "y": "Work center", "color": "Load"}), width="stretch")

st.subheader("Transfers between plants")
flows = transfers.groupby(["from_plant_code", "to_plant_code"], as_index=False).qty.sum()
if flows.empty:
    st.info("The plan moves nothing between these plants.")
else:
    nodes = sorted(set(flows.from_plant_code) | set(flows.to_plant_code))
    sankey = go.Figure(go.Sankey(node={"label": nodes, "pad": 20},
                                 link={"source": [nodes.index(p) for p in flows.from_plant_code],
                                       "target": [nodes.index(p) for p in flows.to_plant_code],
                                       "value": flows.qty, "hovertemplate": "%{value:,.0f} units"}))
    st.plotly_chart(sankey, width="stretch")

left, right = st.columns(2)
left.subheader("Backlog")
if backlog.empty or backlog.qty.sum() == 0:
    left.success("No backlog: every demand in this selection is met on time.")
else:
    left.plotly_chart(px.bar(backlog.groupby(["period", "customer_name"], as_index=False).qty.sum(), x="period",
                             y="qty", color="customer_name", labels={"qty": "Units late", "period": "Period"}),
                      width="stretch")
right.subheader("Bottlenecks")
if bottlenecks.empty:
    right.success("No bottleneck: no work center, lane or safety stock at its limit.")
else:
    right.dataframe(bottlenecks, hide_index=True, width="stretch", column_config=fmt.headings(bottlenecks))

proposals = plans.proposals()
if not proposals.empty:
    st.subheader("Plan proposals waiting for a decision")
    decided = decisions.in_force("plan_proposal")
    decided_by = st.text_input("Who decides", value=os.environ.get("USER", ""))
    for proposal in proposals.itertuples():
        with st.container(border=True):
            st.markdown(f"**{proposal.plan_id}** · {proposal.reason} by {proposal.made_by}, {proposal.made_at}: "
                        f"{proposal.detail}")
            for line in plans.what_moved(proposal.plan_id):
                st.markdown(f"- {line}")
            earlier = decided.loc[proposal.plan_id] if proposal.plan_id in decided.index else None
            note = "" if earlier is not None else st.text_input("Note (optional)", key=f"note-{proposal.plan_id}")
            decisions.buttons("plan_proposal", proposal.plan_id, decided_by, note, earlier)
