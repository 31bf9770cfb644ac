"""Customers: each customer's service in the order history and in the current plan, down to its items."""

import plotly.graph_objects as go
import streamlit as st

from dashboards.lib import charts, plans, service
from dashboards.lib import format as fmt

st.title("Customers")
plan_id = plans.current_plan_id()
st.caption(f"History: every order line in the warehouse (OTIF and fill on closed lines, lead time from order to "
           f"shipment). Plan: current plan `{plan_id}`; a unit is late when a week ends with it still owed, "
           "the oldest demand shipped first.")

COLUMNS = {
    "lines_due": st.column_config.NumberColumn("Closed lines", format="%d"),
    "otif_rate": st.column_config.NumberColumn("OTIF", format="percent"),
    "fill_rate": st.column_config.NumberColumn("Fill rate", format="percent"),
    "avg_lead_time_days": st.column_config.NumberColumn("Lead time (days)", format="%.1f"),
    "open_lines": st.column_config.NumberColumn("Open lines", format="%d"),
    "demand_qty": st.column_config.NumberColumn("Plan demand (units)", format="%.0f"),
    "on_time_qty": st.column_config.NumberColumn("Shipped on time (units)", format="%.0f"),
    "late_qty": st.column_config.NumberColumn("Units late", format="%.0f"),
    "weeks_late": st.column_config.NumberColumn("Weeks late", format="%d"),
    "unmet_qty": st.column_config.NumberColumn("Unmet at horizon end (units)", format="%.0f"),
    "on_time_share": st.column_config.NumberColumn("Plan on time", format="percent"),
}
weekly = service.weekly(plan_id)
customers = service.history().merge(service.plan_service(weekly, ["customer_id"]), on="customer_id", how="left")
st.dataframe(customers[["customer_id", "customer_name", "customer_kind", "country", *COLUMNS]], hide_index=True,
             width="stretch", column_config={"customer_id": "Customer", "customer_name": "Name", "customer_kind": "Kind",
                                             "country": "Country", **COLUMNS})

customer = st.selectbox("Customer", customers.customer_id,
                        format_func=lambda c: f"{c} · {customers.set_index('customer_id').customer_name[c]}")
chosen = customers.set_index("customer_id").loc[customer]
tiles = st.columns(4)
tiles[0].metric("OTIF (history)", fmt.share(chosen.otif_rate), border=True)
tiles[1].metric("Lead time (history)", fmt.days(chosen.avg_lead_time_days), border=True)
tiles[2].metric("Plan demand", fmt.units(chosen.demand_qty), border=True)
tiles[3].metric("Units late in plan", fmt.units(chosen.late_qty), border=True)

own = weekly[weekly.customer_id == customer]
items = service.item_history(customer).merge(service.plan_service(own, ["item_id"]), on="item_id", how="outer")
st.subheader(f"Items of {customer}")
st.dataframe(items[["item_id", *COLUMNS]], hide_index=True, width="stretch",
             column_config={"item_id": "Item", **COLUMNS})

if not own.empty:
    by_week = own.groupby("week_start", as_index=False)[["demand_qty", "shipped_qty", "backlog_qty"]].sum()
    chart = go.Figure([go.Bar(x=by_week.week_start, y=by_week.demand_qty, name="Demand"),
                       go.Bar(x=by_week.week_start, y=by_week.shipped_qty, name="Planned shipments"),
                       go.Scatter(x=by_week.week_start, y=by_week.backlog_qty, name="Backlog at week end",
                                  mode="lines+markers", line={"color": "firebrick"})])
    chart.update_layout(legend=charts.LEGEND, yaxis_title="Units per week", xaxis=charts.week_axis(by_week.week_start))
    st.plotly_chart(chart, width="stretch")
