"""The demo's SAP-style plant: flat-file extracts with SAP numbers for items and customers, unit ST."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from orchestration.demo.writer import PlantData, Writer, by_month
from orchestration.sources.kind import KindDemo
from orchestration.sources.sap_files.native import sap_date, sap_number

if TYPE_CHECKING:
    from orchestration.sources.kind import SourceKind


def _sap_num(values: pd.Series) -> pd.Series:
    return values.map(sap_number)


def _sap_date(values: pd.Series) -> pd.Series:
    return values.map(lambda d: sap_date(None if d is None or pd.isna(d) else d))


def _dump_sap(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, sep=";", index=False, encoding="utf-8")


def render(kind: SourceKind, w: Writer, d: PlantData, as_of: date, start: date) -> None:
    code = d.plant.code
    base = Path("sap")
    stamp = start.strftime("%Y%m%d")
    held = d.items[d.items.item_id.isin(set(d.inventory.item_id) | set(d.production.item_id))]
    matnr = held.item_id.map(d.item_code)
    w.file(code, kind.entity("mara"), base / f"MARA_{stamp}.csv", pd.DataFrame({
        "MATNR": matnr, "MTART": held.item_kind.map({"module": "FERT", "raw": "ROH"}).fillna("HALB"),
        "MATKL": held.product_family, "MEINS": "ST", "MAKTX": held.item_name,
        "BRGEW": _sap_num(np.where(held.item_kind == "disc", 8.5, 4.2) * 1.0 + held.index * 0),
        "GEWEI": "KG"}), _dump_sap)
    w.file(code, kind.entity("marc"), base / f"MARC_{stamp}.csv", pd.DataFrame({
        "MATNR": matnr, "WERKS": code, "EISBE": _sap_num(pd.Series(0.0, index=held.index)), "PLIFZ": "0",
        "DISPO": "001", "BESKZ": np.where(held.item_id.isin(d.production.item_id), "E", "F")}), _dump_sap)
    wc = d.work_centers.reset_index(drop=True)
    w.file(code, kind.entity("crhd"), base / f"CRHD_{stamp}.csv", pd.DataFrame({
        "OBJID": [f"{10000001 + i:08d}" for i in range(len(wc))], "ARBPL": wc.work_center_code, "WERKS": code,
        "KTEXT": wc.name, "VERWE": "0001", "KAPID": [f"{20000001 + i:08d}" for i in range(len(wc))]}), _dump_sap)
    w.file(code, kind.entity("kako"), base / f"KAKO_{stamp}.csv", pd.DataFrame({
        "KAPID": [f"{20000001 + i:08d}" for i in range(len(wc))], "KAPAR": "001", "BEGZT": "21600",
        "ENDZT": (21600 + wc.hours_per_day * 3600).astype(int).astype(str), "PAUSE": "0", "NGRAD": "100",
        "AZNOR": "1"}), _dump_sap)

    inv = d.inventory
    mard = pd.DataFrame({"MATNR": inv.item_id.map(d.item_code), "WERKS": code, "LGORT": "0001",
                         "STICHTAG": _sap_date(inv.snapshot_date), "LABST": _sap_num(inv.on_hand_qty),
                         "INSME": _sap_num(inv.in_inspection_qty), "SPEME": _sap_num(inv.blocked_qty),
                         "_month": inv.snapshot_date})
    for month, part in by_month(mard, "_month", as_of):
        w.file(code, kind.entity("mard"), base / f"MARD_{month}.csv", part, _dump_sap)

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
        for month, part in by_month(frame, "_month", as_of):
            w.file(code, kind.entity(entity), base / f"{entity.upper()}_{month}.csv", part, _dump_sap)
    vbep = pd.concat([
        pd.DataFrame({"VBELN": vbeln, "POSNR": "000010", "ETENR": "0001", "EDATU": _sap_date(o.requested_date),
                      "WMENG": _sap_num(o.ordered_qty), "BMENG": _sap_num(o.ordered_qty * 0), "_month": o.order_date}),
        pd.DataFrame({"VBELN": vbeln, "POSNR": "000010", "ETENR": "0002", "EDATU": _sap_date(o.promised_date),
                      "WMENG": _sap_num(o.ordered_qty * 0), "BMENG": _sap_num(o.ordered_qty), "_month": o.order_date}),
    ]).sort_values(["VBELN", "ETENR"], kind="stable")
    for month, part in by_month(vbep, "_month", as_of):
        w.file(code, kind.entity("vbep"), base / f"VBEP_{month}.csv", part, _dump_sap)
    shipped = o[o.shipped_date.notna()]
    lips = pd.DataFrame({"VBELN": [f"{80000000 + i:010d}" for i in range(1, len(shipped) + 1)], "POSNR": "000010",
                         "VGBEL": vbeln[shipped.index], "VGPOS": "000010",
                         "MATNR": shipped.item_id.map(d.item_code), "WERKS": code,
                         "LFIMG": _sap_num(shipped.shipped_qty), "VRKME": "ST",
                         "WADAT_IST": _sap_date(shipped.shipped_date), "_month": shipped.shipped_date})
    for month, part in by_month(lips, "_month", as_of):
        w.file(code, kind.entity("lips"), base / f"LIPS_{month}.csv", part, _dump_sap)

    p = d.production
    aufnr = p.order_no.map(lambda n: f"{1000000 + n:012d}")
    afko = pd.DataFrame({"AUFNR": aufnr, "GSTRP": _sap_date(p.start_date), "GLTRP": _sap_date(p.due_date),
                         "GETRI": _sap_date(p.finished_date), "GAMNG": _sap_num(p.planned_qty),
                         "IGMNG": _sap_num(p.produced_qty), "IASMG": _sap_num(p.scrap_qty), "GMEIN": "ST",
                         "ARBPL": p.work_center_code,
                         "FTRMI": _sap_date(p.start_date.where(p.status != "planned", None)), "_month": p.start_date})
    afpo = pd.DataFrame({"AUFNR": aufnr, "POSNR": "0001", "MATNR": p.item_id.map(d.item_code),
                         "PSMNG": _sap_num(p.planned_qty), "WEMNG": _sap_num(p.produced_qty), "AMEIN": "ST",
                         "PWERK": code, "_month": p.start_date})
    for entity, frame in (("afko", afko), ("afpo", afpo)):
        for month, part in by_month(frame, "_month", as_of):
            w.file(code, kind.entity(entity), base / f"{entity.upper()}_{month}.csv", part, _dump_sap)

    # Purchasing documents: stock transport orders (UB, supplying plant RESWK) and purchase orders (NB,
    # vendor LIFNR), each item with one schedule line.
    t, b = d.transfers, d.purchases
    sto = t.transfer_no.map(lambda n: f"{4500000000 + n}")
    po = b.po_no.map(lambda n: f"{4200000000 + n}")
    ekko = pd.concat([
        pd.DataFrame({"EBELN": sto, "BSART": "UB", "LIFNR": "", "BEDAT": _sap_date(t.ship_date),
                      "WAERS": d.plant.currency, "_month": t.ship_date}),
        pd.DataFrame({"EBELN": po, "BSART": "NB", "LIFNR": b.supplier_id.map(d.supplier_code),
                      "BEDAT": _sap_date(b.order_date), "WAERS": b.currency, "_month": b.order_date})])
    ekpo = pd.concat([
        pd.DataFrame({"EBELN": sto, "EBELP": "00010", "MATNR": t.item_id.map(d.item_code), "WERKS": t.to_plant_code,
                      "RESWK": code, "MENGE": _sap_num(t.qty), "MEINS": "ST", "NETPR": "",
                      "BEDAT": _sap_date(t.ship_date), "EINDT": _sap_date(t.planned_receipt_date),
                      "WEDAT": _sap_date(t.receipt_date), "LOEKZ": "", "_month": t.ship_date}),
        pd.DataFrame({"EBELN": po, "EBELP": "00010", "MATNR": b.item_id.map(d.item_code), "WERKS": code,
                      "RESWK": "", "MENGE": _sap_num(b.ordered_qty), "MEINS": "ST", "NETPR": _sap_num(b.unit_price),
                      "BEDAT": _sap_date(b.order_date), "EINDT": _sap_date(b.due_date),
                      "WEDAT": _sap_date(b.receipt_date), "LOEKZ": np.where(b.status == "cancelled", "L", ""),
                      "_month": b.order_date})])
    eket = pd.DataFrame({"EBELN": po, "EBELP": "00010", "ETENR": "0001", "EINDT": _sap_date(b.due_date),
                         "MENGE": _sap_num(b.ordered_qty), "WEMNG": _sap_num(b.received_qty), "_month": b.order_date})
    for entity, frame in (("ekko", ekko), ("ekpo", ekpo), ("eket", eket)):
        for month, part in by_month(frame, "_month", as_of):
            w.file(code, kind.entity(entity), base / f"{entity.upper()}_{month}.csv", part, _dump_sap)


DEMO = KindDemo(
    render=render, faulty=frozenset({"mard", "vbap", "lips", "afpo", "ekpo"}),
    settings=lambda plant: {"path": f"{plant}/sap"}, local_unit="ST",
    item_code=lambda plant, item_id, i: f"{10000000 + i * 10:018d}",
    customer_code=lambda customer, i: f"{100000 + i:010d}", supplier_code=lambda supplier, i: f"{300000 + i:010d}")
