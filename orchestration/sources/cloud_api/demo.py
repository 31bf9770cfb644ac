"""The demo's cloud-ERP plant: Odoo-like models as JSON lines the simulator serves, unit Units."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from orchestration.demo.writer import PlantData, Writer, dump_jsonl, iso
from orchestration.sources.kind import KindDemo

if TYPE_CHECKING:
    from orchestration.sources.kind import SourceKind


def _utc_text(local: pd.Series, tz: str) -> pd.Series:
    """Plant-local naive times as the UTC text a cloud ERP stores ('YYYY-MM-DD HH:MM:SS')."""
    stamps = pd.to_datetime(local).dt.tz_localize(ZoneInfo(tz), nonexistent="shift_forward",
                                                  ambiguous=False).dt.tz_convert("UTC")
    return stamps.dt.strftime("%Y-%m-%d %H:%M:%S")


def _odoo_ref(ids: pd.Series, names: pd.Series) -> pd.Series:
    return pd.Series([json.dumps([int(i), str(n)]) for i, n in zip(ids, names)], index=ids.index)


def render(kind: SourceKind, w: Writer, d: PlantData, as_of: date, start: date) -> None:
    code, tz = d.plant.code, d.plant.time_zone
    base = Path("cloud")
    item_index = {item: i + 1 for i, item in enumerate(d.items.item_id)}
    names = d.items.set_index("item_id").item_name

    def product(items: pd.Series) -> pd.Series:
        return _odoo_ref(items.map(item_index), "[" + items.map(d.item_code) + "] " + items.map(names))

    def stamp(dates: pd.Series, hour: int = 20) -> pd.Series:
        capped = pd.to_datetime(dates).clip(upper=pd.Timestamp(as_of)) + pd.Timedelta(hours=hour)
        return _utc_text(capped, tz)

    inv = d.inventory
    quants = []
    for location, column, loc_id in (("Stock", "on_hand_qty", 8), ("Quality", "in_inspection_qty", 9),
                                     ("Blocked", "blocked_qty", 10)):
        part = inv[(inv[column] > 0) | (column == "on_hand_qty")]
        quants.append(pd.DataFrame({"product_id": product(part.item_id), "default_code": part.item_id.map(d.item_code),
                                    "location_id": json.dumps([loc_id, f"{code}/{location}"]),
                                    "quantity": part[column], "reserved_quantity": 0.0,
                                    "product_uom_id": json.dumps([1, "Units"]),
                                    "inventory_date": iso(part.snapshot_date),
                                    "write_date": stamp(part.snapshot_date, 22), "_order": part.snapshot_date}))
    frames = {"stock_quant": pd.concat(quants)}

    o = d.orders
    dozens = (o.ordered_qty % 12 == 0) & (o.shipped_qty % 12 == 0) & o.customer_id.str.startswith("AM")
    factor = np.where(dozens, 12.0, 1.0)
    changed = o.shipped_date.where(o.shipped_date.notna(), o.order_date)
    frames["sale_order_line"] = pd.DataFrame({
        "order_id": _odoo_ref(o.order_no, o.order_no.map(lambda n: f"S{n:05d}")),
        "order_partner_id": o.customer_id.map(d.customer_code).map(lambda c: json.dumps([int(c.split(",")[1]), c])),
        "product_id": product(o.item_id), "default_code": o.item_id.map(d.item_code),
        "product_uom_qty": o.ordered_qty / factor, "qty_delivered": o.shipped_qty / factor,
        "product_uom": np.where(dozens, json.dumps([2, "Dozens"]), json.dumps([1, "Units"])),
        "price_unit": (o.unit_price_eur / d.fx * factor).round(2), "currency_id": json.dumps([1, d.plant.currency]),
        "date_order": _utc_text(pd.to_datetime(o.order_date) + pd.Timedelta(hours=9), tz),
        "x_requested_date": iso(o.requested_date),
        "commitment_date": _utc_text(pd.to_datetime(o.promised_date) + pd.Timedelta(hours=12), tz),
        "x_delivered_date": o.shipped_date.map(lambda s: False if s is None or pd.isna(s) else s.isoformat()),
        "write_date": stamp(changed), "_order": changed})
    wc = d.work_centers.reset_index(drop=True)
    frames["mrp_workcenter"] = pd.DataFrame({
        "name": wc.name, "code": wc.work_center_code, "time_efficiency": 100.0, "x_hours_per_day": wc.hours_per_day,
        "write_date": _utc_text(pd.Series([pd.Timestamp(d.inventory.snapshot_date.min())] * len(wc)), tz),
        "_order": d.inventory.snapshot_date.min()})
    wc_ref = dict(zip(wc.work_center_code, range(1, len(wc) + 1)))
    p = d.production
    changed = p.finished_date.where(p.finished_date.notna(), p.start_date)
    frames["mrp_production"] = pd.DataFrame({
        "name": p.order_no.map(lambda n: f"{code}/MO/{n:05d}"), "product_id": product(p.item_id),
        "default_code": p.item_id.map(d.item_code), "product_qty": p.planned_qty, "qty_produced": p.produced_qty,
        "x_qty_scrap": p.scrap_qty, "product_uom_id": json.dumps([1, "Units"]),
        "workcenter_id": _odoo_ref(p.work_center_code.map(wc_ref), p.work_center_code),
        "date_start": _utc_text(pd.to_datetime(p.start_date) + pd.Timedelta(hours=6), tz),
        "date_deadline": _utc_text(pd.to_datetime(p.due_date) + pd.Timedelta(hours=22), tz),
        "date_finished": p.finished_date.map(lambda s: False if s is None or pd.isna(s) else None),
        "state": p.status.map({"done": "done", "in_progress": "progress", "released": "confirmed",
                               "planned": "draft"}),
        "write_date": stamp(changed), "_order": changed})
    finished = p.finished_date.notna()
    frames["mrp_production"].loc[finished, "date_finished"] = _utc_text(
        pd.to_datetime(p.finished_date[finished]) + pd.Timedelta(hours=14), tz)
    t = d.transfers
    changed = t.receipt_date.where(t.receipt_date.notna(), t.ship_date)
    frames["stock_picking"] = pd.DataFrame({
        "name": t.transfer_no.map(lambda n: f"{code}/INT/{n:05d}"), "product_id": product(t.item_id),
        "default_code": t.item_id.map(d.item_code), "quantity": t.qty, "product_uom_id": json.dumps([1, "Units"]),
        "location_dest_id": t.to_plant_code.map(lambda p_: json.dumps([100, f"{p_}/Stock"])),
        "scheduled_date": _utc_text(pd.to_datetime(t.ship_date) + pd.Timedelta(hours=7), tz),
        "date_deadline": _utc_text(pd.to_datetime(t.planned_receipt_date) + pd.Timedelta(hours=7), tz),
        "date_done": t.receipt_date.map(lambda s: False if s is None or pd.isna(s) else s.isoformat() + " 07:00:00"),
        "state": np.where(t.receipt_date.notna(), "done", "assigned"), "write_date": stamp(changed),
        "_order": changed})
    b = d.purchases
    currencies = {c: i for i, c in enumerate(sorted(set(b.currency)), start=1)}
    changed = b.receipt_date.where(b.receipt_date.notna(), b.order_date)
    frames["purchase_order_line"] = pd.DataFrame({
        "order_id": _odoo_ref(b.po_no, b.po_no.map(lambda n: f"P{n:05d}")),
        "partner_id": b.supplier_id.map(d.supplier_code).map(lambda c: json.dumps([int(c.split(",")[1]), c])),
        "product_id": product(b.item_id), "default_code": b.item_id.map(d.item_code), "product_qty": b.ordered_qty,
        "qty_received": b.received_qty, "product_uom": json.dumps([1, "Units"]), "price_unit": b.unit_price,
        "currency_id": _odoo_ref(b.currency.map(currencies), b.currency),
        "date_order": _utc_text(pd.to_datetime(b.order_date) + pd.Timedelta(hours=9), tz),
        "date_planned": _utc_text(pd.to_datetime(b.due_date) + pd.Timedelta(hours=8), tz),
        "state": b.status.map({"open": "purchase", "received": "done", "cancelled": "cancel"}),
        "write_date": stamp(changed), "_order": changed})
    for entity, frame in frames.items():
        frame = frame.sort_values(["write_date"], kind="stable").drop(columns="_order").reset_index(drop=True)
        frame.insert(0, "id", np.arange(1, len(frame) + 1))
        w.file(code, kind.entity(entity), base / f"{kind.entity(entity).native}.jsonl", frame[list(kind.entity(entity).fields)],
               dump_jsonl, may_be_late=False)


DEMO = KindDemo(
    render=render, faulty=frozenset({"stock_quant", "sale_order_line", "mrp_production", "stock_picking",
                                     "purchase_order_line"}),
    settings=lambda plant: {"base_url": "simulator", "simulator_data": f"{plant}/cloud",
                            "token_env": f"PLANTSYNC_{plant}_TOKEN", "page_size": 500},
    local_unit="Units", item_code=lambda plant, item_id, i: f"{plant}.{item_id.replace('-', '')}",
    customer_code=lambda customer, i: f"res.partner,{40 + i}",
    supplier_code=lambda supplier, i: f"res.partner,{300 + i}")
