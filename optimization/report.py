"""Turn a solved plan into the tidy tables the warehouse publishes, and name its bottlenecks."""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from optimization.data import PlanningData
from optimization.model import COST_COMPONENTS

TOLERANCE = 1e-6


# variable family -> the model's variable and the names of its key columns (the period comes last)
VARIABLES = {
    "production": ("produce", ["plant_code", "item_id"]),
    "transfers": ("transfer", ["from_plant_code", "to_plant_code", "item_id"]),
    "shipments": ("ship", ["plant_code", "customer_id", "item_id"]),
    "stock": ("stock", ["plant_code", "item_id"]),
    "backlog": ("backlog", ["customer_id", "item_id"]),
    "overtime": ("overtime", ["work_center_id"]),
}


def _periods_text(periods: pd.Series) -> str:
    values = sorted({int(p) for p in periods})
    return f"{values[0]}-{values[-1]}" if len(values) > 1 else str(values[0])


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


def report(model: pyo.ConcreteModel, data: PlanningData) -> dict[str, pd.DataFrame]:
    """Production, transfers, shipments, inventory, backlog, capacity and bottlenecks as DataFrames."""
    return report_values(model_values(model), data)


def report_values(values: dict[str, pd.DataFrame], data: PlanningData) -> dict[str, pd.DataFrame]:
    """The report tables from a plan's variable values (`model_values`, or the array route's read-back)."""
    def positive(family: str) -> pd.DataFrame:
        frame = values[family]
        return frame[frame.qty > TOLERANCE].reset_index(drop=True)

    lanes = data.lanes.set_index(["from_plant_code", "to_plant_code"])
    delivery = data.delivery_lanes.set_index(["plant_code", "customer_id"]).cost_per_unit
    production = positive("production")
    transfers = positive("transfers")
    if len(transfers):
        keys = list(zip(transfers.from_plant_code, transfers.to_plant_code))
        transfers["arrival_period"] = transfers.period + [int(lanes.transit_periods[k]) for k in keys]
        transfers["cost"] = transfers.qty * [float(lanes.cost_per_unit[k]) for k in keys]
    else:
        transfers = transfers.assign(arrival_period=pd.Series(dtype="int64"), cost=pd.Series(dtype="float64"))
    shipments = positive("shipments")
    shipments["cost"] = shipments.qty * [float(delivery[k]) for k in zip(shipments.plant_code, shipments.customer_id)]
    inventory = values["stock"][["plant_code", "item_id", "period", "qty"]].copy()
    safety = data.safety_stock.groupby(["plant_code", "item_id"]).qty.sum().rename("safety_stock_qty")
    inventory = inventory.join(safety, on=["plant_code", "item_id"]).fillna({"safety_stock_qty": 0.0})
    inventory["shortfall_qty"] = (inventory.safety_stock_qty - inventory.qty).clip(lower=0)
    backlog = positive("backlog")
    capacity = _capacity(values, data)
    return {"production": production, "transfers": transfers, "shipments": shipments, "inventory": inventory,
            "backlog": backlog, "capacity": capacity, "bottlenecks": bottlenecks(capacity, backlog, transfers, data)}


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
                data: PlanningData) -> pd.DataFrame:
    """What limits the plan: demand still unmet at the end, work centers at their overtime limit, full lanes."""
    rows = []
    last = data.periods
    unmet = backlog[backlog.period == last]
    for r in unmet.itertuples():
        periods = backlog[(backlog.customer_id == r.customer_id) & (backlog.item_id == r.item_id)].period
        rows.append(("unmet_demand", f"{r.customer_id} / {r.item_id}", _periods_text(periods), r.qty,
                     (f"{r.qty:,.0f} units of {r.item_id} for {r.customer_id} still unmet at the end of the horizon "
                     f"(backlog in periods {_periods_text(periods)}).")))
    limits = data.capacity.set_index(["work_center_id", "period"]).overtime_limit_hours
    binding = capacity[(capacity.used_hours > TOLERANCE)
                       & (capacity.used_hours >= capacity.available_hours + limits.reindex(
                           list(zip(capacity.work_center_id, capacity.period))).to_numpy() - 1e-4)]
    for wc, group in binding.groupby("work_center_id"):
        rows.append(("work_center", wc, _periods_text(group.period), float(group.used_hours.sum()),
                     f"{wc} runs at its limit (all hours and all overtime) in periods {_periods_text(group.period)}."))
    caps = data.lanes.dropna(subset=["capacity_per_period"]).set_index(["from_plant_code", "to_plant_code"])
    if len(transfers) and len(caps):
        per_lane = transfers.groupby(["from_plant_code", "to_plant_code", "period"]).qty.sum().reset_index()
        for (f, t), group in per_lane.groupby(["from_plant_code", "to_plant_code"]):
            if (f, t) in caps.index:
                full = group[group.qty >= float(caps.capacity_per_period[(f, t)]) - 1e-4]
                if len(full):
                    rows.append(("lane", f"{f}->{t}", _periods_text(full.period), float(full.qty.sum()),
                                 f"Lane {f}->{t} is full in periods {_periods_text(full.period)}."))
    return pd.DataFrame(rows, columns=["kind", "subject", "periods", "amount", "message"])


def plan_summary(model: pyo.ConcreteModel, tables: dict[str, pd.DataFrame], data: PlanningData) -> dict[str, float]:
    """Headline figures of one solved Pyomo plan: cost by component, service, stock, overtime."""
    return summary(model_costs(model), tables, data)


def summary(costs: dict[str, float], tables: dict[str, pd.DataFrame], data: PlanningData) -> dict[str, float]:
    """Headline figures from a plan's cost components (`model_costs`, or the array route's) and tables."""
    demand = float(data.demand.qty.sum())
    figures = {name.removeprefix("cost_") + "_cost": costs[name] for name in COST_COMPONENTS}
    figures["total_cost"] = sum(costs[name] for name in COST_COMPONENTS)
    shipped = float(tables["shipments"].qty.sum())
    figures["fill_rate"] = min(1.0, shipped / demand) if demand else 1.0
    end_backlog = tables["backlog"]
    figures["end_backlog_units"] = float(end_backlog[end_backlog.period == data.periods].qty.sum())
    figures["average_inventory_units"] = float(tables["inventory"].qty.sum()) / data.periods
    figures["overtime_hours"] = float(tables["capacity"].overtime_hours.sum())
    figures["transfer_units"] = float(tables["transfers"].qty.sum())
    return figures


UNITS = {"fill_rate": "share", "end_backlog_units": "units", "average_inventory_units": "units",
         "overtime_hours": "hours", "transfer_units": "units"}


def sync_summary(synchronized: dict[str, float], coordinated: dict[str, float]) -> pd.DataFrame:
    """The value of synchronization: each figure for both plans and the difference."""
    rows = [(metric, synchronized[metric], coordinated[metric], synchronized[metric] - coordinated[metric],
             UNITS.get(metric, "EUR")) for metric in synchronized]
    return pd.DataFrame(rows, columns=["metric", "synchronized", "coordinated", "difference", "unit"])


ASSUMPTIONS = [
    "Both plans use the same demand, capacity, costs, stock and lanes; only who decides differs.",
    ("Coordinated: each customer is served only by its home plant; items are made only where they are owned "
    "(the home plants of the demand and the suppliers of their fixed supply); transfers run only along fixed "
    "supply relations, at most the quantity per period each relation already carries."),
    ("Synchronized: any eligible plant may make an item, any configured lane may carry it, any plant with a "
    "delivery lane may serve a customer."),
    ("Backlog is penalized per unit and period at the item's backlog penalty; stock below safety stock at the "
    "shortfall penalty; overtime at each work center's overtime cost up to its limit."),
]
