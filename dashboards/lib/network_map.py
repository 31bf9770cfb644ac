"""The network as a schematic: plants and customers as nodes, lanes as edges, laid out left to right by flow.

No geography: the warehouse has no coordinates and the app fetches nothing from the internet (no tiles).
Plants that receive no transfers stand in the first column, each plant one column right of its furthest
supplier, customers in the last; within a column nodes sit near the nodes that feed them.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.lib import format as fmt
from dashboards.lib.warehouse import query

COLORS = {"transfer": "#1f77b4", "delivery": "#7f7f7f"}
NODES = {"plant": ("square", "#2ca02c"), "customer": ("circle", "#ff7f0e")}


def nodes() -> pd.DataFrame:
    """Every plant and customer: node id, name, kind (plant or customer), country."""
    return query("""SELECT plant_code AS node, plant_name AS name, 'plant' AS kind, country
                    FROM marts.dim_plant
                    UNION ALL
                    SELECT customer_id, customer_name, 'customer', country FROM marts.dim_customer
                    ORDER BY kind DESC, node""")


def lanes(plan_id: str) -> pd.DataFrame:
    """Every lane with its terms and the current plan's flow on it (transfers, or shipments to a customer)."""
    return query("""WITH flow AS (
                         SELECT from_plant_code AS from_code, to_plant_code AS to_code, period,
                                sum(qty) AS qty
                         FROM plans.plan_transfers WHERE plan_id = ? GROUP BY ALL
                         UNION ALL
                         SELECT plant_code, customer_id, period, sum(qty) FROM plans.plan_shipments
                         WHERE plan_id = ? GROUP BY ALL)
                     SELECT l.lane_id, l.lane_kind, l.from_code, l.to_code, l.transit_days,
                            l.cost_per_unit_eur, l.capacity_per_day * 7 AS capacity_per_week,
                            coalesce(sum(f.qty), 0) AS planned_qty, coalesce(max(f.qty), 0) AS peak_week_qty,
                            max(f.qty) / any_value(l.capacity_per_day * 7) AS peak_capacity_use
                     FROM marts.dim_lane l LEFT JOIN flow f USING (from_code, to_code)
                     GROUP BY ALL ORDER BY l.lane_kind DESC, l.from_code, l.to_code""", [plan_id, plan_id])


def layout(nodes: pd.DataFrame, lanes: pd.DataFrame) -> pd.DataFrame:
    """x (column) and y (row) for each node, as described in the module docstring."""
    transfers = lanes[lanes.lane_kind == "transfer"]
    plants = list(nodes[nodes.kind == "plant"].node)
    column = {plant: 0 for plant in plants}
    for _ in plants:  # longest path from a plant no transfer reaches; a cycle stops after one pass per plant
        for lane in transfers.itertuples():
            if lane.from_code in column and lane.to_code in column:
                column[lane.to_code] = max(column[lane.to_code], column[lane.from_code] + 1)
    last = max(column.values(), default=-1) + 1
    for customer in nodes[nodes.kind == "customer"].node:
        column[customer] = last
    tallest = max(pd.Series(column).value_counts(), default=1)
    row: dict[str, float] = {}
    for x in sorted(set(column.values())):
        members = [node for node in nodes.node if column[node] == x]
        feeders = {m: [row[f] for f in lanes[lanes.to_code == m].from_code if f in row] for m in members}
        members.sort(key=lambda m: (sum(feeders[m]) / len(feeders[m]) if feeders[m] else 0.0, m))
        for rank, member in enumerate(members):  # every column spread over the same height
            row[member] = ((rank + 0.5) / len(members) - 0.5) * tallest
    return nodes.assign(x=nodes.node.map(column), y=nodes.node.map(row))


def figure(placed: pd.DataFrame, lanes: pd.DataFrame) -> go.Figure:
    """Nodes as markers, one line per lane (width by planned flow), a hover point at each lane's middle."""
    at = placed.set_index("node")
    biggest = max(lanes.planned_qty.max(), 1.0)
    chart = go.Figure()
    for kind, kind_lanes in lanes.groupby("lane_kind", sort=False):
        ends = list(zip(kind_lanes.from_code, kind_lanes.to_code))
        for (start, end), flow in zip(ends, kind_lanes.planned_qty):
            chart.add_scatter(x=[at.x[start], at.x[end]], y=[at.y[start], at.y[end]], mode="lines",
                              line={"width": 1 + 9 * flow / biggest, "color": COLORS[kind]},
                              hoverinfo="skip", showlegend=False)
        chart.add_scatter(x=[(at.x[f] + at.x[t]) / 2 for f, t in ends],
                          y=[(at.y[f] + at.y[t]) / 2 for f, t in ends],
                          mode="markers", marker={"size": 9, "color": COLORS[kind], "symbol": "diamond"},
                          name=f"{kind.capitalize()} lanes", customdata=kind_lanes.lane_id,
                          hovertext=[_lane_text(lane) for lane in kind_lanes.itertuples()], hoverinfo="text")
    for kind, (symbol, color) in NODES.items():
        members = placed[placed.kind == kind]
        chart.add_scatter(x=members.x, y=members.y, mode="markers", name=f"{kind.capitalize()}s",
                          marker={"size": 26, "symbol": symbol, "color": color,
                                  "line": {"width": 1, "color": "white"}},
                          customdata=members.node, hovertext=members.name + " (" + members.country + ")",
                          hoverinfo="text")
        for node in members.itertuples():  # labels on a white ground so lanes never run through them
            chart.add_annotation(x=node.x, y=node.y, text=f"<b>{node.node}</b> {node.name}", showarrow=False,
                                 bgcolor="rgba(255, 255, 255, 0.85)", yshift=24 if kind == "plant" else 0,
                                 xshift=0 if kind == "plant" else 18,
                                 xanchor="center" if kind == "plant" else "left")
    columns = int(placed.x.max()) + 1 if len(placed) else 1
    tallest = int(placed.groupby("x").size().max()) if len(placed) else 1
    chart.update_layout(height=max(420, 90 * tallest), legend_orientation="h",
                        xaxis={"visible": False, "range": [-0.5, columns + 0.2]},
                        yaxis={"visible": False, "autorange": "reversed"},
                        margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return chart


def _lane_text(lane) -> str:
    limit = lane.capacity_per_week
    capacity = "unlimited" if pd.isna(limit) else f"{limit:,.0f} units per week"
    return (f"<b>{lane.lane_id}</b><br>transit {lane.transit_days} days, "
            f"{fmt.eur(lane.cost_per_unit_eur, 2)} per unit<br>capacity {capacity}<br>"
            f"planned {fmt.units(lane.planned_qty)} over the plan")
