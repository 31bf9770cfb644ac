"""Customers: each customer's service in the order history and in the current plan, down to its items."""

import plotly.graph_objects as go
import streamlit as st

from dashboards.lib import charts, columns, plans, service
from dashboards.lib import format as fmt

st.title("Customers")
plan_id = plans.current_plan_id()
st.caption("History: every order line in the warehouse (OTIF and fill on closed lines, lead time from "
           f"order to shipment). Plan: current plan `{plan_id}`; a unit is late when a week ends with it "
           "still owed, the oldest demand shipped first; each open order's promised date and, when late, why.")

SERVICE = {
    "lines_due": columns.count("Closed lines"), "otif_rate": columns.share("OTIF"),
    "fill_rate": columns.share("Fill rate"),
    "avg_lead_time_days": st.column_config.NumberColumn("Lead time (days)", format="%.1f"),
    "open_lines": columns.count("Open lines"), "demand_qty": columns.units("Plan demand"),
    "on_time_qty": columns.units("Shipped on time"), "late_qty": columns.units("Late"),
    "weeks_late": columns.count("Weeks late"), "unmet_qty": columns.units("Unmet at horizon end"),
    "on_time_share": columns.share("Plan on time"),
}
weekly = service.weekly(plan_id)
customers = service.history().merge(service.plan_service(weekly, ["customer_id"]), on="customer_id",
                                    how="left")
st.dataframe(customers[["customer_id", "customer_name", "customer_kind", "country", *SERVICE]],
             hide_index=True, width="stretch",
             column_config={"customer_id": "Customer", "customer_name": "Name", "customer_kind": "Kind",
                            "country": "Country", **SERVICE})

names = customers.set_index("customer_id").customer_name
customer = st.selectbox("Customer", customers.customer_id, format_func=lambda c: f"{c} · {names[c]}")
chosen = customers.set_index("customer_id").loc[customer]
tiles = st.columns(4)
tiles[0].metric("OTIF (history)", fmt.share(chosen.otif_rate), border=True)
tiles[1].metric("Lead time (history)", fmt.days(chosen.avg_lead_time_days), border=True)
tiles[2].metric("Plan demand", fmt.units(chosen.demand_qty), border=True)
tiles[3].metric("Units late in plan", fmt.units(chosen.late_qty), border=True)

own = weekly[weekly.customer_id == customer]
items = service.item_history(customer).merge(service.plan_service(own, ["item_id"]), on="item_id",
                                             how="outer")
st.subheader(f"Items of {customer}")
st.dataframe(items[["item_id", *SERVICE]], hide_index=True, width="stretch",
             column_config={"item_id": "Item", **SERVICE})

if not own.empty:
    by_week = own.groupby("week_start", as_index=False)[["demand_qty", "shipped_qty", "backlog_qty"]].sum()
    chart = go.Figure([go.Bar(x=by_week.week_start, y=by_week.demand_qty, name="Demand"),
                       go.Bar(x=by_week.week_start, y=by_week.shipped_qty, name="Planned shipments"),
                       go.Scatter(x=by_week.week_start, y=by_week.backlog_qty, name="Backlog at week end",
                                  mode="lines+markers", line={"color": "firebrick"})])
    chart.update_layout(legend=charts.LEGEND, yaxis_title="Units per week",
                        xaxis=charts.week_axis(by_week.week_start))
    st.plotly_chart(chart, width="stretch")

promises = service.promises(plan_id)
PROMISES = {"order_line_id": "Order line", "customer_id": "Customer", "item_id": "Item",
            "requested_date": st.column_config.DateColumn("Requested"), "open_qty": columns.units("Open"),
            "plant_codes": "Served from", "promised_date": st.column_config.DateColumn("Promised"),
            "days_late": columns.count("Days late"), "unmet_qty": columns.units("Unmet at horizon end"),
            "late_reason": "Late because of", "reason_detail": "What limits it"}
st.subheader(f"Open orders of {customer}")
st.caption("Every open order line is pegged to the plan's shipments, oldest due week first, and each shipment to "
           "its plant's supply first in, first out. Promised: the shipping week's start plus the delivery lane's "
           "transit days (the last part's, for a line shipped in parts). Late: shipped after its due week, or not "
           "within the horizon. Capacity: a work center making the item or its components runs full between due "
           "and shipping week; material: a purchased material runs out or its supplier is at capacity; lane: a "
           "lane bringing the item is full, or its transit alone ends after the due week.")
st.dataframe(promises.loc[promises.customer_id == customer, [c for c in PROMISES if c != "customer_id"]],
             hide_index=True, width="stretch", column_config=PROMISES)

late = promises[promises.is_late]
st.subheader(f"Late open orders of every customer: {len(late):,} of {len(promises):,}")
st.dataframe(late[list(PROMISES)], hide_index=True, width="stretch", column_config=PROMISES)
