"""The demo's plant database: a SQLite file with Spanish table and column names, unit PZA."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from orchestration.demo.writer import PlantData, Writer, iso
from orchestration.sources.kind import KindDemo

if TYPE_CHECKING:
    from orchestration.sources.kind import SourceKind


def render(kind: SourceKind, w: Writer, d: PlantData, as_of: date, start: date) -> None:
    code = d.plant.code
    path = w.out / code / "plant.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)

    def text(dates: pd.Series, hour: int) -> pd.Series:
        return dates.map(lambda s: None if s is None or pd.isna(s) else f"{s.isoformat()} {hour:02d}:00:00")

    def touched(dates: pd.Series) -> pd.Series:
        return text(pd.to_datetime(dates).clip(upper=pd.Timestamp(as_of)).dt.date, 21)

    inv, o, p, t, b = d.inventory, d.orders, d.production, d.transfers, d.purchases
    wc = d.work_centers.reset_index(drop=True)
    tables = {
        "existencias": pd.DataFrame({
            "fecha": iso(inv.snapshot_date), "num_parte": inv.item_id.map(d.item_code), "almacen": "ALM01",
            "cant_libre": inv.on_hand_qty, "cant_inspeccion": inv.in_inspection_qty,
            "cant_bloqueada": inv.blocked_qty, "unidad": "PZA", "actualizado": text(inv.snapshot_date, 23)}),
        "pedidos": pd.DataFrame({
            "pedido": o.order_no.map(lambda n: f"PV-{n:06d}"), "renglon": 1,
            "cliente": o.customer_id.map(d.customer_code), "num_parte": o.item_id.map(d.item_code),
            "cantidad": o.ordered_qty, "unidad": "PZA", "precio": (o.unit_price_eur / d.fx).round(2),
            "moneda": d.plant.currency, "fecha_pedido": iso(o.order_date), "fecha_requerida": iso(o.requested_date),
            "fecha_promesa": iso(o.promised_date), "fecha_embarque": o.shipped_date.map(
                lambda s: None if s is None or pd.isna(s) else s.isoformat()),
            "cant_embarcada": o.shipped_qty,
            "actualizado": touched(o.shipped_date.where(o.shipped_date.notna(), o.order_date))}),
        "ordenes_trabajo": pd.DataFrame({
            "orden": p.order_no.map(lambda n: f"OT-{n:06d}"), "num_parte": p.item_id.map(d.item_code),
            "linea": p.work_center_code, "cant_plan": p.planned_qty, "cant_buena": p.produced_qty,
            "cant_scrap": p.scrap_qty, "unidad": "PZA", "inicio": text(p.start_date, 6),
            "fin_plan": text(p.due_date, 22), "fin_real": text(p.finished_date, 14),
            "estado": p.status.map({"done": "CERRADA", "in_progress": "EN PROCESO", "released": "LIBERADA",
                                    "planned": "PLANEADA"}),
            "actualizado": touched(p.finished_date.where(p.finished_date.notna(), p.start_date))}),
        "lineas": pd.DataFrame({
            "linea": wc.work_center_code, "descripcion": wc.name, "turnos": 2, "horas_turno": wc.hours_per_day / 2,
            "actualizado": f"{d.inventory.snapshot_date.min().isoformat()} 06:00:00"}),
        "traspasos": pd.DataFrame({
            "folio": t.transfer_no.map(lambda n: f"TR-{n:06d}"), "num_parte": t.item_id.map(d.item_code),
            "planta_destino": t.to_plant_code, "cantidad": t.qty, "unidad": "PZA", "fecha_salida": iso(t.ship_date),
            "fecha_llegada_plan": iso(t.planned_receipt_date), "fecha_llegada": t.receipt_date.map(
                lambda s: None if s is None or pd.isna(s) else s.isoformat()),
            "actualizado": touched(t.receipt_date.where(t.receipt_date.notna(), t.ship_date))}),
        "compras": pd.DataFrame({
            "orden_compra": b.po_no.map(lambda n: f"OC-{n:06d}"), "renglon": 1,
            "proveedor": b.supplier_id.map(d.supplier_code), "num_parte": b.item_id.map(d.item_code),
            "cantidad": b.ordered_qty, "cant_recibida": b.received_qty, "unidad": "PZA", "precio": b.unit_price,
            "moneda": b.currency, "fecha_orden": iso(b.order_date), "fecha_entrega": iso(b.due_date),
            "fecha_recepcion": b.receipt_date.map(lambda s: None if s is None or pd.isna(s) else s.isoformat()),
            "estado": b.status.map({"open": "ABIERTA", "received": "RECIBIDA", "cancelled": "CANCELADA"}),
            "actualizado": touched(b.receipt_date.where(b.receipt_date.notna(), b.order_date))}),
    }
    with sqlite3.connect(path) as db:
        for name, frame in tables.items():
            frame = frame.sort_values("actualizado", kind="stable").reset_index(drop=True)
            frame.insert(0, "id", np.arange(1, len(frame) + 1))
            frame = w.inject(frame[list(kind.entity(name).fields)], kind.entity(name), code, name)
            frame.to_sql(name, db, index=False)
            w.manifest.add_rows(code, name, len(frame))


DEMO = KindDemo(
    render=render, faulty=frozenset({"existencias", "pedidos", "ordenes_trabajo", "traspasos", "compras"}),
    settings=lambda plant: {"url": f"sqlite:///{{sources}}/{plant}/plant.db"}, local_unit="PZA",
    item_code=lambda plant, item_id, i: f"MX-{item_id[0]}{i:05d}", customer_code=lambda customer, i: f"CL{i:03d}",
    supplier_code=lambda supplier, i: f"PR{i:03d}")
