"""A year of daily operating history and twelve weeks of open orders for a generated network.

Produces one canonical frame per plant and entity (network item ids, plant-local dates and times,
quantities in base units, money in the plant's currency). The renderers turn these into each ERP's
native form; keeping the history canonical here is what lets tests reconcile sources against marts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from orchestration.demo.network import FX_START, Network

DOWN_REASONS = ["breakdown", "tooling change", "material shortage", "quality hold"]
DEFECT_CODES = ["POROSITY", "RUNOUT", "BORE-DIA", "LEAK-TEST", "PAINT"]


@dataclass(frozen=True)
class Horizon:
    as_of: date
    history_days: int
    open_days: int

    @property
    def start(self) -> date:
        return self.as_of - timedelta(days=self.history_days - 1)

    @property
    def end(self) -> date:
        return self.as_of + timedelta(days=self.open_days)

    def days(self, future: bool = False) -> pd.DatetimeIndex:
        return pd.date_range(self.start, self.end if future else self.as_of, freq="D")


def fx_rates(currencies: Iterable[str], horizon: Horizon, rng: np.random.Generator) -> pd.DataFrame:
    """Daily rates to the network currency (EUR), a gentle random walk per currency."""
    days = horizon.days(future=True)
    frames = []
    for currency in sorted(set(currencies)):
        start = FX_START[currency]
        walk = np.ones(len(days)) if currency == "EUR" else start * np.exp(
            np.cumsum(rng.normal(0, 0.003, len(days))))
        frames.append(pd.DataFrame({"rate_date": days.date, "currency": currency,
                                    "rate_to_network": np.round(walk, 6)}))
    return pd.concat(frames, ignore_index=True)


def _demand_scale(network: Network) -> float:
    """Keep per-plant load similar as networks grow: more items per plant, less volume per item."""
    items_per_plant = len(network.items) / len(network.plants) * 4
    return 30.0 / max(30.0, items_per_plant)


def order_lines(network: Network, horizon: Horizon, rng: np.random.Generator) -> pd.DataFrame:
    """OEM daily call-offs in build sequence and weekly aftermarket orders, history and open."""
    days = horizon.days(future=True)
    weekdays = days[days.day_of_week < 5]
    mondays = days[days.day_of_week == 0]
    customers = network.customers.set_index("customer_id")
    cost = network.items.set_index("item_id").standard_cost
    scale = _demand_scale(network)
    frames = []
    for row in network.demand.itertuples():
        oem = customers.kind[row.customer_id] == "oem"
        dates = weekdays if oem else mondays
        mean = row.mean_daily_qty * scale * (7 / 5 if oem else 7)
        qty = rng.poisson(max(mean, 1.0), len(dates)).astype(float)
        requested = dates
        order_date = requested - pd.Timedelta(days=5 if oem else 10)
        slip = np.where(rng.random(len(dates)) < 0.08, rng.integers(1, 4, len(dates)), 0)
        promised = requested + pd.to_timedelta(slip, unit="D")
        late = np.where(rng.random(len(dates)) < 0.05, rng.integers(1, 3, len(dates)), 0)
        shipped = promised + pd.to_timedelta(late, unit="D")
        short = rng.random(len(dates)) < 0.03
        shipped_qty = np.where(short, np.floor(qty * 0.9), qty)
        is_open = shipped.date > horizon.as_of
        frames.append(pd.DataFrame({
            "customer_id": row.customer_id, "item_id": row.item_id, "plant_code": row.plant_code,
            "order_date": order_date.date, "requested_date": requested.date, "promised_date": promised.date,
            "shipped_date": pd.Series(shipped.date).where(~is_open, None).values,
            "ordered_qty": qty, "shipped_qty": np.where(is_open, 0.0, shipped_qty),
            "unit_price_eur": round(cost[row.item_id] * 1.25, 2),
        }))
    lines = pd.concat(frames, ignore_index=True)
    lines = lines[lines.order_date <= horizon.as_of].sort_values(["plant_code", "order_date", "customer_id",
                                                                  "item_id"], ignore_index=True)
    lines["order_no"] = lines.groupby("plant_code").cumcount() + 1
    return lines


def weekly_item_volume(network: Network) -> pd.DataFrame:
    """Expected weekly volume each plant makes of each item (primary 85%, alternate 15%)."""
    scale = _demand_scale(network)
    direct = network.demand.groupby("item_id").mean_daily_qty.sum() * scale * 7
    components = (network.bom.merge(direct.rename("parent_qty"), left_on="parent_item_id", right_index=True)
                  .assign(qty=lambda f: f.parent_qty * f.qty_per).groupby("component_item_id").qty.sum())
    weekly = direct.add(components, fill_value=0.0)
    makers = network.makers.drop_duplicates(["plant_code", "item_id"]).copy()
    n_makers = makers.groupby("item_id").plant_code.transform("size")
    share = np.where(n_makers == 1, 1.0, np.where(makers.is_primary, 0.85, 0.15))
    makers["weekly_qty"] = makers.item_id.map(weekly).fillna(0.0).values * share
    return makers[["plant_code", "item_id", "weekly_qty"]]


RELEASE_DAYS = 14  # production orders starting this many days after the as-of day are released (firm)


def production_orders(network: Network, horizon: Horizon, rng: np.random.Generator) -> pd.DataFrame:
    """One production order a week per plant and item made there; those starting in the next two weeks
    are released to the shop floor, later ones are the ERP's planned proposals."""
    mondays = horizon.days(future=True)
    mondays = mondays[mondays.day_of_week == 0]
    volume = weekly_item_volume(network).merge(
        network.makers[network.makers.work_center_code != "T1"][["plant_code", "item_id", "work_center_code"]],
        on=["plant_code", "item_id"])
    n = len(mondays)
    frames = []
    for row in volume.itertuples():
        planned = np.maximum(1.0, np.round(row.weekly_qty * rng.normal(1.0, 0.08, n)))
        finish = mondays + pd.Timedelta(days=4)
        delay = np.where(rng.random(n) < 0.1, rng.integers(1, 3, n), 0)
        actual = finish + pd.to_timedelta(delay, unit="D")
        done = actual.date <= horizon.as_of
        started = mondays.date <= horizon.as_of
        released = mondays.date <= horizon.as_of + timedelta(days=RELEASE_DAYS)
        scrap = rng.binomial(planned.astype(int), 0.01).astype(float)
        produced = np.where(done, planned - scrap, np.where(started, np.floor(planned * 0.4), 0.0))
        frames.append(pd.DataFrame({
            "plant_code": row.plant_code, "item_id": row.item_id, "work_center_code": row.work_center_code,
            "start_date": mondays.date, "due_date": finish.date,
            "finished_date": pd.Series(actual.date).where(done, None).values,
            "planned_qty": planned, "produced_qty": produced, "scrap_qty": np.where(done, scrap, 0.0),
            "status": np.where(done, "done", np.where(started, "in_progress",
                                                      np.where(released, "released", "planned"))),
        }))
    orders = pd.concat(frames, ignore_index=True).sort_values(["plant_code", "start_date", "item_id"],
                                                               ignore_index=True)
    orders["order_no"] = orders.groupby("plant_code").cumcount() + 1
    return orders


IMBALANCE_DAYS = 7
IMBALANCED_ITEMS = 2


def _imbalance(network: Network, held: pd.DataFrame) -> np.ndarray:
    """Stock factors for the last days: an alternate plant sits on a surplus of items whose primary
    plant runs short of them (a cancelled order, a late re-plan), so rebalancing has work to do."""
    makers = network.makers
    alternate = makers[~makers.is_primary]
    items = set(sorted(alternate.item_id.unique())[:IMBALANCED_ITEMS])
    surplus = {k for k in zip(alternate.plant_code, alternate.item_id) if k[1] in items}
    short = {k for k in zip(makers.plant_code, makers.item_id) if k[1] in items} - surplus
    return np.array([6.0 if key in surplus else 0.2 if key in short else 1.0
                     for key in zip(held.plant_code, held.item_id)])


def inventory(network: Network, horizon: Horizon, rng: np.random.Generator, purchased: bool = False) -> pd.DataFrame:
    """Daily stock per plant and item held there (made there, or consumed there as a component): of the
    made items, six days' worth, or with `purchased` of the purchased materials, six days plus the lead time
    of their quickest supplier."""
    days = horizon.days()
    volume = weekly_item_volume(network)
    assembled = network.makers.merge(network.bom, left_on="item_id", right_on="parent_item_id")
    consumed = (assembled.merge(volume.rename(columns={"weekly_qty": "parent_weekly"}),
                                on=["plant_code", "item_id"])
                .assign(weekly_qty=lambda f: f.parent_weekly * f.qty_per)
                [["plant_code", "component_item_id", "weekly_qty"]].rename(columns={"component_item_id": "item_id"}))
    held = pd.concat([volume, consumed]).groupby(["plant_code", "item_id"], as_index=False).weekly_qty.sum()
    held = held[held.item_id.map(_is_material(network)) == purchased].reset_index(drop=True)
    n_days, n_held = len(days), len(held)
    cover_days = np.full(len(held), 6.0)
    if purchased:  # a material lasts until an order placed today arrives from the quickest supplier
        lead = network.supply_options.groupby(["plant_code", "item_id"]).lead_time_days.min()
        cover_days += lead.reindex(pd.MultiIndex.from_frame(held[["plant_code", "item_id"]])).fillna(0.0).to_numpy()
    target = held.weekly_qty.to_numpy()[:, None] / 7 * cover_days[:, None]
    phase = rng.uniform(0, 2 * np.pi, (n_held, 1))
    wave = 1 + 0.3 * np.sin(2 * np.pi * np.arange(n_days)[None, :] / 30 + phase)
    on_hand = np.maximum(0, np.round(target * wave * rng.normal(1, 0.1, (n_held, n_days))))
    on_hand[:, -IMBALANCE_DAYS:] *= _imbalance(network, held)[:, None]
    inspection = np.round(on_hand * rng.uniform(0, 0.05, (n_held, n_days)))
    blocked = np.where(rng.random((n_held, n_days)) < 0.02, np.round(on_hand * 0.1), 0.0)
    return pd.DataFrame({
        "plant_code": np.repeat(held.plant_code.to_numpy(), n_days),
        "item_id": np.repeat(held.item_id.to_numpy(), n_days),
        "snapshot_date": np.tile(days.date, n_held),
        "on_hand_qty": on_hand.ravel(), "in_inspection_qty": inspection.ravel(), "blocked_qty": blocked.ravel(),
    })


def _is_material(network: Network) -> pd.Series:
    return network.items.set_index("item_id").item_kind == "raw"


def material_need(network: Network) -> pd.DataFrame:
    """Expected weekly need of each purchased material at each plant: what it makes of the parents, times
    the quantity per."""
    need = (weekly_item_volume(network).merge(network.bom, left_on="item_id", right_on="parent_item_id")
            .assign(weekly_qty=lambda f: f.weekly_qty * f.qty_per))
    need = need[need.component_item_id.map(_is_material(network))]
    return (need.groupby(["plant_code", "component_item_id"], as_index=False).weekly_qty.sum()
            .rename(columns={"component_item_id": "item_id"}))


def supply_capacity(network: Network) -> pd.DataFrame:
    """Each supplier's weekly capacity per material, shared by every plant it serves: its capacity factor
    times what those plants need (at least two minimum orders), rounded up to hundreds."""
    options = network.supply_options.merge(material_need(network), on=["plant_code", "item_id"], how="left")
    factor = options.supplier_id.map(network.suppliers.set_index("supplier_id").capacity_factor)
    options["capacity"] = options.weekly_qty.fillna(0.0) * factor
    capacity = options.groupby(["supplier_id", "item_id"], as_index=False).capacity.sum()
    capacity = capacity.merge(options.groupby(["supplier_id", "item_id"], as_index=False).min_order_qty.max())
    capacity["capacity_per_week"] = np.ceil(np.maximum(capacity.capacity, 2 * capacity.min_order_qty) / 100) * 100
    return capacity[["supplier_id", "item_id", "capacity_per_week"]]


def local_price(network: Network, options: pd.DataFrame) -> pd.Series:
    """A supply option's unit price in its supplier's currency, fixed at the rate the history starts with."""
    currency = options.supplier_id.map(network.suppliers.set_index("supplier_id").currency)
    return (options.unit_price_eur / currency.map(FX_START)).round(2)


LATE_SHARE = 0.3  # purchase orders arriving after their due date, by up to two weeks


def purchase_orders(network: Network, horizon: Horizon, rng: np.random.Generator) -> pd.DataFrame:
    """A purchase order a week per plant and material from its quickest supplier, history and open: received
    when it arrives (a few late, still open past due on the as-of day), a few cancelled."""
    mondays = horizon.days()
    mondays = mondays[mondays.day_of_week == 0]
    options = (network.supply_options.sort_values(["plant_code", "item_id", "lead_time_days", "supplier_id"])
               .drop_duplicates(["plant_code", "item_id"]).merge(material_need(network), on=["plant_code", "item_id"]))
    options["unit_price"] = local_price(network, options)
    currency = network.suppliers.set_index("supplier_id").currency
    frames = []
    for row in options.itertuples():
        weeks = max(1, int(np.ceil(row.min_order_qty / max(row.weekly_qty, 1.0))))  # at least the minimum
        dates = mondays[::-1][::weeks][::-1]  # every few weeks where the need is below it, up to the as-of week
        n = len(dates)
        need = row.weekly_qty * weeks * rng.normal(1.0, 0.05, n)
        qty = np.maximum(row.min_order_qty, np.ceil(need / 10) * 10)
        due = dates + pd.Timedelta(days=int(row.lead_time_days))
        delay = np.where(rng.random(n) < LATE_SHARE, rng.integers(1, 15, n), 0)
        arrived = due + pd.to_timedelta(delay, unit="D")
        cancelled = rng.random(n) < 0.02
        received = (arrived.date <= horizon.as_of) & ~cancelled
        frames.append(pd.DataFrame({
            "plant_code": row.plant_code, "supplier_id": row.supplier_id, "item_id": row.item_id,
            "order_date": dates.date, "due_date": due.date,
            "receipt_date": pd.Series(arrived.date).where(received, None).values,
            "ordered_qty": qty, "received_qty": np.where(received, qty, 0.0), "unit_price": row.unit_price,
            "currency": currency[row.supplier_id],
            "status": np.where(cancelled, "cancelled", np.where(received, "received", "open")),
        }))
    orders = pd.concat(frames, ignore_index=True).sort_values(["plant_code", "order_date", "item_id"],
                                                               ignore_index=True)
    orders["po_no"] = orders.groupby("plant_code").cumcount() + 1
    return orders


def transfers(network: Network, horizon: Horizon, rng: np.random.Generator) -> pd.DataFrame:
    """Weekly component shipments from their makers to the assembly plants, history and in transit."""
    mondays = horizon.days()
    mondays = mondays[mondays.day_of_week == 0]
    volume = weekly_item_volume(network)
    lanes = network.lanes
    assemblers = network.makers[network.makers.item_id.isin(network.bom.parent_item_id)]
    need = (assemblers.drop_duplicates(["plant_code", "item_id"])
            .merge(volume.rename(columns={"weekly_qty": "parent_weekly"}), on=["plant_code", "item_id"])
            .merge(network.bom, left_on="item_id", right_on="parent_item_id")
            .assign(weekly_qty=lambda f: f.parent_weekly * f.qty_per)
            .groupby(["plant_code", "component_item_id"], as_index=False).weekly_qty.sum()
            .rename(columns={"plant_code": "to_plant_code", "component_item_id": "item_id"}))
    supply = volume.rename(columns={"plant_code": "from_plant_code", "weekly_qty": "made_qty"})
    share = supply.merge(need[["to_plant_code", "item_id", "weekly_qty"]], on="item_id")
    share["weekly_qty"] *= share.made_qty / share.groupby(["to_plant_code", "item_id"]).made_qty.transform("sum")
    share = share.merge(lanes, left_on=["from_plant_code", "to_plant_code"], right_on=["from", "to"])
    frames = []
    for row in share.itertuples():
        qty = np.maximum(1.0, np.round(row.weekly_qty * rng.normal(1.0, 0.05, len(mondays))))
        receipt = mondays + pd.Timedelta(days=int(row.transit_days))
        frames.append(pd.DataFrame({
            "from_plant_code": row.from_plant_code, "to_plant_code": row.to_plant_code, "item_id": row.item_id,
            "ship_date": mondays.date, "planned_receipt_date": receipt.date,
            "receipt_date": pd.Series(receipt.date).where(receipt.date <= horizon.as_of, None).values,
            "qty": qty,
        }))
    moves = pd.concat(frames, ignore_index=True).sort_values(["from_plant_code", "ship_date", "item_id"],
                                                              ignore_index=True)
    moves["transfer_no"] = moves.groupby("from_plant_code").cumcount() + 1
    return moves


def machine_events(network: Network, horizon: Horizon, rng: np.random.Generator) -> pd.DataFrame:
    """Machine state changes in plant-local time: shift start and end, breakdowns, planned maintenance."""
    days = horizon.days()
    workdays = days[days.day_of_week < 5]
    rows = []
    for wc in network.work_centers.itertuples():
        for day in workdays:
            start = day + pd.Timedelta(hours=6)
            end = start + pd.Timedelta(hours=wc.hours_per_day)
            rows.append((wc.plant_code, wc.work_center_code, start, "RUNNING", None))
            if day.weekday() == 2 and day.isocalendar().week % 2 == 0:
                at = start + pd.Timedelta(hours=2)
                rows.append((wc.plant_code, wc.work_center_code, at, "PLANNED_DOWN", "preventive maintenance"))
                rows.append((wc.plant_code, wc.work_center_code, at + pd.Timedelta(hours=2), "RUNNING", None))
            elif rng.random() < 0.15:
                at = start + pd.Timedelta(minutes=int(rng.integers(30, int(wc.hours_per_day * 60) - 300)))
                minutes = int(rng.integers(20, 240))
                rows.append((wc.plant_code, wc.work_center_code, at, "DOWN",
                             DOWN_REASONS[int(rng.integers(len(DOWN_REASONS)))]))
                rows.append((wc.plant_code, wc.work_center_code, at + pd.Timedelta(minutes=minutes), "RUNNING", None))
            rows.append((wc.plant_code, wc.work_center_code, end, "IDLE", "end of shift"))
    events = pd.DataFrame(rows, columns=["plant_code", "work_center_code", "event_time", "state", "reason"])
    events = events.sort_values(["plant_code", "event_time", "work_center_code"], ignore_index=True)
    events["event_no"] = events.groupby("plant_code").cumcount() + 1
    return events


def inspections(orders: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One final inspection per finished production order, with rejects and their defect code."""
    done = orders[orders.status == "done"].reset_index(drop=True)
    rate = np.where(rng.random(len(done)) < 0.05, 0.03, 0.006)
    rejected = rng.binomial(done.produced_qty.astype(int), rate).astype(float)
    frame = pd.DataFrame({
        "plant_code": done.plant_code, "item_id": done.item_id, "work_center_code": done.work_center_code,
        "inspected_at": pd.to_datetime(done.finished_date) + pd.Timedelta(hours=14),
        "inspected_qty": done.produced_qty, "rejected_qty": rejected,
        "defect_code": np.where(rejected > 0, np.array(DEFECT_CODES)[rng.integers(0, 5, len(done))], None),
    })
    frame = frame.sort_values(["plant_code", "inspected_at", "item_id"], ignore_index=True)
    frame["inspection_no"] = frame.groupby("plant_code").cumcount() + 1
    return frame
