"""Inventory: positions against their target range, shortages and excesses, and rebalancing to decide on."""

import os

import plotly.graph_objects as go
import streamlit as st

from dashboards.lib import decisions, filters, inventory, plans
from dashboards.lib import format as fmt

STATUS_COLORS = {"shortage": "#d62728", "ok": "#2ca02c", "excess": "#ff7f0e"}
CHART_POSITIONS = 25

st.title("Inventory")
chosen = filters.plant_family_item()
stock = inventory.positions(chosen.plants, chosen.families, chosen.item)
if stock.empty:
    st.info("No stock position matches these filters.")
    st.stop()

shortages, excesses = stock[stock.status == "shortage"], stock[stock.status == "excess"]
tiles = st.columns(4)
tiles[0].metric("Inventory value", fmt.compact(stock.inventory_value_eur.sum(), "EUR"), border=True)
tiles[1].metric("Positions", f"{len(stock):,}", border=True)
tiles[2].metric("Shortages", f"{len(shortages):,}", delta=f"{fmt.compact(-shortages.gap_qty.sum(), 'units')} short",
                delta_color="off", delta_arrow="off", border=True, help="Positions below their safety stock")
tiles[3].metric("Excesses", f"{len(excesses):,}", delta=f"{fmt.compact(excesses.gap_qty.sum(), 'units')} over",
                delta_color="off", delta_arrow="off", border=True, help="Positions above their maximum stock")
st.caption(f"Positions as of {stock.as_of_date.max():%d %b %Y}. A shortage is stock below safety stock; an excess is "
           "stock above the maximum: safety stock plus the network's cycle-stock days of demand (planning setting "
           "`cycle_stock_days`). Demand is the average daily outflow of the last 28 days: shipments, transfers out "
           "and, for components, what the plant's production of their parents consumed.")

st.subheader("On hand against the target range")
chart_rows = stock.loc[stock.gap_qty.abs().sort_values(ascending=False).index[:CHART_POSITIONS]]
if len(stock) > len(chart_rows):
    st.caption(f"The {len(chart_rows)} positions furthest outside their range; the table lists all {len(stock):,}.")
chart_rows = chart_rows.sort_values(["status", "gap_qty"], ascending=[False, True])
label = chart_rows.plant_code + " · " + chart_rows.item_id
chart = go.Figure([go.Bar(y=label[chart_rows.status == status], x=chart_rows.on_hand_qty[chart_rows.status == status],
                          orientation="h", name=f"On hand: {status}", marker_color=color,
                          hovertemplate="%{y}<br>%{x:,.0f} units on hand<extra></extra>")
                   for status, color in STATUS_COLORS.items() if (chart_rows.status == status).any()])
for column, name, symbol in (("safety_stock_qty", "Safety stock", "line-ns"), ("max_stock_qty", "Maximum", "diamond")):
    chart.add_trace(go.Scatter(y=label, x=chart_rows[column], mode="markers", name=name,
                               marker={"symbol": symbol, "size": 12, "color": "black", "line": {"width": 2}},
                               hovertemplate="%{y}<br>" + name + " %{x:,.0f} units<extra></extra>"))
chart.update_layout(xaxis_title="Units", yaxis_title="Plant · item", height=160 + 22 * len(chart_rows),
                    yaxis={"categoryorder": "array", "categoryarray": list(label)[::-1]},
                    legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"}, margin={"t": 40})
st.plotly_chart(chart, width="stretch")
st.dataframe(stock.assign(supply=inventory.days_of_supply(stock))[
                 ["plant_code", "item_id", "product_family", "on_hand_qty", "safety_stock_qty",
                  "max_stock_qty", "avg_daily_demand", "supply", "status", "gap_qty", "inventory_value_eur"]],
             hide_index=True, width="stretch", column_config={
                 "plant_code": "Plant", "item_id": "Item", "product_family": "Family",
                 "on_hand_qty": st.column_config.NumberColumn("On hand (u)", format="%,.0f"),
                 "safety_stock_qty": st.column_config.NumberColumn("Safety stock (u)", format="%,.0f"),
                 "max_stock_qty": st.column_config.NumberColumn("Maximum (u)", format="%,.0f"),
                 "avg_daily_demand": st.column_config.NumberColumn("Demand (u/day)", format="%,.1f"),
                 "supply": "Days of supply", "status": "Status",
                 "gap_qty": st.column_config.NumberColumn("Outside range (u)", format="%,.0f"),
                 "inventory_value_eur": st.column_config.NumberColumn("Value", format="euro")})

st.subheader("Proposed rebalancing transfers")
transfers = plans.rebalancing_transfers(plans.current_plan_id())
transfers = chosen.rows(transfers, ("from_plant_code", "to_plant_code"))
if transfers.empty:
    st.info("The current plan proposes no rebalancing transfer here: no plant above its maximum can cover "
            "a plant below its safety stock.")
    st.stop()

decided = decisions.in_force("rebalancing_transfer")
decided_by = st.text_input("Who decides", value=os.environ.get("USER", ""))
left, middle, right = st.columns([3, 2, 2])
transfer = left.selectbox("Transfer", transfers.transfer_id,
                          format_func=lambda t: f"{t} ({decided.decision[t]})" if t in decided.index else t)
note = middle.text_input("Note (optional)")
with right:
    decisions.buttons("rebalancing_transfer", transfer, decided_by, note,
                      decided.loc[transfer] if transfer in decided.index else None)
shown = transfers.merge(decided[["decision", "decided_by", "decided_at", "note"]], left_on="transfer_id",
                        right_index=True, how="left")
shown = shown.assign(decided_at=shown.decided_at.dt.strftime("%Y-%m-%d %H:%M")).fillna(
    {"decision": "open", "decided_by": "", "decided_at": "", "note": ""})
st.dataframe(shown[["transfer_id", "from_plant_code", "to_plant_code", "item_id", "qty", "cost", "transit_days",
                    "decision", "decided_by", "decided_at", "note"]],
             hide_index=True, width="stretch", column_config={
                 "transfer_id": "Transfer", "from_plant_code": "From", "to_plant_code": "To", "item_id": "Item",
                 "qty": st.column_config.NumberColumn("Units", format="%,.0f"),
                 "cost": st.column_config.NumberColumn("Cost", format="euro"),
                 "transit_days": st.column_config.NumberColumn("Transit", format="%d d"),
                 "decision": "Decision", "decided_by": "Decided by",
                 "decided_at": "Decided at (UTC)",
                 "note": "Note"})
