"""Turn a solved plan into the tidy tables the warehouse publishes, and name its bottlenecks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from optimization.data import PlanningData
from optimization.model import COST_COMPONENTS, VARIABLES, lead_split, supplier_limits

TOLERANCE = 1e-6
KEYS = ["plant_code", "item_id", "period"]
# A work center loaded to this share of its regular hours or more is a bottleneck: the LP fills hours exactly,
# and the last 0.1 % absorbs solver tolerance without counting a merely busy work center.
FULL_LOAD = 0.999


def _periods_text(periods: pd.Series) -> str:
    """Periods as runs, e.g. `1-3, 5`: a gap is never hidden inside a range."""
    values = sorted({int(p) for p in periods})
    runs = []
    for value in values:
        if runs and value == runs[-1][1] + 1:
            runs[-1][1] = value
        else:
            runs.append([value, value])
    return ", ".join(str(first) if first == last else f"{first}-{last}" for first, last in runs)


def _in_periods(periods: pd.Series) -> str:
    text = _periods_text(periods)
    return ("period " if text.isdigit() else "periods ") + text


def model_values(model: pyo.ConcreteModel) -> dict[str, pd.DataFrame]:
    """The solved model's variables per family: key columns, period, qty (unsolved values read as 0)."""
    values = {}
    for family, (name, columns) in VARIABLES.items():
        solved = getattr(model, name).extract_values()
        frame = pd.DataFrame(list(solved), columns=[*columns, "period"])
        frame["qty"] = [value or 0.0 for value in solved.values()]
        values[family] = frame
    return values


def model_costs(model: pyo.ConcreteModel) -> dict[str, float]:
    """Each objective component of the solved model, in EUR."""
    return {name: float(pyo.value(getattr(model, name))) for name in COST_COMPONENTS}


def report(model: pyo.ConcreteModel, data: PlanningData, synchronized: bool = True) -> dict[str, pd.DataFrame]:
    """Production, purchases, receipts, transfers, shipments, inventory, backlog, capacity and bottlenecks as
    DataFrames."""
    return report_values(model_values(model), data, synchronized)


def report_values(values: dict[str, pd.DataFrame], data: PlanningData,
                  synchronized: bool = True) -> dict[str, pd.DataFrame]:
    """The report tables from a plan's variable values (`model_values`, or the array route's read-back).

    A flow's `arrival_period` is the period it arrives in when it leaves at the start of its period (period +
    whole periods of its lead time); with a fractional lead time r, the share r leaves late enough in its
    period to arrive one period later. `order_qty` of a purchase is its qty raised to the supplier's minimum
    order quantity: the proposal a buyer places (the LP itself stays continuous)."""
    def positive(family: str) -> pd.DataFrame:
        frame = values[family]
        return frame[frame.qty > TOLERANCE].reset_index(drop=True)

    delivery = data.delivery_lanes.set_index(["plant_code", "customer_id"]).cost_per_unit
    production = positive("production")
    lanes = data.lanes.drop_duplicates(["from_plant_code", "to_plant_code"])[
        ["from_plant_code", "to_plant_code", "transit_days", "cost_per_unit"]]
    transfers = positive("transfers").merge(lanes, how="left")
    options = data.supply_options.drop_duplicates(["supplier_id", "plant_code", "item_id"])
    purchases = positive("purchases").merge(options, how="left")
    for flow, days in ((transfers, transfers.transit_days), (purchases, purchases.lead_time_days)):
        flow["whole"], flow["late"] = lead_split(days.to_numpy(float), data.days_per_period)
        flow["arrival_period"] = (flow.period + flow.whole).astype("int64")
    transfers["cost"] = transfers.qty * transfers.cost_per_unit
    purchases["order_qty"] = np.maximum(purchases.qty, purchases.min_order_qty)
    purchases["cost"] = purchases.qty * purchases.unit_price
    shipments = positive("shipments")
    shipments["cost"] = shipments.qty * [float(delivery[k]) for k in zip(shipments.plant_code, shipments.customer_id)]
    inventory = values["stock"][["plant_code", "item_id", "period", "qty"]].copy()
    safety = data.safety_stock.groupby(["plant_code", "item_id"]).qty.sum().rename("safety_stock_qty")
    inventory = inventory.join(safety, on=["plant_code", "item_id"]).fillna({"safety_stock_qty": 0.0})
    inventory["shortfall_qty"] = (inventory.safety_stock_qty - inventory.qty).clip(lower=0)
    arriving = pd.concat([transfers.rename(columns={"to_plant_code": "plant_code"}), purchases])
    inventory["in_transit_qty"] = _in_transit(arriving, data.periods).reindex(
        pd.MultiIndex.from_frame(inventory[KEYS]), fill_value=0.0).to_numpy()
    receipts = data.scheduled_receipts.groupby([*KEYS, "source"], as_index=False).qty.sum()
    receipts = receipts.loc[receipts.qty > TOLERANCE, ["plant_code", "item_id", "period", "qty", "source"]]
    backlog = positive("backlog")
    capacity = _capacity(values, data)
    limits = supplier_limits(data, synchronized)
    transfers = transfers[["from_plant_code", "to_plant_code", "item_id", "period", "arrival_period", "qty", "cost"]]
    return {"production": production,
            "purchases": purchases[["plant_code", "supplier_id", "item_id", "period", "arrival_period", "qty",
                                    "order_qty", "cost"]],
            "receipts": receipts.reset_index(drop=True), "transfers": transfers, "shipments": shipments,
            "inventory": inventory, "backlog": backlog, "capacity": capacity,
            "bottlenecks": bottlenecks(capacity, backlog, transfers, data, _supplier_load(values["purchases"], limits))}


def _in_transit(arriving: pd.DataFrame, periods: int) -> pd.Series:
    """Units on their way to each plant and item at the end of each period: sent, not yet arrived."""
    arriving = arriving.reset_index(drop=True)
    rows = arriving.loc[arriving.index.repeat(arriving.whole.astype("int64") + 1)]
    offset = rows.groupby(level=0).cumcount().to_numpy()
    on_way = rows.assign(period=rows.period.to_numpy() + offset,
                         qty=np.where(offset < rows.whole, rows.qty, rows.qty * rows.late))
    return on_way[on_way.period <= periods].groupby(KEYS).qty.sum()


def _supplier_load(purchases: pd.DataFrame, limits: pd.DataFrame) -> pd.DataFrame:
    """Each supplier capacity row (`supplier_limits`) with the units bought against it."""
    keys = [c for c in limits.columns if c != "qty_per_period"]
    bought = purchases.groupby(keys).qty.sum().rename("bought")
    return limits.join(bought, on=keys).fillna({"bought": 0.0})


def _capacity(values: dict[str, pd.DataFrame], data: PlanningData) -> pd.DataFrame:
    loads = data.routings.merge(values["production"], on=["plant_code", "item_id"])
    hours = (loads.hours_per_unit * loads.qty).groupby([loads.plant_code, loads.work_center_id, loads.period]).sum()
    overtime = values["overtime"].set_index(["work_center_id", "period"]).qty
    frame = data.capacity[["plant_code", "work_center_id", "period", "available_hours"]].copy()
    frame["used_hours"] = hours.reindex(pd.MultiIndex.from_frame(frame[["plant_code", "work_center_id", "period"]]))\
        .fillna(0.0).to_numpy()
    frame["overtime_hours"] = overtime.reindex(pd.MultiIndex.from_frame(frame[["work_center_id", "period"]]))\
        .fillna(0.0).to_numpy()
    frame["utilization"] = frame.used_hours / frame.available_hours.where(frame.available_hours > 0)
    return frame


def bottlenecks(capacity: pd.DataFrame, backlog: pd.DataFrame, transfers: pd.DataFrame,
                data: PlanningData, suppliers: pd.DataFrame) -> pd.DataFrame:
    """What limits the plan: demand still unmet at the end, work centers at their full regular hours (with the
    overtime they add and where it runs out too), full lanes, suppliers whose capacity is bought up
    (`suppliers`: `_supplier_load`; listed with the periods they deliver all they can, a period cut to
    nothing included, when the plan buys from them in one of those periods). `amount` is units for demand,
    lanes and suppliers, hours used for work centers."""
    rows = []
    last = data.periods
    unmet = backlog[backlog.period == last]
    for r in unmet.itertuples():
        periods = backlog[(backlog.customer_id == r.customer_id) & (backlog.item_id == r.item_id)].period
        rows.append(("unmet_demand", f"{r.customer_id} / {r.item_id}", _periods_text(periods), r.qty,
                     (f"{r.qty:,.0f} units of {r.item_id} for {r.customer_id} still unmet at the end of the horizon "
                     f"(backlog in {_in_periods(periods)})."), None, None))
    limits = data.capacity.set_index(["work_center_id", "period"]).overtime_limit_hours
    regular = capacity.used_hours - capacity.overtime_hours
    full = capacity[(capacity.available_hours > 0) & (regular >= FULL_LOAD * capacity.available_hours)]
    full = full.assign(overtime_limit=limits.reindex(list(zip(full.work_center_id, full.period))).to_numpy())
    for wc, group in full.groupby("work_center_id"):
        overtime = float(group.overtime_hours.sum())
        exhausted = group[group.overtime_hours >= FULL_LOAD * group.overtime_limit]
        exhausted_text = _periods_text(exhausted.period) if len(exhausted) else None
        message = (f"{wc} runs at its full regular hours in {_in_periods(group.period)}, "
                   + (f"plus {overtime:,.1f} h of overtime" if overtime > TOLERANCE else "using no overtime")
                   + (f"; no overtime left in {_in_periods(exhausted.period)}." if exhausted_text else "."))
        rows.append(("work_center", wc, _periods_text(group.period), float(group.used_hours.sum()), message,
                     overtime, exhausted_text))
    caps = data.lanes.dropna(subset=["capacity_per_period"]).set_index(["from_plant_code", "to_plant_code"])
    if len(transfers) and len(caps):
        per_lane = transfers.groupby(["from_plant_code", "to_plant_code", "period"]).qty.sum().reset_index()
        for (f, t), group in per_lane.groupby(["from_plant_code", "to_plant_code"]):
            if (f, t) in caps.index:
                full_lane = group[group.qty >= float(caps.capacity_per_period[(f, t)]) - 1e-4]
                if len(full_lane):
                    rows.append(("lane", f"{f}->{t}", _periods_text(full_lane.period),
                                 float(full_lane.qty.sum()), f"Lane {f}->{t} is full in "
                                 f"{_in_periods(full_lane.period)}.", None, None))
    full = suppliers[suppliers.bought >= FULL_LOAD * suppliers.qty_per_period - TOLERANCE]
    for key, group in full.groupby([c for c in suppliers.columns if c not in ("period", "qty_per_period", "bought")]):
        if group.bought.max() > TOLERANCE:
            supplier, item, *plant = key
            share = f" (the share of plant {plant[0]})" if plant else ""
            rows.append(("supplier", f"{supplier} / {item}", _periods_text(group.period), float(group.bought.sum()),
                         f"Supplier {supplier} delivers all it can of {item}{share} in {_in_periods(group.period)}.",
                         None, None))
    frame = pd.DataFrame(rows, columns=["kind", "subject", "periods", "amount", "message", "overtime_hours",
                                        "overtime_exhausted_periods"])
    return frame.astype({"overtime_hours": "float64", "overtime_exhausted_periods": "object"})


def late_units(demand: pd.DataFrame, backlog: pd.DataFrame) -> float:
    """Units of demand not shipped in the period they are due. Shipments serve the oldest backlog first, so
    what is still owed after a period is its newest demand: of a period's demand, min(demand, backlog) is
    late."""
    keys = ["customer_id", "item_id", "period"]
    due = demand.groupby(keys).qty.sum()
    owed = backlog.groupby(keys).qty.sum().reindex(due.index, fill_value=0.0)
    return float(pd.concat([due, owed], axis=1).min(axis=1).sum())


def plan_summary(model: pyo.ConcreteModel, tables: dict[str, pd.DataFrame], data: PlanningData) -> dict[str, float]:
    """Headline figures of one solved Pyomo plan: cost by component, service, stock, overtime."""
    return summary(model_costs(model), tables, data)


def summary(costs: dict[str, float], tables: dict[str, pd.DataFrame], data: PlanningData) -> dict[str, float]:
    """Headline figures from a plan's cost components (`model_costs`, or the array route's) and tables."""
    demand = float(data.demand.qty.sum())
    figures = {name.removeprefix("cost_") + "_cost": costs[name] for name in COST_COMPONENTS}
    figures["total_cost"] = sum(costs[name] for name in COST_COMPONENTS)
    shipped = float(tables["shipments"].qty.sum())
    backlog = tables["backlog"]
    end_backlog = float(backlog[backlog.period == data.periods].qty.sum())
    late = late_units(data.demand, backlog)
    figures["fill_rate"] = min(1.0, shipped / demand) if demand else 1.0
    figures["on_time_fill_rate"] = 1.0 - late / demand if demand else 1.0
    figures["units_delivered_late"] = max(0.0, late - end_backlog)
    figures["unit_weeks_late"] = float(backlog.qty.sum())
    figures["end_backlog_units"] = end_backlog
    figures["average_inventory_units"] = float(tables["inventory"].qty.sum()) / data.periods
    figures["overtime_hours"] = float(tables["capacity"].overtime_hours.sum())
    figures["transfer_units"] = float(tables["transfers"].qty.sum())
    figures["purchase_units"] = float(tables["purchases"].qty.sum())
    figures["scheduled_receipt_units"] = float(tables["receipts"].qty.sum())
    return figures


# Headline figures (`summary`): fill_rate counts a unit shipped by the horizon's end, on_time_fill_rate only
# one shipped in its due period; unit_weeks_late sums the backlog over the periods (what backlog_cost prices).
UNITS = {"fill_rate": "share", "on_time_fill_rate": "share", "units_delivered_late": "units",
         "unit_weeks_late": "unit-weeks", "end_backlog_units": "units", "average_inventory_units": "units",
         "overtime_hours": "hours", "transfer_units": "units", "purchase_units": "units",
         "scheduled_receipt_units": "units"}


def sync_summary(synchronized: dict[str, float], coordinated: dict[str, float]) -> pd.DataFrame:
    """The value of synchronization: each figure for both plans and the difference."""
    rows = [(metric, synchronized[metric], coordinated[metric], synchronized[metric] - coordinated[metric],
             UNITS.get(metric, "EUR")) for metric in synchronized]
    return pd.DataFrame(rows, columns=["metric", "synchronized", "coordinated", "difference", "unit"])


ASSUMPTIONS = [
    "Both plans use the same demand, capacity, costs, stock and lanes; only who decides differs.",
    ("Each plant alone (coordinated): each customer is served only by its home plant; items are made only "
    "where they are owned (the home plants of the demand and the suppliers of their fixed supply); transfers "
    "run only along fixed supply relations, at most the quantity per period each relation already carries."),
    ("Synchronized: any eligible plant may make an item, any configured lane may carry it, any plant with a "
    "delivery lane may serve a customer."),
    ("Backlog is penalized per unit and period at the item's backlog penalty; stock below safety stock at the "
    "shortfall penalty, and at the horizon's end also at the backlog penalty, so the plan ends at safety stock "
    "where it can; overtime at each work center's overtime cost up to its limit."),
    "Open orders already past their requested week are owed in the first week of the plan.",
    ("Supply already on its way (open production orders, transfers in transit, open purchase orders) arrives "
     "as scheduled in both plans, past-due receipts in the first week; no new production starts in the frozen "
     "weeks."),
    ("Each plant alone buys only from its own suppliers, and a supplier serving several plants rations its "
     "capacity in proportion to what each plant orders (the orders it would place if the supplier could deliver "
     "all); synchronized, the plants share it as the plan needs."),
    ("Lead times keep their days: a transfer or purchase with a lead time of k weeks and a fraction r of a "
     "week leaves evenly over its week, so (1 - r) of it arrives k weeks later and r one week after that."),
    ("Purchases are planned in any quantity; a proposal below the supplier's minimum order quantity is "
     "raised to it in order_qty, and the extra is not counted on in the plan."),
]
