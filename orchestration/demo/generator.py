"""Write a generated network to disk: each plant's data in its own ERP's native form, plus a manifest.

Layout under the output folder:
    network.yaml                      the network config for this network
    manifest.json                     rows written and faults injected, per plant and entity
    network/<entity>.csv              reference data (items, cross-references, BOM, routings, rates)
    <plant>/sap/<TABLE>_<YYYYMMDD>.csv, <plant>/cloud/<model>.jsonl, <plant>/plant.db,
    <plant>/generic/<entity>/<entity>_<YYYYMMDD>.csv, <plant>/events/<entity>_<YYYYMM>.jsonl
    <plant>/_late/...                 files withheld as "late" (moved into place by a test or a person)
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import yaml

from orchestration.core import clock
from orchestration.demo import history
from orchestration.demo.network import LOCAL_UNIT, Network, build_network
from orchestration.erp.catalog import CATALOG, SourceEntity

FAULTY_ENTITIES = {
    "mard", "vbap", "lips", "afpo", "ekpo", "stock_quant", "sale_order_line", "mrp_production", "stock_picking",
    "existencias", "pedidos", "ordenes_trabajo", "traspasos", "inventory", "order_lines", "production_orders",
    "transfers", "quality_inspections", "machine_events",
}
UNKNOWN_UNIT = "BOX"


@dataclass
class Manifest:
    """What the generator wrote, so tests can reconcile loads and quarantine against it."""

    settings: dict
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # plant -> entity -> rows
    faults: list[dict] = field(default_factory=list)
    late_files: list[dict] = field(default_factory=list)

    def add_rows(self, plant: str, entity: str, rows: int) -> None:
        self.counts.setdefault(plant, {}).setdefault(entity, 0)
        self.counts[plant][entity] += rows

    def to_json(self) -> str:
        return json.dumps({"settings": self.settings, "counts": self.counts, "faults": self.faults,
                           "late_files": self.late_files}, indent=1, sort_keys=True, default=str)


class _Writer:
    """Writes frames, injecting faults at the configured rate and logging each one in the manifest."""

    def __init__(self, out: Path, manifest: Manifest, rng: np.random.Generator, fault_rate: float):
        self.out, self.manifest, self.rng, self.fault_rate = out, manifest, rng, fault_rate

    def inject(self, frame: pd.DataFrame, spec: SourceEntity, plant: str, where: str) -> pd.DataFrame:
        if self.fault_rate <= 0 or spec.entity not in FAULTY_ENTITIES or frame.empty:
            return frame
        kinds = ["duplicate"] + (["unknown_item"] if spec.item_field else []) + (
            ["unit_mismatch"] if spec.unit_field else [])
        hit = np.flatnonzero(self.rng.random(len(frame)) < self.fault_rate)
        chosen = self.rng.choice(kinds, size=len(hit))
        frame = frame.reset_index(drop=True).copy()
        for position, kind in zip(hit, chosen):
            if kind == "unknown_item":
                frame.loc[position, spec.item_field] = f"UNKNOWN-{int(position):05d}"
            elif kind == "unit_mismatch":
                frame.loc[position, spec.unit_field] = _with_unit(frame.loc[position, spec.unit_field])
        duplicates = hit[chosen == "duplicate"]
        source_rows = np.sort(np.concatenate([np.arange(len(frame)), duplicates]), kind="stable")
        frame = frame.iloc[source_rows].reset_index(drop=True)
        first_row = np.searchsorted(source_rows, hit)  # 0-based position of each hit row's first copy
        for kind, first in zip(chosen, first_row):
            row = int(first) + (2 if kind == "duplicate" else 1)  # 1-based data row; a duplicate is the copy
            self.manifest.faults.append({
                "plant": plant, "entity": spec.entity, "where": where, "row": row, "kind": str(kind),
                "field": {"unknown_item": spec.item_field, "unit_mismatch": spec.unit_field}.get(kind),
                "key": {k: _plain(frame.iloc[row - 1][k]) for k in spec.key},
            })
        return frame

    def late(self, plant: str, relative: Path) -> bool:
        return self.fault_rate > 0 and self.rng.random() < min(1.0, self.fault_rate * 5)

    def file(self, plant: str, spec: SourceEntity, relative: Path, frame: pd.DataFrame,
             dump: Callable[[pd.DataFrame, Path], None], may_be_late: bool = True) -> None:
        frame = self.inject(frame, spec, plant, relative.as_posix())
        target = self.out / plant / relative
        if may_be_late and spec.entity in FAULTY_ENTITIES and self.late(plant, relative):
            target = self.out / plant / "_late" / relative
            self.manifest.late_files.append({"plant": plant, "entity": spec.entity,
                                             "file": f"{plant}/{relative.as_posix()}", "rows": len(frame)})
        target.parent.mkdir(parents=True, exist_ok=True)
        dump(frame, target)
        self.manifest.add_rows(plant, spec.entity, len(frame))


def _with_unit(value: object) -> object:
    """Replace a unit code with one no conversion table knows, keeping JSON-list shape for cloud fields."""
    if isinstance(value, str) and value.startswith("["):
        return json.dumps([99, UNKNOWN_UNIT])
    return UNKNOWN_UNIT


def _plain(value: object) -> object:
    return value.item() if hasattr(value, "item") else value


# --- formats -------------------------------------------------------------------------------------------

def _sap_num(values: pd.Series) -> pd.Series:
    return values.map(lambda v: f"{v:.3f}".replace(".", ","))


def _sap_date(values: pd.Series) -> pd.Series:
    return values.map(lambda d: "00000000" if d is None or pd.isna(d) else d.strftime("%Y%m%d"))


def _dump_sap(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, sep=";", index=False, encoding="utf-8")


def _dump_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8")


def _dump_jsonl(frame: pd.DataFrame, path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in frame.to_dict("records"):
            handle.write(json.dumps({k: _json_value(v) for k, v in record.items()}, ensure_ascii=False) + "\n")


def _json_value(value: object) -> object:
    if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        return json.loads(value)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return _plain(value)


def _by_month(frame: pd.DataFrame, column: str, as_of: date) -> list[tuple[str, pd.DataFrame]]:
    """Split a frame into monthly extracts named by the month's last day (or the as-of day); with no rows,
    one extract of the as-of day holding just the header, as an export job that found nothing writes."""
    if frame.empty:
        return [(as_of.strftime("%Y%m%d"), frame.drop(columns=[column]))]
    months = pd.to_datetime(frame[column]).dt.to_period("M").clip(upper=pd.Period(as_of, "M"))
    out = []
    for month, part in frame.groupby(months, sort=True):
        stamp = min(month.end_time.date(), as_of)
        out.append((stamp.strftime("%Y%m%d"), part.drop(columns=[column])))
    return out


def _iso(values: pd.Series) -> pd.Series:
    return values.map(lambda d: "" if d is None or pd.isna(d) else d.isoformat())


def _local_codes(network: Network) -> pd.DataFrame:
    """Each plant's own code for each network item: SAP numbers, Odoo default codes, MX part numbers."""
    index = {item: i + 1 for i, item in enumerate(network.items.item_id)}
    rows = []
    for plant in network.plants.itertuples():
        for item_id, i in index.items():
            code = {
                "sap_files": f"{10000000 + i * 10:018d}",
                "cloud_api": f"{plant.code}.{item_id.replace('-', '')}",
                "plant_db": f"MX-{item_id[0]}{i:05d}",
                "generic": f"P{i:06d}",
            }[plant.erp_kind]
            rows.append((plant.code, code, item_id))
    return pd.DataFrame(rows, columns=["plant_code", "local_item_code", "item_id"])


def _local_customers(network: Network) -> pd.DataFrame:
    rows = []
    for plant in network.plants.itertuples():
        for i, customer in enumerate(network.customers.customer_id, start=1):
            code = {"sap_files": f"{100000 + i:010d}", "cloud_api": f"res.partner,{40 + i}",
                    "plant_db": f"CL{i:03d}", "generic": customer.lower()}[plant.erp_kind]
            rows.append((plant.code, code, customer))
    return pd.DataFrame(rows, columns=["plant_code", "local_customer_code", "customer_id"])


@dataclass
class _PlantData:
    plant: pd.Series
    fx: float
    inventory: pd.DataFrame
    orders: pd.DataFrame
    production: pd.DataFrame
    transfers: pd.DataFrame
    work_centers: pd.DataFrame
    events: pd.DataFrame
    inspections: pd.DataFrame
    item_code: dict[str, str]
    customer_code: dict[str, str]
    items: pd.DataFrame


# --- one renderer per ERP kind ---------------------------------------------------------------------------

def _render_sap(w: _Writer, d: _PlantData, as_of: date, start: date) -> None:
    code, spec = d.plant.code, CATALOG["sap_files"]
    base = Path("sap")
    stamp = start.strftime("%Y%m%d")
    held = d.items[d.items.item_id.isin(set(d.inventory.item_id) | set(d.production.item_id))]
    matnr = held.item_id.map(d.item_code)
    w.file(code, spec["mara"], base / f"MARA_{stamp}.csv", pd.DataFrame({
        "MATNR": matnr, "MTART": np.where(held.item_kind == "module", "FERT", "HALB"),
        "MATKL": held.product_family, "MEINS": "ST", "MAKTX": held.item_name,
        "BRGEW": _sap_num(np.where(held.item_kind == "disc", 8.5, 4.2) * 1.0 + held.index * 0),
        "GEWEI": "KG"}), _dump_sap)
    w.file(code, spec["marc"], base / f"MARC_{stamp}.csv", pd.DataFrame({
        "MATNR": matnr, "WERKS": code, "EISBE": _sap_num(pd.Series(0.0, index=held.index)), "PLIFZ": "0",
        "DISPO": "001", "BESKZ": np.where(held.item_id.isin(d.production.item_id), "E", "F")}), _dump_sap)
    wc = d.work_centers.reset_index(drop=True)
    w.file(code, spec["crhd"], base / f"CRHD_{stamp}.csv", pd.DataFrame({
        "OBJID": [f"{10000001 + i:08d}" for i in range(len(wc))], "ARBPL": wc.work_center_code, "WERKS": code,
        "KTEXT": wc.name, "VERWE": "0001", "KAPID": [f"{20000001 + i:08d}" for i in range(len(wc))]}), _dump_sap)
    w.file(code, spec["kako"], base / f"KAKO_{stamp}.csv", pd.DataFrame({
        "KAPID": [f"{20000001 + i:08d}" for i in range(len(wc))], "KAPAR": "001", "BEGZT": "21600",
        "ENDZT": (21600 + wc.hours_per_day * 3600).astype(int).astype(str), "PAUSE": "0", "NGRAD": "100",
        "AZNOR": "1"}), _dump_sap)

    inv = d.inventory
    mard = pd.DataFrame({"MATNR": inv.item_id.map(d.item_code), "WERKS": code, "LGORT": "0001",
                         "STICHTAG": _sap_date(inv.snapshot_date), "LABST": _sap_num(inv.on_hand_qty),
                         "INSME": _sap_num(inv.in_inspection_qty), "SPEME": _sap_num(inv.blocked_qty),
                         "_month": inv.snapshot_date})
    for month, part in _by_month(mard, "_month", as_of):
        w.file(code, spec["mard"], base / f"MARD_{month}.csv", part, _dump_sap)

    o = d.orders
    vbeln = o.order_no.map(lambda n: f"{10000000 + n:010d}")
    price_local = o.unit_price_eur / d.fx
    frames = {
        "vbak": pd.DataFrame({"VBELN": vbeln, "ERDAT": _sap_date(o.order_date), "AUART": "TA",
                              "KUNNR": o.customer_id.map(d.customer_code), "WAERK": d.plant.currency,
                              "VKORG": "1000"}),
        "vbap": pd.DataFrame({"VBELN": vbeln, "POSNR": "000010", "MATNR": o.item_id.map(d.item_code),
                              "WERKS": code, "KWMENG": _sap_num(o.ordered_qty), "VRKME": "ST",
                              "NETWR": _sap_num((o.ordered_qty * price_local).round(2)),
                              "WAERK": d.plant.currency}),
    }
    for entity, frame in frames.items():
        frame["_month"] = o.order_date
        for month, part in _by_month(frame, "_month", as_of):
            w.file(code, spec[entity], base / f"{entity.upper()}_{month}.csv", part, _dump_sap)
    vbep = pd.concat([
        pd.DataFrame({"VBELN": vbeln, "POSNR": "000010", "ETENR": "0001", "EDATU": _sap_date(o.requested_date),
                      "WMENG": _sap_num(o.ordered_qty), "BMENG": _sap_num(o.ordered_qty * 0), "_month": o.order_date}),
        pd.DataFrame({"VBELN": vbeln, "POSNR": "000010", "ETENR": "0002", "EDATU": _sap_date(o.promised_date),
                      "WMENG": _sap_num(o.ordered_qty * 0), "BMENG": _sap_num(o.ordered_qty), "_month": o.order_date}),
    ]).sort_values(["VBELN", "ETENR"], kind="stable")
    for month, part in _by_month(vbep, "_month", as_of):
        w.file(code, spec["vbep"], base / f"VBEP_{month}.csv", part, _dump_sap)
    shipped = o[o.shipped_date.notna()]
    lips = pd.DataFrame({"VBELN": [f"{80000000 + i:010d}" for i in range(1, len(shipped) + 1)], "POSNR": "000010",
                         "VGBEL": vbeln[shipped.index], "VGPOS": "000010",
                         "MATNR": shipped.item_id.map(d.item_code), "WERKS": code,
                         "LFIMG": _sap_num(shipped.shipped_qty), "VRKME": "ST",
                         "WADAT_IST": _sap_date(shipped.shipped_date), "_month": shipped.shipped_date})
    for month, part in _by_month(lips, "_month", as_of):
        w.file(code, spec["lips"], base / f"LIPS_{month}.csv", part, _dump_sap)

    p = d.production
    aufnr = p.order_no.map(lambda n: f"{1000000 + n:012d}")
    afko = pd.DataFrame({"AUFNR": aufnr, "GSTRP": _sap_date(p.start_date), "GLTRP": _sap_date(p.due_date),
                         "GETRI": _sap_date(p.finished_date), "GAMNG": _sap_num(p.planned_qty),
                         "IGMNG": _sap_num(p.produced_qty), "IASMG": _sap_num(p.scrap_qty), "GMEIN": "ST",
                         "ARBPL": p.work_center_code, "_month": p.start_date})
    afpo = pd.DataFrame({"AUFNR": aufnr, "POSNR": "0001", "MATNR": p.item_id.map(d.item_code),
                         "PSMNG": _sap_num(p.planned_qty), "WEMNG": _sap_num(p.produced_qty), "AMEIN": "ST",
                         "PWERK": code, "_month": p.start_date})
    for entity, frame in (("afko", afko), ("afpo", afpo)):
        for month, part in _by_month(frame, "_month", as_of):
            w.file(code, spec[entity], base / f"{entity.upper()}_{month}.csv", part, _dump_sap)

    t = d.transfers
    ekpo = pd.DataFrame({"EBELN": t.transfer_no.map(lambda n: f"{4500000000 + n}"), "EBELP": "00010",
                         "MATNR": t.item_id.map(d.item_code), "WERKS": t.to_plant_code, "RESWK": code,
                         "MENGE": _sap_num(t.qty), "MEINS": "ST", "BEDAT": _sap_date(t.ship_date),
                         "EINDT": _sap_date(t.planned_receipt_date), "WEDAT": _sap_date(t.receipt_date),
                         "_month": t.ship_date})
    for month, part in _by_month(ekpo, "_month", as_of):
        w.file(code, spec["ekpo"], base / f"EKPO_{month}.csv", part, _dump_sap)


def _utc_text(local: pd.Series, tz: str) -> pd.Series:
    """Plant-local naive times as the UTC text a cloud ERP stores ('YYYY-MM-DD HH:MM:SS')."""
    stamps = pd.to_datetime(local).dt.tz_localize(ZoneInfo(tz), nonexistent="shift_forward",
                                                  ambiguous=False).dt.tz_convert("UTC")
    return stamps.dt.strftime("%Y-%m-%d %H:%M:%S")


def _odoo_ref(ids: pd.Series, names: pd.Series) -> pd.Series:
    return pd.Series([json.dumps([int(i), str(n)]) for i, n in zip(ids, names)], index=ids.index)


def _render_cloud(w: _Writer, d: _PlantData, as_of: date) -> None:
    code, spec, tz = d.plant.code, CATALOG["cloud_api"], d.plant.time_zone
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
                                    "inventory_date": _iso(part.snapshot_date),
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
        "x_requested_date": _iso(o.requested_date),
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
        "state": p.status.map({"done": "done", "in_progress": "progress", "planned": "confirmed"}),
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
    for entity, frame in frames.items():
        frame = frame.sort_values(["write_date"], kind="stable").drop(columns="_order").reset_index(drop=True)
        frame.insert(0, "id", np.arange(1, len(frame) + 1))
        w.file(code, spec[entity], base / f"{spec[entity].native}.jsonl", frame[list(spec[entity].fields)],
               _dump_jsonl, may_be_late=False)


def _render_plant_db(w: _Writer, d: _PlantData, as_of: date, sources: Path) -> None:
    code, spec = d.plant.code, CATALOG["plant_db"]
    path = sources / code / "plant.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)

    def text(dates: pd.Series, hour: int) -> pd.Series:
        return dates.map(lambda s: None if s is None or pd.isna(s) else f"{s.isoformat()} {hour:02d}:00:00")

    def touched(dates: pd.Series) -> pd.Series:
        return text(pd.to_datetime(dates).clip(upper=pd.Timestamp(as_of)).dt.date, 21)

    inv, o, p, t = d.inventory, d.orders, d.production, d.transfers
    wc = d.work_centers.reset_index(drop=True)
    tables = {
        "existencias": pd.DataFrame({
            "fecha": _iso(inv.snapshot_date), "num_parte": inv.item_id.map(d.item_code), "almacen": "ALM01",
            "cant_libre": inv.on_hand_qty, "cant_inspeccion": inv.in_inspection_qty,
            "cant_bloqueada": inv.blocked_qty, "unidad": "PZA", "actualizado": text(inv.snapshot_date, 23)}),
        "pedidos": pd.DataFrame({
            "pedido": o.order_no.map(lambda n: f"PV-{n:06d}"), "renglon": 1,
            "cliente": o.customer_id.map(d.customer_code), "num_parte": o.item_id.map(d.item_code),
            "cantidad": o.ordered_qty, "unidad": "PZA", "precio": (o.unit_price_eur / d.fx).round(2),
            "moneda": d.plant.currency, "fecha_pedido": _iso(o.order_date), "fecha_requerida": _iso(o.requested_date),
            "fecha_promesa": _iso(o.promised_date), "fecha_embarque": o.shipped_date.map(
                lambda s: None if s is None or pd.isna(s) else s.isoformat()),
            "cant_embarcada": o.shipped_qty,
            "actualizado": touched(o.shipped_date.where(o.shipped_date.notna(), o.order_date))}),
        "ordenes_trabajo": pd.DataFrame({
            "orden": p.order_no.map(lambda n: f"OT-{n:06d}"), "num_parte": p.item_id.map(d.item_code),
            "linea": p.work_center_code, "cant_plan": p.planned_qty, "cant_buena": p.produced_qty,
            "cant_scrap": p.scrap_qty, "unidad": "PZA", "inicio": text(p.start_date, 6),
            "fin_plan": text(p.due_date, 22), "fin_real": text(p.finished_date, 14),
            "estado": p.status.map({"done": "CERRADA", "in_progress": "EN PROCESO", "planned": "PLANEADA"}),
            "actualizado": touched(p.finished_date.where(p.finished_date.notna(), p.start_date))}),
        "lineas": pd.DataFrame({
            "linea": wc.work_center_code, "descripcion": wc.name, "turnos": 2, "horas_turno": wc.hours_per_day / 2,
            "actualizado": f"{d.inventory.snapshot_date.min().isoformat()} 06:00:00"}),
        "traspasos": pd.DataFrame({
            "folio": t.transfer_no.map(lambda n: f"TR-{n:06d}"), "num_parte": t.item_id.map(d.item_code),
            "planta_destino": t.to_plant_code, "cantidad": t.qty, "unidad": "PZA", "fecha_salida": _iso(t.ship_date),
            "fecha_llegada_plan": _iso(t.planned_receipt_date), "fecha_llegada": t.receipt_date.map(
                lambda s: None if s is None or pd.isna(s) else s.isoformat()),
            "actualizado": touched(t.receipt_date.where(t.receipt_date.notna(), t.ship_date))}),
    }
    with sqlite3.connect(path) as db:
        for name, frame in tables.items():
            frame = frame.sort_values("actualizado", kind="stable").reset_index(drop=True)
            frame.insert(0, "id", np.arange(1, len(frame) + 1))
            frame = w.inject(frame[list(spec[name].fields)], spec[name], code, name)
            frame.to_sql(name, db, index=False)
            w.manifest.add_rows(code, name, len(frame))


def _render_generic(w: _Writer, d: _PlantData, as_of: date, start: date) -> None:
    code, spec = d.plant.code, CATALOG["generic"]
    inv, o, p, t = d.inventory, d.orders, d.production, d.transfers
    wc = d.work_centers
    w.file(code, spec["work_centers"], Path("generic/work_centers") / f"work_centers_{start:%Y%m%d}.csv",
           pd.DataFrame({"work_center_code": wc.work_center_code, "work_center_name": wc.name,
                         "hours_per_day": wc.hours_per_day}), _dump_csv)
    frames = {
        "inventory": (inv.snapshot_date, pd.DataFrame({
            "snapshot_date": _iso(inv.snapshot_date), "item_code": inv.item_id.map(d.item_code),
            "on_hand_qty": inv.on_hand_qty, "in_inspection_qty": inv.in_inspection_qty,
            "blocked_qty": inv.blocked_qty, "unit": "EA"})),
        "order_lines": (o.order_date, pd.DataFrame({
            "order_id": o.order_no.map(lambda n: f"SO{n:07d}"), "line_id": 1,
            "customer_code": o.customer_id.map(d.customer_code), "item_code": o.item_id.map(d.item_code),
            "order_date": _iso(o.order_date), "requested_date": _iso(o.requested_date),
            "promised_date": _iso(o.promised_date), "shipped_date": _iso(o.shipped_date),
            "ordered_qty": o.ordered_qty, "shipped_qty": o.shipped_qty, "unit": "EA",
            "unit_price": (o.unit_price_eur / d.fx).round(2), "currency": d.plant.currency})),
        "production_orders": (p.start_date, pd.DataFrame({
            "production_order_id": p.order_no.map(lambda n: f"PO{n:07d}"), "item_code": p.item_id.map(d.item_code),
            "work_center_code": p.work_center_code, "start_date": _iso(p.start_date), "due_date": _iso(p.due_date),
            "finished_date": _iso(p.finished_date), "planned_qty": p.planned_qty, "produced_qty": p.produced_qty,
            "scrap_qty": p.scrap_qty, "unit": "EA", "status": p.status})),
        "transfers": (t.ship_date, pd.DataFrame({
            "transfer_id": t.transfer_no.map(lambda n: f"TR{n:07d}"), "item_code": t.item_id.map(d.item_code),
            "to_plant_code": t.to_plant_code, "qty": t.qty, "unit": "EA", "ship_date": _iso(t.ship_date),
            "planned_receipt_date": _iso(t.planned_receipt_date), "receipt_date": _iso(t.receipt_date)})),
    }
    for entity, (dates, frame) in frames.items():
        frame["_month"] = dates.values
        for month, part in _by_month(frame, "_month", as_of):
            w.file(code, spec[entity], Path("generic") / entity / f"{entity}_{month}.csv", part, _dump_csv)


def _render_events(w: _Writer, d: _PlantData, as_of: date) -> None:
    code, spec = d.plant.code, CATALOG["events"]
    e, q = d.events, d.inspections
    machine = pd.DataFrame({"event_id": e.event_no.map(lambda n: f"{code}-E{n:07d}"), "machine": e.work_center_code,
                            "ts": e.event_time.dt.strftime("%Y-%m-%dT%H:%M:%S"), "state": e.state,
                            "reason": e.reason, "_month": e.event_time.dt.date})
    quality = pd.DataFrame({"inspection_id": q.inspection_no.map(lambda n: f"{code}-Q{n:07d}"),
                            "ts": q.inspected_at.dt.strftime("%Y-%m-%dT%H:%M:%S"),
                            "item": q.item_id.map(d.item_code), "machine": q.work_center_code,
                            "inspected": q.inspected_qty, "rejected": q.rejected_qty, "defect": q.defect_code,
                            "_month": q.inspected_at.dt.date})
    for entity, frame in (("machine_events", machine), ("quality_inspections", quality)):
        for month, part in _by_month(frame, "_month", as_of):
            w.file(code, spec[entity], Path("events") / f"{entity}_{month[:6]}.jsonl", part, _dump_jsonl)


# --- the network config ------------------------------------------------------------------------------------

def network_config(network: Network, with_sources_dir: bool) -> dict:
    """The YAML config describing a generated network; the shipped demo.yaml is this for the defaults."""
    plants = []
    for p in network.plants.itertuples():
        erp = {
            "sap_files": {"kind": "sap_files", "path": f"{p.code}/sap"},
            "cloud_api": {"kind": "cloud_api", "base_url": "simulator", "simulator_data": f"{p.code}/cloud",
                          "token_env": f"PLANTSYNC_{p.code}_TOKEN", "page_size": 500},
            "plant_db": {"kind": "plant_db", "url": f"sqlite:///{{sources}}/{p.code}/plant.db"},
            "generic": {"kind": "generic", "path": f"{p.code}/generic"},
        }[p.erp_kind]
        plants.append({"code": p.code, "name": p.name, "country": p.country, "time_zone": p.time_zone,
                       "currency": p.currency, "role": p.role, "erp": erp, "events_path": f"{p.code}/events",
                       "max_extract_age_hours": 36})
    lanes = [{"from": r["from"], "to": r["to"], "transit_days": int(r["transit_days"]),
              "cost_per_unit": float(r["cost_per_unit"]),
              **({"capacity_per_day": float(r["capacity_per_day"])} if pd.notna(r["capacity_per_day"]) else {})}
             for r in network.lanes.to_dict("records")]
    network_block = {"name": "Brake systems network (generated)", "currency": "EUR", "reference_path": "network"}
    if with_sources_dir:
        network_block["sources_dir"] = "."
    return {
        "network": network_block,
        "plants": plants,
        "customers": [{"id": c.customer_id, "name": c.name, "kind": c.kind, "country": c.country}
                      for c in network.customers.itertuples()],
        "lanes": lanes,
        "planning": {"period_days": 7, "horizon_periods": 12, "frozen_periods": 1, "overtime_share": 0.25,
                     "nightly_cron": "0 2 * * *", "time_zone": "Europe/Berlin", "assumed_outage_hours": 72,
                     "autonomous_replan": {"max_cost_increase_share": 0.02, "max_load_moved_share": 0.25}},
    }


def generate(out: Path, plants: int = 4, items: int = 30, days: int = 365, seed: int = 7,
             fault_rate: float = 0.0, as_of: date | None = None, open_days: int = 84,
             write_config: bool = True) -> Manifest:
    """Generate a network into `out`; the same arguments always give the same bytes.

    History ends on `as_of`, by default today by plantsync's clock, so a demo is fresh the day it is made;
    pass `as_of` for the same bytes on any day."""
    as_of = as_of or clock.today()
    if plants < 4:
        raise ValueError("a network needs at least 4 plants (discs, calipers, assembly, alternate)")
    if not 0 <= fault_rate <= 0.5:
        raise ValueError("fault rate must be between 0 and 0.5")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    network = build_network(plants, items, seed)
    horizon = history.Horizon(as_of, days, open_days)
    manifest = Manifest(settings={"plants": plants, "items": items, "days": days, "seed": seed,
                                  "fault_rate": fault_rate, "as_of": as_of.isoformat(), "open_days": open_days})
    writer = _Writer(out, manifest, np.random.default_rng(seed + 1), fault_rate)

    fx = history.fx_rates(network, horizon, rng)
    orders = history.order_lines(network, horizon, rng)
    production = history.production_orders(network, horizon, rng)
    stock = history.inventory(network, horizon, rng)
    moves = history.transfers(network, horizon, rng)
    events = history.machine_events(network, horizon, rng)
    checks = history.inspections(production, rng)
    codes = _local_codes(network)
    customers = _local_customers(network)

    fx_start = fx[fx.rate_date == horizon.start].set_index("currency").rate_to_network
    for plant in network.plants.itertuples():
        code = plant.code
        data = _PlantData(
            plant=pd.Series(plant._asdict()), fx=float(fx_start[plant.currency]),
            inventory=stock[stock.plant_code == code].reset_index(drop=True),
            orders=orders[orders.plant_code == code].reset_index(drop=True),
            production=production[production.plant_code == code].reset_index(drop=True),
            transfers=moves[moves.from_plant_code == code].reset_index(drop=True),
            work_centers=network.work_centers[network.work_centers.plant_code == code].reset_index(drop=True),
            events=events[events.plant_code == code].reset_index(drop=True),
            inspections=checks[checks.plant_code == code].reset_index(drop=True),
            item_code=dict(zip(codes[codes.plant_code == code].item_id, codes[codes.plant_code == code].local_item_code)),
            customer_code=dict(zip(customers[customers.plant_code == code].customer_id,
                                   customers[customers.plant_code == code].local_customer_code)),
            items=network.items,
        )
        if plant.erp_kind == "sap_files":
            _render_sap(writer, data, as_of, horizon.start)
        elif plant.erp_kind == "cloud_api":
            _render_cloud(writer, data, as_of)
        elif plant.erp_kind == "plant_db":
            _render_plant_db(writer, data, as_of, out)
        else:
            _render_generic(writer, data, as_of, horizon.start)
        _render_events(writer, data, as_of)

    _write_reference(writer, network, horizon, fx, codes, customers, stock)
    if write_config:
        (out / "network.yaml").write_text(yaml.safe_dump(network_config(network, True), sort_keys=False))
    (out / "manifest.json").write_text(manifest.to_json())
    return manifest


# The forecast carries an aftermarket caliper campaign: from its third week, hubs buy this many times
# their usual calipers. It loads the caliper plant beyond its hours plus overtime, which is where
# planning the plants as one network pays: the alternate plant can take the excess.
CAMPAIGN_WEEK = 3
CAMPAIGN_FACTOR = 2.0


def _write_reference(w: _Writer, network: Network, horizon: history.Horizon, fx: pd.DataFrame,
                     codes: pd.DataFrame, customers: pd.DataFrame, stock: pd.DataFrame) -> None:
    """The network team's reference data, in the generic format: items, cross-references, rates, targets."""
    spec = CATALOG["reference"]
    units = pd.DataFrame({"unit_code": list(dict.fromkeys(LOCAL_UNIT.values())) + ["Dozens", "PC"],
                          "base_unit": "PC"})
    units["factor"] = np.where(units.unit_code == "Dozens", 12.0, 1.0)
    routings = network.makers.rename(columns={"work_center_code": "work_center_code"})
    volume = history.weekly_item_volume(network)
    held = stock.groupby(["plant_code", "item_id"], as_index=False).on_hand_qty.mean()
    safety = held.merge(volume, on=["plant_code", "item_id"], how="left").fillna({"weekly_qty": 0.0})
    safety["safety_stock_qty"] = np.round(np.maximum(safety.weekly_qty / 7 * 3, held.on_hand_qty * 0.75))
    mondays = pd.date_range(horizon.as_of + pd.Timedelta(days=1), horizon.end, freq="W-MON")
    scale = history._demand_scale(network)
    kind = network.items.set_index("item_id").item_kind
    forecast = pd.DataFrame([(r.customer_id, r.item_id, m.date().isoformat(), round(
        r.mean_daily_qty * scale * 7 * (CAMPAIGN_FACTOR if kind[r.item_id] == "caliper" and week >= CAMPAIGN_WEEK else 1)))
                             for r in network.demand.itertuples() for week, m in enumerate(mondays, start=1)],
                            columns=["customer_id", "item_id", "week_start", "qty"])
    tables = {
        "items": network.items.assign(cost_currency="EUR")[list(spec["items"].fields)],
        "item_xref": codes, "customer_xref": customers, "bom": network.bom,
        "routings": routings[list(spec["routings"].fields)], "unit_conversions": units,
        "fx_rates": fx.assign(rate_date=_iso(fx.rate_date)),
        "safety_stock": safety[list(spec["safety_stock"].fields)], "forecast": forecast,
    }
    for name, frame in tables.items():
        w.file("network", spec[name], Path(f"{name}.csv"), frame, _dump_csv, may_be_late=False)
