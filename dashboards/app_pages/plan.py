"""Plan: the current network plan: production, capacity load, transfers, backlog and bottlenecks."""

import os

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboards.lib import charts, decisions, filters, plans, weeks
from dashboards.lib import format as fmt
from optimization.report import FULL_LOAD

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

calendar = weeks.weeks(plan_id)
week_axis = charts.week_axis(calendar.week_start)

st.subheader("Production by plant and week")
by_week = production.groupby(["period_start", "plant_code"], as_index=False).qty.sum()
chart = px.bar(by_week, x="period_start", y="qty", color="plant_code",
               labels={"plant_code": "Plant", "qty": "Planned production (units)"})
st.plotly_chart(chart.update_layout(xaxis=week_axis, legend=charts.LEGEND), width="stretch")

st.subheader("Capacity load against available, by work center")
capacity = capacity.merge(calendar, on="period")
if capacity.empty:
    st.info("No work center in this selection.")
else:
    work_center = st.selectbox("Work center", sorted(capacity.work_center_id.unique()),
                               index=int(capacity.groupby("work_center_id").utilization.max().argmax()))
    load = capacity[capacity.work_center_id == work_center]
    chart = go.Figure([
        go.Bar(x=load.week_start, y=load.used_hours - load.overtime_hours, name="Regular hours used"),
        go.Bar(x=load.week_start, y=load.overtime_hours, name="Overtime"),
        go.Scatter(x=load.week_start, y=load.available_hours, name="Regular hours available",
                   mode="lines+markers", line={"color": "black", "dash": "dash"})])
    chart.update_layout(barmode="stack", xaxis=week_axis, yaxis_title="Hours per week (h)",
                        legend=charts.LEGEND)
    st.plotly_chart(chart, width="stretch")
    st.caption("The orders behind each week's hours are on the Work-center load page.")
    grid = capacity.pivot_table(index="work_center_id", columns="week_start", values="utilization")
    heatmap = go.Figure(go.Heatmap(
        x=grid.columns, y=grid.index, z=grid.to_numpy() * 100, zmin=0, zmax=125, colorscale="RdYlGn_r",
        colorbar={"title": {"text": "Load (% of regular hours)"}},
        hovertemplate="%{y}, week of %{x|%d %b %Y}: %{z:.0f}%<extra></extra>"))
    heatmap.update_layout(xaxis=week_axis, yaxis={"title": "Work center", "autorange": "reversed"},
                          height=max(300, 24 * len(grid) + 120))
    st.plotly_chart(heatmap, width="stretch")

st.subheader("Transfers between plants")
if transfers.empty:
    st.info("The plan moves nothing between these plants.")
else:
    st.caption("Units the plan moves over its horizon: each row ships, each column receives.")
    matrix = transfers.pivot_table(index="from_plant_code", columns="to_plant_code", values="qty",
                                   aggfunc="sum", fill_value=0, margins=True, margins_name="Total")
    matrix = matrix.rename_axis(index="From plant", columns=None).reset_index()
    headings = {c: "Total shipped" if c == "Total" else f"To {c}" for c in matrix.columns[1:]}
    st.dataframe(matrix, hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(h, format="%.0f")
                                for c, h in headings.items()})

st.subheader("Backlog")
if backlog.empty or backlog.qty.sum() == 0:
    st.success("No backlog: every demand in this selection is met on time.")
else:
    late = backlog.merge(calendar, on="period").groupby(["week_start", "customer_name"],
                                                        as_index=False).qty.sum()
    chart = px.bar(late, x="week_start", y="qty", color="customer_name",
                   labels={"qty": "Backlog at week end (units)", "customer_name": "Customer"})
    chart.update_layout(xaxis=charts.week_axis(calendar.week_start, most_ticks=6), legend=charts.LEGEND)
    st.plotly_chart(chart, width="stretch")
st.subheader("Bottlenecks")
if bottlenecks.empty:
    st.success("No bottleneck: every work center has regular hours to spare and no lane is full. Stock below "
               "safety and idle work centers are on the Exceptions page.")
else:
    st.caption(f"A work center is a bottleneck where it uses {FULL_LOAD:.1%} or more of its regular hours, "
               "whether or not overtime is left; each line says the overtime it adds and where that runs out "
               "too.")
    shown = bottlenecks[["kind", "subject", "periods", "message"]]
    st.dataframe(shown, hide_index=True, width="stretch", column_config={
        **fmt.headings(shown), "message": st.column_config.TextColumn("What limits the plan", width="large")})

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
