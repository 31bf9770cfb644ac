"""The demo's generic-format plant: CSV files per entity and month, plain codes, unit EA."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from orchestration.demo.writer import PlantData, Writer, by_month, dump_csv, iso
from orchestration.sources.kind import KindDemo

if TYPE_CHECKING:
    from orchestration.sources.kind import SourceKind


def render(kind: SourceKind, w: Writer, d: PlantData, as_of: date, start: date) -> None:
    code = d.plant.code
    inv, o, p, t, b = d.inventory, d.orders, d.production, d.transfers, d.purchases
    wc = d.work_centers
    w.file(code, kind.entity("work_centers"), Path("generic/work_centers") / f"work_centers_{start:%Y%m%d}.csv",
           pd.DataFrame({"work_center_code": wc.work_center_code, "work_center_name": wc.name,
                         "hours_per_day": wc.hours_per_day}), dump_csv)
    frames = {
        "inventory": (inv.snapshot_date, pd.DataFrame({
            "snapshot_date": iso(inv.snapshot_date), "item_code": inv.item_id.map(d.item_code),
            "on_hand_qty": inv.on_hand_qty, "in_inspection_qty": inv.in_inspection_qty,
            "blocked_qty": inv.blocked_qty, "unit": "EA"})),
        "order_lines": (o.order_date, pd.DataFrame({
            "order_id": o.order_no.map(lambda n: f"SO{n:07d}"), "line_id": 1,
            "customer_code": o.customer_id.map(d.customer_code), "item_code": o.item_id.map(d.item_code),
            "order_date": iso(o.order_date), "requested_date": iso(o.requested_date),
            "promised_date": iso(o.promised_date), "shipped_date": iso(o.shipped_date),
            "ordered_qty": o.ordered_qty, "shipped_qty": o.shipped_qty, "unit": "EA",
            "unit_price": (o.unit_price_eur / d.fx).round(2), "currency": d.plant.currency})),
        "production_orders": (p.start_date, pd.DataFrame({
            "production_order_id": p.order_no.map(lambda n: f"PO{n:07d}"), "item_code": p.item_id.map(d.item_code),
            "work_center_code": p.work_center_code, "start_date": iso(p.start_date), "due_date": iso(p.due_date),
            "finished_date": iso(p.finished_date), "planned_qty": p.planned_qty, "produced_qty": p.produced_qty,
            "scrap_qty": p.scrap_qty, "unit": "EA", "status": p.status})),
        "transfers": (t.ship_date, pd.DataFrame({
            "transfer_id": t.transfer_no.map(lambda n: f"TR{n:07d}"), "item_code": t.item_id.map(d.item_code),
            "to_plant_code": t.to_plant_code, "qty": t.qty, "unit": "EA", "ship_date": iso(t.ship_date),
            "planned_receipt_date": iso(t.planned_receipt_date), "receipt_date": iso(t.receipt_date)})),
        "purchase_orders": (b.order_date, pd.DataFrame({
            "purchase_order_id": b.po_no.map(lambda n: f"PUR{n:07d}"), "line_id": 1,
            "supplier_code": b.supplier_id.map(d.supplier_code), "item_code": b.item_id.map(d.item_code),
            "order_date": iso(b.order_date), "due_date": iso(b.due_date), "receipt_date": iso(b.receipt_date),
            "ordered_qty": b.ordered_qty, "received_qty": b.received_qty, "unit": "EA", "unit_price": b.unit_price,
            "currency": b.currency, "status": b.status})),
    }
    for entity, (dates, frame) in frames.items():
        frame["_month"] = dates.values
        for month, part in by_month(frame, "_month", as_of):
            w.file(code, kind.entity(entity), Path("generic") / entity / f"{entity}_{month}.csv", part, dump_csv)


DEMO = KindDemo(
    render=render, faulty=frozenset({"inventory", "order_lines", "production_orders", "transfers",
                                     "purchase_orders"}),
    settings=lambda plant: {"path": f"{plant}/generic"}, local_unit="EA",
    item_code=lambda plant, item_id, i: f"P{i:06d}", customer_code=lambda customer, i: customer.lower(),
    supplier_code=lambda supplier, i: supplier.lower())
