"""Released orders as SAP-style flat files in the plant's outbound folder, the way an SAP inbound
interface takes them: planned orders as `PLAF`, purchase requisitions as `EBAN`, stock transport
orders as `EKPO` lines of document type UB, each `;` separated with decimal commas, YYYYMMDD dates and
SAP units. `ZZPSKEY` (a customer field) carries plantsync's order key and `ZZPLAN` the plan; `AKTYP`
says what to do with it: H create, V change, L delete (a cancelled order)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from orchestration.sources.order_writer import OutboundFileWriter, outbound_folder
from orchestration.sources.sap_files.native import from_sap_number, sap_date, sap_number

if TYPE_CHECKING:
    from orchestration.config import NetworkConfig, Plant

AKTYP = {"new": "H", "change": "V", "cancel": "L"}
SAP_UNITS = {"PC": "ST"}  # base unit -> SAP's internal unit code, where they differ


def _qty(o: pd.DataFrame, field: str = "MENGE") -> dict[str, pd.Series]:
    return {field: o.qty.map(sap_number), "MEINS": o.base_unit.map(lambda u: SAP_UNITS.get(u, u))}


def _dates(o: pd.DataFrame, start: str, due: str) -> dict[str, pd.Series]:
    return {start: o.start_date.map(sap_date), due: o.due_date.map(sap_date)}


# document -> (the order type it carries, its fields after ZZPSKEY, AKTYP and MATNR)
DOCUMENTS = {
    "PLAF": ("production", lambda o: {"PAART": "LA", "PLWRK": o.plant_code, **_qty(o, "GSMNG"),
                                      **_dates(o, "PSTTR", "PEDTR")}),
    "EBAN": ("purchase", lambda o: {"BSART": "NB", "WERKS": o.plant_code, "LIFNR": o.counterpart, **_qty(o),
                                    **_dates(o, "BADAT", "LFDAT")}),
    "EKPO": ("transfer", lambda o: {"BSART": "UB", "WERKS": o.counterpart, "RESWK": o.plant_code, **_qty(o),
                                    **_dates(o, "BEDAT", "EINDT")}),
}


class SapOrderWriter(OutboundFileWriter):
    target = "sap_files"
    delimiter = ";"

    def documents(self, orders: pd.DataFrame) -> dict[str, pd.DataFrame]:
        out = {}
        for document, (order_type, fields) in DOCUMENTS.items():
            o = orders[orders.order_type == order_type]
            if len(o):
                out[document] = pd.DataFrame({"ZZPSKEY": o.order_key, "AKTYP": o.action.map(AKTYP),
                                              "MATNR": o.local_item_code, **fields(o), "ZZPLAN": o.plan_id})
        return out

    def lines(self, document: pd.DataFrame) -> pd.DataFrame:
        qty = (document.GSMNG if "GSMNG" in document else document.MENGE).map(from_sap_number)
        return pd.DataFrame({"order_key": document.ZZPSKEY, "qty": qty.where(document.AKTYP != "L", 0.0)})


def connect(config: NetworkConfig, plant: Plant, simulated: object) -> SapOrderWriter:
    return SapOrderWriter(plant.code, outbound_folder(config, plant))
