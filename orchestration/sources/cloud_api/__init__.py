"""A cloud ERP's paginated JSON API with a bearer token (Odoo-like models); Odoo writes `false` for no
value. `base_url: simulator` serves the plant's demo data from the bundled simulator."""

from __future__ import annotations

import os
import secrets
from typing import TYPE_CHECKING

from orchestration.sources.cloud_api import writeback
from orchestration.sources.cloud_api.connector import CloudApiConnector
from orchestration.sources.cloud_api.demo import DEMO
from orchestration.sources.cloud_api.simulator import CloudErpSimulator
from orchestration.sources.kind import SourceKind, entity

if TYPE_CHECKING:
    from orchestration.config import NetworkConfig, Plant

ENTITIES = (
    entity("stock_quant", "stock.quant",
           "id product_id default_code location_id quantity reserved_quantity product_uom_id inventory_date "
           "write_date",
           "id", item="default_code", unit="product_uom_id", watermark="write_date",
           required="id default_code quantity product_uom_id location_id inventory_date write_date",
           non_negative="quantity reserved_quantity", own_plant="location_id", kinds={"identifier": "id"},
           integer="id", number="quantity reserved_quantity",
           odoo_ref="product_id location_id product_uom_id", iso_date="inventory_date",
           iso_datetime="write_date"),
    entity("sale_order_line", "sale.order.line",
           "id order_id order_partner_id product_id default_code product_uom_qty qty_delivered product_uom "
           "price_unit currency_id date_order x_requested_date commitment_date x_delivered_date write_date",
           "id", item="default_code", unit="product_uom", watermark="write_date",
           required="id default_code product_uom_qty product_uom date_order write_date",
           non_negative="product_uom_qty qty_delivered price_unit",
           kinds={"identifier": "id", "price": "price_unit"}, integer="id",
           number="product_uom_qty qty_delivered price_unit",
           odoo_ref="order_id order_partner_id product_id product_uom currency_id",
           iso_date="x_requested_date x_delivered_date",
           iso_datetime="date_order commitment_date write_date"),
    entity("mrp_workcenter", "mrp.workcenter", "id name code time_efficiency x_hours_per_day write_date",
           "id", watermark="write_date", lists_work_centers="code", required="id code x_hours_per_day",
           non_negative="time_efficiency", positive="x_hours_per_day",
           kinds={"identifier": "id", "percent": "time_efficiency", "hours": "x_hours_per_day"}, integer="id",
           number="time_efficiency x_hours_per_day", iso_datetime="write_date"),
    entity("mrp_production", "mrp.production",
           "id name product_id default_code product_qty qty_produced x_qty_scrap product_uom_id "
           "workcenter_id date_start date_deadline date_finished state write_date",
           "id", item="default_code", unit="product_uom_id", watermark="write_date",
           required="id default_code product_qty product_uom_id workcenter_id date_start write_date",
           non_negative="product_qty qty_produced x_qty_scrap", work_centers="workcenter_id",
           kinds={"identifier": "id"}, integer="id", number="product_qty qty_produced x_qty_scrap",
           odoo_ref="product_id product_uom_id workcenter_id",
           iso_datetime="date_start date_deadline date_finished write_date"),
    entity("stock_picking", "stock.picking",
           "id name product_id default_code quantity product_uom_id location_dest_id scheduled_date "
           "date_deadline date_done state write_date",
           "id", item="default_code", unit="product_uom_id", watermark="write_date",
           required="id default_code quantity product_uom_id location_dest_id scheduled_date write_date",
           non_negative="quantity", plants="location_dest_id", kinds={"identifier": "id"}, integer="id",
           number="quantity", odoo_ref="product_id product_uom_id location_dest_id",
           iso_datetime="scheduled_date date_deadline date_done write_date"),
    entity("purchase_order_line", "purchase.order.line",
           "id order_id partner_id product_id default_code product_qty qty_received product_uom price_unit "
           "currency_id date_order date_planned state write_date",
           "id", item="default_code", unit="product_uom", watermark="write_date",
           required="id order_id partner_id default_code product_qty product_uom price_unit currency_id "
                    "date_order date_planned state write_date",
           non_negative="product_qty qty_received price_unit", allowed={"state": "purchase done cancel"},
           kinds={"identifier": "id", "price": "price_unit"}, integer="id",
           number="product_qty qty_received price_unit",
           odoo_ref="order_id partner_id product_id product_uom currency_id",
           iso_datetime="date_order date_planned write_date"),
)


def simulate(config: NetworkConfig, plant: Plant) -> CloudErpSimulator | None:
    """The bundled simulator for a plant configured as `base_url: simulator`, with a fresh token when none
    is set; None for a real API."""
    erp = plant.erp
    if erp["base_url"] != "simulator":
        return None
    token = os.environ.setdefault(erp["token_env"], secrets.token_urlsafe(24))
    return CloudErpSimulator(config.resolve(erp.get("simulator_data", f"{plant.code}/cloud")), token)


KIND = SourceKind(
    name="cloud_api", raw_prefix="cloud", entities=ENTITIES,
    settings={
        "base_url": {"type": "string", "description": "an http(s) URL, or 'simulator'"},
        "simulator_data": {"type": "string"},
        "token_env": {"type": "string", "pattern": "^[A-Z_][A-Z0-9_]*$"},
        "page_size": {"type": "integer", "minimum": 1, "maximum": 10000},
        "timeout_seconds": {"type": "number", "exclusiveMinimum": 0},
        "max_retries": {"type": "integer", "minimum": 0, "maximum": 10},
    },
    required_settings=("base_url", "token_env"),
    connect=lambda config, plant, simulated: CloudApiConnector(
        plant.code, simulated.get(plant.code, plant.erp["base_url"]), plant.erp["token_env"],
        plant.erp.get("page_size", 500), plant.erp.get("timeout_seconds", 10.0), plant.erp.get("max_retries", 4)),
    simulate=simulate, write_back=writeback.connect, demo=DEMO, inventory_entity="stock_quant", empty_values=("", "false"))
