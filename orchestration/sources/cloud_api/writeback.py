"""Released orders POSTed to the cloud ERP's API as Odoo-like draft records: planned production as
`mrp.production`, purchase proposals as `purchase.order`, transfers as outgoing `stock.picking`. The
order key travels as `origin`, the record's external reference, on which the API refuses a second
record: a new order goes by POST (a 409 means the ERP holds it already, so its fields are replaced),
a changed or cancelled one by PUT to `/api/v1/<model>/<origin>` (state `cancel`, quantity 0)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import quote

import pandas as pd
import requests

from orchestration.sources.order_writer import OrderWriter

if TYPE_CHECKING:
    from orchestration.config import NetworkConfig, Plant

MODEL = {"production": "mrp.production", "purchase": "purchase.order", "transfer": "stock.picking"}
UNITS = {"PC": "Units"}  # base unit -> the ERP's unit name, where they differ


def record(order) -> dict:
    """An order as the record its model takes."""
    common = {"origin": order.order_key, "default_code": order.local_item_code,
              "state": "cancel" if order.action == "cancel" else "draft", "x_plan_id": order.plan_id}
    unit, start, due = UNITS.get(order.base_unit, order.base_unit), order.start_date.isoformat(), order.due_date.isoformat()
    if order.order_type == "production":
        return {**common, "product_qty": order.qty, "product_uom_id": unit, "date_start": start, "date_deadline": due}
    if order.order_type == "purchase":
        return {**common, "partner_ref": order.counterpart, "product_qty": order.qty, "product_uom": unit,
                "date_order": start, "date_planned": due}
    return {**common, "quantity": order.qty, "product_uom_id": unit, "location_id": order.plant_code,
            "location_dest_id": order.counterpart, "scheduled_date": start, "date_deadline": due}


class CloudOrderWriter(OrderWriter):
    target = "cloud_api"

    def __init__(self, plant_code: str, base_url: str, token_env: str, timeout_seconds: float = 10.0):
        super().__init__(plant_code)
        self.base_url = base_url.rstrip("/")
        self.token_env = token_env
        self.timeout = timeout_seconds

    def write(self, orders: pd.DataFrame) -> list[str]:
        token = os.environ.get(self.token_env)
        if not token:
            raise self.error(self.base_url, f"no API token: set the environment variable {self.token_env}")
        details = []
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {token}"
            for order in orders.itertuples():
                model, body = MODEL[order.order_type], record(order)
                url = f"{self.base_url}/api/v1/{model}"
                put = f"{url}/{quote(order.order_key, safe='')}"
                method, target = ("POST", url) if order.action == "new" else ("PUT", put)
                response = self._send(session, method, target, body)
                if response.status_code in (404, 409):  # new but held already, or changed but not held
                    method, target = ("PUT", put) if method == "POST" else ("POST", url)
                    response = self._send(session, method, target, body)
                if response.status_code >= 400:
                    raise self.error(f"{method} {target}", f"HTTP {response.status_code}: {response.text[:200]}")
                details.append(f"{order.action}: {model} record {response.json()['id']}")
        return details

    def _send(self, session: requests.Session, method: str, url: str, body: dict) -> requests.Response:
        try:
            response = session.request(method, url, json=body, timeout=self.timeout)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise self.error(f"{method} {url}", f"unreachable: {type(exc).__name__}") from None
        if response.status_code in (401, 403):
            raise self.error(f"{method} {url}", f"token refused (HTTP {response.status_code}): check the "
                                                f"environment variable {self.token_env}")
        if response.status_code >= 400 and response.status_code not in (404, 409):
            raise self.error(f"{method} {url}", f"HTTP {response.status_code}: {response.text[:200]}")
        return response


def connect(config: NetworkConfig, plant: Plant, simulated: Mapping[str, str]) -> CloudOrderWriter:
    erp = plant.erp
    return CloudOrderWriter(plant.code, simulated.get(plant.code, erp["base_url"]), erp["token_env"],
                            erp.get("timeout_seconds", 10.0))
