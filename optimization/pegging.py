"""Pegging: which plant and which week's supply serves each unit of demand, its promised date, and why it is late.

    rows = pegging(data, tables, starts, delivery_days)   # one row per (demand piece, shipment, supply) segment

A pure reading of a solved plan's tables, in two FIFO passes that follow the LP's own balances:
1. Shipments serve each customer's oldest demand first (the backlog balance), so every shipment is matched
   to the demand it serves: order lines by due period (before the forecast of the same period, which has no
   order line). Demand left when the shipments run out is `unmet`.
2. Each shipment draws on its plant's supply first in, first out (the stock balance): opening stock, then
   per period scheduled receipts, purchases, arriving transfers and production. Transfers out and the BOM's
   consumption draw on the same supply, so a shipment pegs to the supply that is really left for it.

A unit is late when it ships after its due period (or not at all). Its reason is the first of, in order:
`capacity` (a work center that makes the item or its components, at the serving plant or a plant that supplies
it along a lane, runs at its full regular hours between due and ship), `material` (a purchased material, made
by no plant, is out of stock there in those periods, or its supplier is at capacity by then), `lane` (a lane bringing
the item is full, or its transit alone arrives after the due period). None found: no reason, and a detail
that says so.
"""

from __future__ import annotations

from collections import deque

import numpy as np
import pandas as pd

from optimization.data import PlanningData, PlanningInputError
from optimization.report import FULL_LOAD, TOLERANCE

COLUMNS = ["order_line_id", "customer_id", "item_id", "due_period", "plant_code", "ship_period", "supply_kind",
           "supply_period", "qty", "promised_date", "days_late", "late_reason", "reason_detail"]
# supply at a plant in the order it is used within a period; opening stock comes before period 1
SUPPLY_ORDER = ("stock", "scheduled_receipt", "purchase", "transfer", "production")
LATE_REASONS = ("capacity", "material", "lane")  # the order they are looked for in
NO_REASON = "no full work center, material or lane found"


def pegging(data: PlanningData, tables: dict[str, pd.DataFrame], starts: list[pd.Timestamp],
            delivery_days: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every unit of `data.demand` pegged to a shipment and its supply (or to `unmet`), with the promised date:
    the ship period's start (`starts`, one per period) plus the delivery lane's transit days (`delivery_days`:
    plant_code, customer_id, transit_days; none given: 0)."""
    pieces = _demand_pieces(data)
    shipments = tables["shipments"].sort_values(["customer_id", "item_id", "period", "plant_code"])
    served = _fifo(pieces, shipments, ["customer_id", "item_id"])
    served = served.join(pieces.drop(columns="qty"), on="need").join(
        shipments[["plant_code", "period"]].rename(columns={"period": "ship_period"}), on="supply")
    shipped = served[served.supply >= 0].reset_index(drop=True)
    rows = pd.concat([_supplied(shipped, data, tables),
                      served[served.supply < 0].assign(plant_code=lambda f: f.home_plant_code, supply_kind="unmet")])
    rows = rows.astype({"ship_period": "Int64", "supply_period": "Int64"})
    keys = [c for c in COLUMNS[:8] if c != "qty"]
    rows = rows.groupby([*keys, "rank"], dropna=False, sort=False, as_index=False).qty.sum()
    rows = rows.sort_values(["customer_id", "item_id", "due_period", "rank", "order_line_id", "ship_period",
                             "supply_period"], ignore_index=True)
    return _promise(rows, data, tables, starts, delivery_days)[COLUMNS]


def _demand_pieces(data: PlanningData) -> pd.DataFrame:
    """Demand as the queue shipments serve per customer and item: each open order line, then the period's
    forecast (its demand beyond the order lines), oldest period first."""
    keys = ["customer_id", "item_id", "period"]
    demand = data.demand.groupby(keys, as_index=False).agg(qty=("qty", "sum"), home_plant_code=("home_plant_code",
                                                                                                "first"))
    orders = data.orders.astype({"period": "int64", "qty": float}).sort_values([*keys, "order_line_id"])
    ordered = orders.groupby(keys).qty.sum().reindex(pd.MultiIndex.from_frame(demand[keys])).fillna(0.0).to_numpy()
    beyond = orders.merge(demand[keys], how="left", indicator=True)._merge == "left_only"
    over = ordered > demand.qty.to_numpy() + TOLERANCE
    if beyond.any() or over.any():
        c, i, t = (orders[beyond.to_numpy()] if beyond.any() else demand[over])[keys].iloc[0]
        raise PlanningInputError(f"orders: the open order lines of {c} / {i} in period {t} exceed its demand")
    forecast = demand.assign(qty=demand.qty.to_numpy() - ordered, order_line_id=None, rank=1)
    pieces = pd.concat([orders.merge(demand[[*keys, "home_plant_code"]]).assign(rank=0),
                        forecast[forecast.qty > TOLERANCE]])
    pieces = pieces.sort_values([*keys, "rank", "order_line_id"], ignore_index=True)
    return pieces.rename(columns={"period": "due_period"}).astype({"qty": float})


def _fifo(needs: pd.DataFrame, supplies: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per key, every unit of `needs` against the next unit of `supplies`, both queues in the order given:
    rows (need: index of `needs`, supply: index of `supplies` or -1 where supplies run out, qty)."""
    queues = {key: group for key, group in supplies.groupby(keys, sort=False)}
    parts = [pd.DataFrame({"need": pd.Series(dtype="int64"), "supply": pd.Series(dtype="int64"),
                           "qty": pd.Series(dtype="float64")})]
    for key, group in needs.groupby(keys, sort=False):
        need_end = group.qty.cumsum().to_numpy()
        supply = queues.get(key, supplies.iloc[:0])
        supply_end = supply.qty.cumsum().to_numpy()
        bounds = np.unique(np.concatenate([[0.0], need_end, supply_end[supply_end < need_end[-1]]]))
        length = np.diff(bounds)
        middle = (bounds[:-1] + length / 2)[length > TOLERANCE]
        at = np.searchsorted(supply_end, middle)
        labels = np.append(supply.index.to_numpy(), -1)
        parts.append(pd.DataFrame({"need": group.index.to_numpy()[np.searchsorted(need_end, middle)],
                                   "supply": labels[np.minimum(at, len(supply))], "qty": length[length > TOLERANCE]}))
    return pd.concat(parts, ignore_index=True)


def _supplied(shipped: pd.DataFrame, data: PlanningData, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The shipped segments split by the shipping plant's supply they draw, first in first out."""
    keys = ["plant_code", "item_id"]
    draws = pd.concat([
        shipped[keys].assign(period=shipped.ship_period, order=0, qty=shipped.qty, segment=shipped.index),
        tables["transfers"].rename(columns={"from_plant_code": "plant_code"})[[*keys, "period", "qty"]].assign(order=1),
        _consumption(data, tables["production"]).assign(order=2)], ignore_index=True)
    draws = draws.sort_values([*keys, "period", "order"], kind="stable", ignore_index=True)
    supply = _supply(data, tables)
    matched = _fifo(draws, supply, keys)
    matched = matched[draws.segment.to_numpy()[matched.need] >= 0].reset_index(drop=True)
    # the stock balance leaves no draw beyond supply; solver rounding may, and pegs to the supply before it
    matched["supply"] = matched.supply.where(matched.supply >= 0).ffill().fillna(0).astype(int)
    kind = supply.supply_kind.to_numpy()[matched.supply]
    segments = shipped.loc[draws.segment.to_numpy()[matched.need].astype(int)].reset_index(drop=True)
    return segments.assign(qty=matched.qty.to_numpy(), supply_kind=kind,  # opening stock serves from period 1
                           supply_period=np.maximum(supply.period.to_numpy()[matched.supply], 1))


def _consumption(data: PlanningData, production: pd.DataFrame) -> pd.DataFrame:
    """What making parents uses of each component, per plant and period."""
    used = production.merge(data.bom, left_on="item_id", right_on="parent_item_id")
    return used.assign(item_id=used.component_item_id, qty=used.qty * used.qty_per)[
        ["plant_code", "item_id", "period", "qty"]]


def _supply(data: PlanningData, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every unit that becomes available at a plant: plant_code, item_id, period, supply_kind, qty, in FIFO order."""
    frames = [data.initial_inventory.assign(period=0, supply_kind="stock"),
              tables["production"].assign(supply_kind="production"),
              tables["transfers"].rename(columns={"to_plant_code": "plant_code"}).assign(
                  period=lambda f: f.arrival_period, supply_kind="transfer")]
    if "receipts" in tables:
        frames.append(tables["receipts"].assign(supply_kind="scheduled_receipt"))
    if "purchases" in tables:
        frames.append(tables["purchases"].assign(period=lambda f: f.arrival_period, supply_kind="purchase"))
    supply = pd.concat([f[["plant_code", "item_id", "period", "supply_kind", "qty"]] for f in frames],
                       ignore_index=True)
    supply = supply[supply.qty > TOLERANCE].assign(order=supply.supply_kind.map(SUPPLY_ORDER.index))
    return supply.sort_values(["plant_code", "item_id", "period", "order"], kind="stable", ignore_index=True)


def _promise(rows: pd.DataFrame, data: PlanningData, tables: dict[str, pd.DataFrame], starts: list[pd.Timestamp],
             delivery_days: pd.DataFrame | None) -> pd.DataFrame:
    """Promised date, days late, and the reason of each late row."""
    transit = {} if delivery_days is None else \
        delivery_days.set_index(["plant_code", "customer_id"]).transit_days.astype(float).to_dict()
    shipped = rows.ship_period.notna()
    ship_start = [starts[int(p) - 1] if ok else None for p, ok in zip(rows.ship_period, shipped)]
    rows["promised_date"] = [
        (start + pd.Timedelta(days=transit.get((p, c), 0.0))).date() if start is not None else None
        for start, p, c in zip(ship_start, rows.plant_code, rows.customer_id)]
    rows["days_late"] = pd.array([(start - starts[due - 1]).days if start is not None else None
                                  for start, due in zip(ship_start, rows.due_period)], dtype="Int64")
    late = ~shipped | (rows.days_late > 0).fillna(False)
    causes = _Causes(data, tables)
    last = rows.ship_period.fillna(data.periods).astype(int)
    reasons = {key: causes.why(*key) for key in
               set(zip(rows.plant_code[late], rows.item_id[late], rows.due_period[late], last[late]))}
    found = [reasons.get((p, i, d, s), (None, None)) if is_late else (None, None)
             for p, i, d, s, is_late in zip(rows.plant_code, rows.item_id, rows.due_period, last, late)]
    rows["late_reason"] = [reason for reason, _ in found]
    rows["reason_detail"] = [detail for _, detail in found]
    return rows


class _Causes:
    """What limited a plan where it is late: full work centers, purchased materials out of stock or their
    supplier at capacity, full lanes, transit longer than the time to the due period."""

    def __init__(self, data: PlanningData, tables: dict[str, pd.DataFrame]):
        routings = data.routings
        self.work_centers = routings.groupby(["plant_code", "item_id"]).work_center_id.agg(sorted).to_dict()
        self.made = set(routings.item_id)
        self.components = data.bom.groupby("parent_item_id").component_item_id.agg(list).to_dict()
        self.lanes_into: dict[str, list[tuple[str, int, float]]] = {}
        for lane in data.lanes.itertuples():
            self.lanes_into.setdefault(lane.to_plant_code, []).append(
                (lane.from_plant_code, int(lane.transit_days // data.days_per_period), lane.capacity_per_period))
        capacity = tables["capacity"]
        full = capacity[capacity.used_hours - capacity.overtime_hours >= FULL_LOAD * capacity.available_hours]
        self.full_hours = set(zip(full.work_center_id, full.period))
        stock = tables["inventory"]
        self.stocked = stock[stock.qty > TOLERANCE].groupby(["plant_code", "item_id"]).period.agg(set).to_dict()
        moved = tables["transfers"].groupby(["from_plant_code", "to_plant_code", "period"]).qty.sum()
        self.moved = moved.to_dict()
        bottlenecks = tables["bottlenecks"]
        self.supplier_full = {}  # item -> [(supplier, first period it is at capacity)]
        for row in bottlenecks[bottlenecks.kind == "supplier"].itertuples():
            supplier, item = (part.strip() for part in row.subject.split("/", 1))
            first = int(str(row.periods).split(",")[0].split("-")[0])  # periods are runs such as `1-3, 5`
            self.supplier_full.setdefault(item, []).append((supplier, first))
        purchases = tables.get("purchases")
        self.suppliers = ({} if purchases is None else
                          purchases.groupby(["plant_code", "item_id"]).supplier_id.agg(lambda s: sorted(set(s))).to_dict())

    def upstream(self, plant: str, item: str) -> list[tuple[str, str, int, tuple[str, str] | None]]:
        """(plant, item, periods before the serving plant needs it, lane it comes along) for the item at the
        serving plant, its components, and the plants that can send them: breadth first, nearest first."""
        found, queue, seen = [], deque([(plant, item, 0, None)]), {(plant, item)}
        while queue:
            node = queue.popleft()
            found.append(node)
            q, x, lag, _ = node
            nearer = [(q, c, lag, None) for c in self.components.get(x, []) if (q, x) in self.work_centers]
            nearer += [(f, x, lag + days, (f, q)) for f, days, _ in self.lanes_into.get(q, [])
                       if (f, x) in self.work_centers]
            for n in nearer:
                if (n[0], n[1]) not in seen:
                    seen.add((n[0], n[1]))
                    queue.append(n)
        return found

    def why(self, plant: str, item: str, due: int, last: int) -> tuple[str | None, str]:
        """The reason and its detail for `item` due in `due` and served from `plant` in `last` (or not)."""
        chain = self.upstream(plant, item)

        def window(lag: int) -> range:
            return range(max(1, due - lag), max(1, last - lag) + 1)

        full = [wc for q, x, lag, _ in chain for wc in self.work_centers.get((q, x), [])
                if any((wc, t) in self.full_hours for t in window(lag))]
        if full:
            return "capacity", ", ".join(dict.fromkeys(full))
        for q, x, lag, _ in chain:
            if x in self.made:
                continue
            periods = set(window(lag))
            # a supplier full at any time up to then (orders leave a lead time before they arrive)
            at_capacity = [s for s, first in self.supplier_full.get(x, []) if first <= max(periods)]
            if at_capacity:
                return "material", f"{x} at {q}: supplier {', '.join(at_capacity)} at capacity"
            if periods - self.stocked.get((q, x), set()):
                bought = self.suppliers.get((q, x))
                return "material", f"{x} at {q} runs out" + (f" (supplier {', '.join(bought)})" if bought
                                                             else " (no supplier)")
        for _, _, lag, lane in chain:
            if lane is None:
                continue
            f, to = lane
            days, cap = next((d, c) for src, d, c in self.lanes_into[to] if src == f)
            if pd.notna(cap) and any(self.moved.get((f, to, t), 0.0) >= cap - 1e-4 for t in window(lag)):
                return "lane", f"lane {f}->{to} full"
            if lag >= due:
                return "lane", f"lane {f}->{to}: transit {days} period(s) arrives after the due period"
        return None, NO_REASON

