"""Network map: plants, lanes and customers as a schematic, with each lane's terms and the plan's flow."""

import streamlit as st

from dashboards.lib import columns, network_map, plans

st.title("Network map")
plan_id = plans.current_plan_id()
st.caption(f"Current plan `{plan_id}`. Material flows left to right: suppliers, the plants they feed, then "
           "customers. Line width is the plan's flow; hover a diamond for a lane's transit, cost and "
           "capacity.")

nodes = network_map.nodes()
lanes = network_map.lanes(plan_id)
st.plotly_chart(network_map.figure(network_map.layout(nodes, lanes), lanes), width="stretch")

st.subheader("Lanes")
st.caption("No capacity (None) means the lane has no limit in the plan.")
st.dataframe(lanes, hide_index=True, width="stretch",
             column_config={"lane_id": "Lane", "lane_kind": "Kind", "from_code": "From", "to_code": "To",
                            "transit_days": columns.count("Transit (days)"),
                            "cost_per_unit_eur": st.column_config.NumberColumn("Cost (EUR per unit)",
                                                                               format="%.2f"),
                            "capacity_per_week": columns.units("Capacity per week"),
                            "planned_qty": columns.units("Planned over the plan"),
                            "peak_week_qty": columns.units("Busiest week"),
                            "peak_capacity_use": columns.share("Busiest week, share of capacity")})
unreached = sorted(set(nodes[nodes.kind == "customer"].node) - set(lanes.to_code))
if unreached:
    st.warning(f"No delivery lane reaches {', '.join(unreached)}: the plan cannot serve them.")
