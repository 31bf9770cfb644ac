"""Projected inventory: the plan's stock by week per item and plant, against safety stock."""

import plotly.graph_objects as go
import streamlit as st

from dashboards.lib import charts, columns, filters, plans, projected
from dashboards.lib import format as fmt

st.title("Projected inventory")
plan_id = plans.current_plan_id()
st.caption(f"Current plan `{plan_id}`: stock at the end of each week after production, transfers, shipments "
           "and consumption by assemblies, in units.")

chosen = filters.plant_family_item()
stock = chosen.rows(projected.inventory(plan_id))
if stock.empty:
    st.info("The plan keeps no stock in this selection.")
    st.stop()

pairs = stock[["plant_code", "item_id"]].drop_duplicates()
below = stock[stock.shortfall_qty > 0]
tiles = st.columns(3)
tiles[0].metric("Plant-items below safety stock",
                f"{len(below[['plant_code', 'item_id']].drop_duplicates()):,} of {len(pairs):,}", border=True)
tiles[1].metric("Largest shortfall", fmt.units(below.shortfall_qty.max() if len(below) else 0), border=True)
tiles[2].metric("Stock at horizon end", fmt.units(stock[stock.period == stock.period.max()].qty.sum()),
                border=True)

chart = go.Figure()
if chosen.item:
    for plant, rows in stock.groupby("plant_code"):
        chart.add_scatter(x=rows.week_start, y=rows.qty, name=f"{plant} stock", mode="lines+markers")
        chart.add_scatter(x=rows.week_start, y=rows.safety_stock_qty, name=f"{plant} safety stock",
                          mode="lines", line={"dash": "dash"})
else:
    totals = stock.groupby("week_start", as_index=False)[["qty", "safety_stock_qty"]].sum()
    chart.add_scatter(x=totals.week_start, y=totals.qty, name="Projected stock", mode="lines+markers")
    chart.add_scatter(x=totals.week_start, y=totals.safety_stock_qty, name="Safety stock", mode="lines",
                      line={"color": "black", "dash": "dash"})
chart.update_layout(legend=charts.LEGEND, yaxis_title="Stock at week end (units)",
                    xaxis=charts.week_axis(stock.week_start))
st.plotly_chart(chart, width="stretch")
if not chosen.item:
    st.caption("All items of the selection added up; choose an item to see each plant against its "
               "safety stock.")

st.subheader("Projected stock by week (units)")
table = projected.grid(stock)
st.dataframe(table, hide_index=True, width="stretch",
             column_config={"plant_code": "Plant", "item_id": "Item",
                            "safety_stock_qty": columns.units("Safety stock"),
                            "weeks_below": columns.count("Weeks below safety"),
                            **{week: st.column_config.NumberColumn(week, format="%.0f")
                               for week in table.columns[4:]}})
