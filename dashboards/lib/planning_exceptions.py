"""The current plan's exceptions in one list: late orders, stock below safety, bottlenecks, idle work centers.

Every kind, its severity and a late order's reason follow a stated rule (`RULES`, shown on the page):
- A late order is a customer and item with backlog at the end of some week of the plan. Its reason is
  capacity when, in one of its late weeks, every plant with a routing for the item has a work center on
  that routing using all its regular hours (the plan's bottleneck rule, `FULL_LOAD`); else lane when
  the customer has no delivery lane, or a capacity-limited transfer lane into a plant that delivers to
  the customer is full in a late week (delivery lanes have no capacity in the plan); else supply: the
  delivering plants lack stock or components in time while capacity and lanes have room.
- Stock below safety is a plant and item whose projected stock ends a week below its safety stock.
- Bottlenecks are the plan's own (plans.plan_bottlenecks) less unmet demand, which shows as late orders.
- An idle resource is a work center whose planned hours stay below `IDLE_BELOW` of its regular hours.
"""

from __future__ import annotations

import re

import pandas as pd

from dashboards.lib import format as fmt
from dashboards.lib import plans, projected, service, workload
from dashboards.lib.warehouse import query
from dashboards.lib.weeks import span, weeks
from optimization.report import FULL_LOAD

IDLE_BELOW = 0.30  # planned load over regular hours across the horizon
FULL = 1e-6  # hours or units short of a limit that still count as at it
KINDS = ["late order", "below safety stock", "bottleneck", "idle resource"]
HEADINGS = dict(zip(KINDS, ["Late orders", "Below safety stock", "Bottlenecks", "Idle resources"]))
SEVERITIES = ["high", "medium", "low"]
RULES = {
    "late order": ("high: still unmet at the horizon end; medium: late 2 weeks or more; low: late 1 week. "
                   "Reason: capacity if in a late week every plant that makes the item has a work center "
                   "on its routing using all its regular hours; else lane if the customer has no delivery "
                   "lane or a capacity-limited transfer lane into a plant delivering to it is full in a late "
                   "week; else supply (stock or components not there in time)."),
    "below safety stock": ("high: projected stock runs out (0 units) in some week; medium: falls below half "
                           "the safety stock; low: below safety stock."),
    "bottleneck": ("the plan's bottlenecks: high: a work center that needs overtime in those weeks; medium: "
                   "a work center at its regular hours, a full lane, or a supplier whose capacity is bought up."),
    "idle resource": (f"low: a work center planned below {IDLE_BELOW:.0%} of its regular hours over the "
                      "horizon."),
}
COLUMNS = ["severity", "kind", "plant_code", "subject", "weeks", "size", "message", "customer_id", "item_id",
           "work_center_id", "lane_id", "first_period", "last_period"]


def exceptions(plan_id: str) -> pd.DataFrame:
    """Every exception of the plan, most severe first."""
    found = pd.concat([late_orders(plan_id), below_safety(plan_id), bottlenecks(plan_id), idle(plan_id)],
                      ignore_index=True)
    order = found.severity.map(SEVERITIES.index) * 10 + found.kind.map(KINDS.index)
    return found.iloc[order.argsort(kind="stable")].reset_index(drop=True)[COLUMNS]


def _rows(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(kind=kind).reindex(columns=COLUMNS)


def late_orders(plan_id: str) -> pd.DataFrame:
    weekly = service.weekly(plan_id)
    late = weekly[weekly.backlog_qty > FULL]
    lateness = weekly.groupby(["customer_id", "item_id"]).late_qty.sum()
    calendar = weeks(plan_id).set_index("period").week_start
    last = calendar.index.max()
    homes = query("SELECT customer_id, item_id, mode(plant_code) AS plant_code FROM marts.fct_demand "
                  "GROUP BY ALL").set_index(["customer_id", "item_id"]).plant_code
    full_work_centers, full_lanes, delivering = _limits(plan_id)
    makers = query("""SELECT r.item_id, r.plant_code, list(r.work_center_id) AS centers
                      FROM marts.fct_routings r JOIN marts.dim_work_center w USING (work_center_id)
                      GROUP BY ALL""")
    makers = {item: dict(zip(rows.plant_code, rows.centers)) for item, rows in makers.groupby("item_id")}
    rows = []
    for (customer, item), order in late.groupby(["customer_id", "item_id"]):
        periods = order.period
        unmet = float(order[order.period == last].backlog_qty.sum())
        severity = "high" if unmet > FULL else "medium" if len(periods) >= 2 else "low"
        reason = _reason(customer, makers.get(item, {}), periods, full_work_centers, full_lanes, delivering)
        units_late = float(lateness[(customer, item)])
        still = f", {fmt.units(unmet)} still unmet at the horizon end" if unmet > FULL else ""
        rows.append({"severity": severity, "plant_code": homes.get((customer, item)),
                     "subject": f"{customer} / {item}", "size": fmt.units(units_late),
                     "weeks": span(calendar[periods.min()], calendar[periods.max()]),
                     "message": f"{fmt.units(units_late)} of {item} for {customer} late in {len(periods)} "
                                f"week(s){still}. Reason: {reason}",
                     "customer_id": customer, "item_id": item, "first_period": periods.min(),
                     "last_period": periods.max()})
    return _rows("late order", pd.DataFrame(rows))


def _limits(plan_id: str) -> tuple[set, set, dict]:
    """(work center, period) using all regular hours, (to plant, period) of full transfer lanes,
    and customer -> the plants with a delivery lane to it."""
    capacity = query("SELECT work_center_id, period, used_hours, available_hours FROM plans.plan_capacity "
                     "WHERE plan_id = ?", [plan_id])
    full = capacity[capacity.used_hours >= FULL_LOAD * capacity.available_hours]  # a center down is full
    lanes = query("""SELECT t.to_plant_code, t.period FROM plans.plan_transfers t
                     JOIN marts.dim_lane l ON l.from_code = t.from_plant_code AND l.to_code = t.to_plant_code
                     WHERE t.plan_id = ? AND l.capacity_per_day IS NOT NULL
                     GROUP BY t.from_plant_code, t.to_plant_code, t.period, l.capacity_per_day
                     HAVING sum(t.qty) >= l.capacity_per_day * 7 - ?""", [plan_id, FULL])
    delivery = query("SELECT to_code AS customer_id, list(from_code) AS plants FROM marts.dim_lane "
                     "WHERE lane_kind = 'delivery' GROUP BY ALL")
    return (set(zip(full.work_center_id, full.period)), set(zip(lanes.to_plant_code, lanes.period)),
            dict(zip(delivery.customer_id, delivery.plants)))


def _reason(customer: str, makers: dict, periods: pd.Series, full_work_centers: set, full_lanes: set,
            delivering: dict) -> str:
    for period in periods:
        full = {w for centers in makers.values() for w in centers if (w, period) in full_work_centers}
        if makers and all(full.intersection(centers) for centers in makers.values()):
            at_limit = sorted(full)
            return f"capacity: {', '.join(at_limit)} use all regular hours in week {period} of the plan."
    plants = list(delivering.get(customer, []))
    if not plants:
        return f"lane: no delivery lane reaches {customer}."
    for period in periods:
        into = sorted(p for p in plants if (p, period) in full_lanes)
        if into:
            return f"lane: the transfer lanes into {', '.join(into)} are full in week {period} of the plan."
    return (f"supply: {', '.join(sorted(plants))} lack the item or its components in time while their "
            "work centers and lanes have room.")


def below_safety(plan_id: str) -> pd.DataFrame:
    stock = projected.inventory(plan_id)
    levels = stock.groupby(["plant_code", "item_id"]).agg(safety=("safety_stock_qty", "max"),
                                                          lowest=("qty", "min"))
    short = stock[stock.shortfall_qty > FULL].groupby(["plant_code", "item_id"]).agg(
        weeks=("period", "size"), first_period=("period", "min"), last_period=("period", "max"),
        first_week=("week_start", "min"), last_week=("week_start", "max"),
        largest=("shortfall_qty", "max"))
    short = short.join(levels).reset_index()
    return _rows("below safety stock", pd.DataFrame({
        "severity": ["high" if low <= FULL else "medium" if low < safety / 2 else "low"
                     for low, safety in zip(short.lowest, short.safety)],
        "plant_code": short.plant_code, "subject": short.plant_code + " / " + short.item_id,
        "weeks": [span(f, t) for f, t in zip(short.first_week, short.last_week)],
        "size": short.largest.map(fmt.units),
        "message": [f"{i} at {p} ends {n} week(s) below its safety stock of {fmt.units(s)}; lowest "
                    f"projected stock {fmt.units(low)}." for i, p, n, s, low in
                    zip(short.item_id, short.plant_code, short.weeks, short.safety, short.lowest)],
        "item_id": short.item_id, "first_period": short.first_period, "last_period": short.last_period}))


def bottlenecks(plan_id: str) -> pd.DataFrame:
    found = plans.bottlenecks(plan_id)
    found = found[found.kind != "unmet_demand"]
    calendar = weeks(plan_id).set_index("period").week_start
    centers = workload.work_centers(plan_id).set_index("work_center_id").plant_code
    rows = []
    for row in found.itertuples():
        periods = pd.Series([int(p) for p in re.findall(r"\d+", str(row.periods))] or list(calendar.index))
        first, last = periods.min(), periods.max()
        if row.subject in centers.index:
            rows.append({"severity": "high" if row.overtime_hours > FULL else "medium",
                         "plant_code": centers[row.subject],
                         "work_center_id": row.subject, "size": fmt.hours(row.amount)})
        elif row.kind == "supplier":  # `SUPPLIER / ITEM`, shared by the plants it serves
            rows.append({"severity": "medium", "item_id": str(row.subject).split(" / ")[-1],
                         "size": fmt.units(row.amount)})
        else:  # a lane, `from->to`
            rows.append({"severity": "medium", "plant_code": str(row.subject).split("->")[0],
                         "lane_id": row.subject, "size": fmt.units(row.amount)})
        rows[-1].update({"subject": row.subject, "weeks": span(calendar[first], calendar[last]),
                         "message": row.message, "first_period": first, "last_period": last})
    return _rows("bottleneck", pd.DataFrame(rows))


def idle(plan_id: str) -> pd.DataFrame:
    centers = workload.work_centers(plan_id)
    calendar = weeks(plan_id).week_start
    spare = query("SELECT work_center_id, sum(available_hours - used_hours) AS hours "
                  "FROM plans.plan_capacity WHERE plan_id = ? GROUP BY ALL", [plan_id])
    spare = spare.set_index("work_center_id").hours
    quiet = centers[centers.utilization.fillna(0) < IDLE_BELOW]
    return _rows("idle resource", pd.DataFrame({
        "severity": "low", "plant_code": quiet.plant_code, "subject": quiet.work_center_id,
        "weeks": span(calendar.min(), calendar.max()),
        "size": [fmt.hours(spare.get(w)) for w in quiet.work_center_id],
        "message": [f"{w} ({n}) is planned at {fmt.share(u)} of its regular hours over the horizon."
                    for w, n, u in zip(quiet.work_center_id, quiet.work_center_name,
                                       quiet.utilization.fillna(0))],
        "work_center_id": quiet.work_center_id, "first_period": 1, "last_period": len(calendar)}))


def shipments(plan_id: str, customer: str, item: str) -> pd.DataFrame:
    """Where a customer's item ships from in each week of the plan."""
    return query("""SELECT period, plant_code, sum(qty) AS qty FROM plans.plan_shipments
                    WHERE plan_id = ? AND customer_id = ? AND item_id = ?
                    GROUP BY ALL ORDER BY period, plant_code""",
                 [plan_id, customer, item])


def lane_flow(plan_id: str, lane_id: str) -> pd.DataFrame:
    """A transfer lane's planned units by week against its capacity per week (capacity per day x 7)."""
    return query("""SELECT t.period, sum(t.qty) AS qty, any_value(l.capacity_per_day) * 7 AS capacity_per_week
                    FROM plans.plan_transfers t
                    JOIN marts.dim_lane l ON l.from_code = t.from_plant_code AND l.to_code = t.to_plant_code
                    WHERE t.plan_id = ? AND l.lane_id = ? GROUP BY ALL ORDER BY t.period""",
                 [plan_id, lane_id])
