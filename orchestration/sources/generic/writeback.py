"""Released orders in the generic format: `released_orders_<plant>_<YYYYMMDDHHMMSS>.csv` in the plant's
outbound folder, one line per order with its action (docs/generic-format.md, "Orders written back")."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from orchestration.sources.order_writer import OutboundFileWriter, outbound_folder

if TYPE_CHECKING:
    from orchestration.config import NetworkConfig, Plant


class GenericOrderWriter(OutboundFileWriter):
    target = "generic"

    def documents(self, orders: pd.DataFrame) -> dict[str, pd.DataFrame]:
        if orders.empty:
            return {}
        return {"released_orders": pd.DataFrame({
            "order_key": orders.order_key, "action": orders.action, "order_type": orders.order_type,
            "item_code": orders.local_item_code, "qty": orders.qty.map(lambda q: format(q, ".15g")), "unit": orders.base_unit,
            "start_date": orders.start_date.map(str), "due_date": orders.due_date.map(str),
            "counterpart": orders.counterpart, "plan_id": orders.plan_id})}

    def lines(self, document: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"order_key": document.order_key, "qty": document.qty.astype(float)})


def connect(config: NetworkConfig, plant: Plant, simulated: object) -> GenericOrderWriter:
    return GenericOrderWriter(plant.code, outbound_folder(config, plant))
