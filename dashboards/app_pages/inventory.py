"""Inventory: positions against safety stock, shortages and excesses, and rebalancing to decide on."""

import os

import plotly.graph_objects as go
import streamlit as st

from dashboards.lib import filters, inventory, plans
from dashboards.lib import format as fmt
from orchestration.decisions import record_decision

st.title("Inventory")
chosen = filters.plant_family_item()
stock = inventory.positions(chosen.plants, chosen.families, chosen.item)
if stock.empty:
    st.info("No stock position matches these filters.")
    st.stop()

shortages, excesses = stock[stock.status == "shortage"], stock[stock.status == "excess"]
tiles = st.columns(4)
tiles[0].metric("Inventory value", fmt.eur(stock.inventory_value_eur.sum()), border=True)
tiles[1].metric("Positions", f"{len(stock):,}", border=True)
tiles[2].metric("Shortages", f"{len(shortages):,}", delta=f"{fmt.units(-shortages.gap_qty.sum())} below safety stock",
                delta_color="off", border=True)
tiles[3].metric("Excesses", f"{len(excesses):,}", delta=f"{fmt.units(excesses.gap_qty.sum())} above target",
                delta_color="off", border=True)
st.caption(f"Positions as of {stock.as_of_date.max():%d %b %Y}.")

st.subheader("On hand against safety stock")
CHART_POSITIONS = 40
if len(stock) > CHART_POSITIONS:
    st.caption(f"The {CHART_POSITIONS} positions furthest from target; the table lists all {len(stock):,}.")
chart_rows = stock.loc[stock.gap_qty.abs().sort_values(ascending=False).index[:CHART_POSITIONS]]
chart_rows = chart_rows.sort_values(["status", "gap_qty"])
label = chart_rows.plant_code + " · " + chart_rows.item_id
colors = chart_rows.status.map({"shortage": "#d62728", "ok": "#2ca02c", "excess": "#ff7f0e"})
chart = go.Figure([go.Bar(x=label, y=chart_rows.on_hand_qty, marker_color=colors, name="On hand",
                          customdata=chart_rows.status, hovertemplate="%{x}<br>%{y:,.0f} units on hand (%{customdata})"),
                   go.Scatter(x=label, y=chart_rows.safety_stock_qty, mode="markers", name="Safety stock",
                              marker={"symbol": "line-ew", "size": 18, "line": {"width": 3, "color": "black"}})])
chart.update_layout(yaxis_title="Units", xaxis_title="Plant · item", legend={"orientation": "h", "y": 1.1})
st.plotly_chart(chart, width="stretch")
st.dataframe(stock[["plant_code", "item_id", "item_name", "product_family", "on_hand_qty", "safety_stock_qty",
                    "days_of_supply", "status", "gap_qty", "inventory_value_eur"]],
             hide_index=True, width="stretch", column_config={
                 "plant_code": "Plant", "item_id": "Item", "item_name": "Name", "product_family": "Family",
                 "on_hand_qty": st.column_config.NumberColumn("On hand", format="%,.0f"),
                 "safety_stock_qty": st.column_config.NumberColumn("Safety stock", format="%,.0f"),
                 "days_of_supply": st.column_config.NumberColumn("Days of supply", format="%.1f d"),
                 "status": "Status", "gap_qty": st.column_config.NumberColumn("Gap (units)", format="%,.0f"),
                 "inventory_value_eur": st.column_config.NumberColumn("Value", format="euro")})

st.subheader("Proposed rebalancing transfers")
transfers = plans.rebalancing_transfers(plans.current_plan_id())
transfers = chosen.rows(transfers, ("from_plant_code", "to_plant_code"))
if transfers.empty:
    st.info("The current plan proposes no rebalancing transfer here: no plant above its target can cover "
            "a plant below its safety stock.")
    st.stop()

decided_by = st.text_input("Who decides", value=os.environ.get("USER", ""))
left, middle, right = st.columns([3, 2, 2])
transfer = left.selectbox("Transfer", transfers.transfer_id)
note = middle.text_input("Note (optional)")
for column, (decision, label) in zip(right.columns(2), (("approved", "Approve"), ("rejected", "Reject"))):
    if column.button(label, key=decision, disabled=not decided_by.strip()):
        record_decision("rebalancing_transfer", transfer, decision, decided_by, note)
        st.toast(f"{transfer}: {decision} by {decided_by}")
shown = inventory.with_decisions(transfers)
st.dataframe(shown[["transfer_id", "from_plant_code", "to_plant_code", "item_id", "qty", "cost", "transit_days",
                    "decision", "decided_by", "decided_at"]],
             hide_index=True, width="stretch", column_config={
                 "transfer_id": "Transfer", "from_plant_code": "From", "to_plant_code": "To", "item_id": "Item",
                 "qty": st.column_config.NumberColumn("Units", format="%,.0f"),
                 "cost": st.column_config.NumberColumn("Cost", format="euro"),
                 "transit_days": st.column_config.NumberColumn("Transit", format="%d d"),
                 "decision": "Decision", "decided_by": "Decided by",
                 "decided_at": st.column_config.DatetimeColumn("Decided at (UTC)", format="YYYY-MM-DD HH:mm")})
