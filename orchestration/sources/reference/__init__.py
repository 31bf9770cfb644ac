"""The network's reference data (items, cross-references, BOM, routings, units, rates, targets, the
supplier master and supply options), kept by the network team in the generic format under the config's
`reference_path`."""

from __future__ import annotations

from orchestration.sources.generic.connector import GenericFileConnector
from orchestration.sources.kind import SourceKind, entity

REFERENCE_SITE = "NETWORK"  # the site the reference data's loads and assets are filed under

ENTITIES = (
    entity("items", "items",
           "item_id item_name product_family item_kind base_unit standard_cost cost_currency", "item_id",
           essential=True, required="item_id base_unit standard_cost", non_negative="standard_cost",
           kinds={"price": "standard_cost"}, number="standard_cost"),
    entity("item_xref", "item_xref", "plant_code local_item_code item_id", "plant_code local_item_code",
           essential=True, required="plant_code local_item_code item_id", plants="plant_code"),
    entity("customer_xref", "customer_xref", "plant_code local_customer_code customer_id",
           "plant_code local_customer_code", essential=True,
           required="plant_code local_customer_code customer_id", plants="plant_code"),
    entity("bom", "bom", "parent_item_id component_item_id qty_per", "parent_item_id component_item_id",
           required="parent_item_id component_item_id qty_per", positive="qty_per",
           kinds={"factor": "qty_per"}, number="qty_per"),
    entity("routings", "routings", "plant_code work_center_code item_id hours_per_unit",
           "plant_code work_center_code item_id", essential=True,
           required="plant_code work_center_code item_id hours_per_unit", positive="hours_per_unit",
           plants="plant_code", kinds={"hours": "hours_per_unit"}, number="hours_per_unit"),
    entity("unit_conversions", "unit_conversions", "unit_code base_unit factor", "unit_code", essential=True,
           required="unit_code base_unit factor", positive="factor", kinds={"factor": "factor"},
           number="factor"),
    entity("fx_rates", "fx_rates", "rate_date currency rate_to_network", "rate_date currency", essential=True,
           required="rate_date currency rate_to_network", positive="rate_to_network",
           kinds={"rate": "rate_to_network"}, iso_date="rate_date", number="rate_to_network"),
    entity("safety_stock", "safety_stock", "plant_code item_id safety_stock_qty", "plant_code item_id",
           required="plant_code item_id safety_stock_qty", non_negative="safety_stock_qty",
           plants="plant_code", number="safety_stock_qty"),
    entity("forecast", "forecast", "customer_id item_id week_start qty", "customer_id item_id week_start",
           required="customer_id item_id week_start qty", non_negative="qty", iso_date="week_start",
           number="qty"),
    entity("suppliers", "suppliers", "supplier_id supplier_name country currency", "supplier_id",
           required="supplier_id currency"),
    entity("supplier_xref", "supplier_xref", "plant_code local_supplier_code supplier_id",
           "plant_code local_supplier_code", required="plant_code local_supplier_code supplier_id",
           plants="plant_code"),
    # Quantities in the item's base unit, the price in `currency` (the supplier's).
    entity("supply_options", "supply_options",
           "supplier_id plant_code item_id lead_time_days min_order_qty capacity_per_week unit_price currency",
           "supplier_id plant_code item_id",
           required="supplier_id plant_code item_id lead_time_days unit_price currency",
           non_negative="lead_time_days min_order_qty unit_price", positive="capacity_per_week",
           plants="plant_code", kinds={"count": "lead_time_days", "price": "unit_price"},
           integer="lead_time_days", number="min_order_qty capacity_per_week unit_price"),
)


class ReferenceConnector(GenericFileConnector):
    source_system = "reference"


KIND = SourceKind(
    name="reference", raw_prefix="reference", entities=ENTITIES,
    connect=lambda config, plant, simulated: ReferenceConnector(REFERENCE_SITE, config.resolve(config.reference_path)),
    file_based=True)
