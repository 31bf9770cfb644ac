"""The documented generic format (docs/generic-format.md): CSV per canonical entity, ISO dates, so a
user can onboard any ERP."""

from __future__ import annotations

from orchestration.sources.files import FOLDER_SETTINGS, connect_folder
from orchestration.sources.generic import writeback
from orchestration.sources.generic.connector import GenericFileConnector
from orchestration.sources.generic.demo import DEMO
from orchestration.sources.kind import SourceKind, entity

ENTITIES = (
    entity("inventory", "inventory", "snapshot_date item_code on_hand_qty in_inspection_qty blocked_qty unit",
           "snapshot_date item_code", item="item_code", unit="unit",
           required="snapshot_date item_code on_hand_qty unit",
           non_negative="on_hand_qty in_inspection_qty blocked_qty", iso_date="snapshot_date",
           number="on_hand_qty in_inspection_qty blocked_qty"),
    entity("order_lines", "order_lines",
           "order_id line_id customer_code item_code order_date requested_date promised_date shipped_date "
           "ordered_qty shipped_qty unit unit_price currency",
           "order_id line_id", item="item_code", unit="unit",
           required="order_id line_id item_code order_date ordered_qty unit",
           non_negative="ordered_qty shipped_qty unit_price",
           kinds={"identifier": "line_id", "price": "unit_price"}, integer="line_id",
           iso_date="order_date requested_date promised_date shipped_date",
           number="ordered_qty shipped_qty unit_price"),
    entity("production_orders", "production_orders",
           "production_order_id item_code work_center_code start_date due_date finished_date planned_qty "
           "produced_qty scrap_qty unit status",
           "production_order_id", item="item_code", unit="unit",
           required="production_order_id item_code work_center_code start_date due_date planned_qty unit status",
           non_negative="planned_qty produced_qty scrap_qty", work_centers="work_center_code",
           allowed={"status": "planned released in_progress done"}, iso_date="start_date due_date finished_date",
           number="planned_qty produced_qty scrap_qty"),
    entity("work_centers", "work_centers", "work_center_code work_center_name hours_per_day",
           "work_center_code", lists_work_centers="work_center_code",
           required="work_center_code hours_per_day", positive="hours_per_day",
           kinds={"hours": "hours_per_day"}, number="hours_per_day"),
    entity("transfers", "transfers",
           "transfer_id item_code to_plant_code qty unit ship_date planned_receipt_date receipt_date",
           "transfer_id", item="item_code", unit="unit",
           required="transfer_id item_code to_plant_code qty unit ship_date", non_negative="qty",
           plants="to_plant_code", number="qty", iso_date="ship_date planned_receipt_date receipt_date"),
    entity("purchase_orders", "purchase_orders",
           "purchase_order_id line_id supplier_code item_code order_date due_date receipt_date ordered_qty "
           "received_qty unit unit_price currency status",
           "purchase_order_id line_id", item="item_code", unit="unit",
           required="purchase_order_id line_id supplier_code item_code order_date due_date ordered_qty unit "
                    "unit_price currency status",
           non_negative="ordered_qty received_qty unit_price", allowed={"status": "open received cancelled"},
           kinds={"identifier": "line_id", "price": "unit_price"}, integer="line_id",
           iso_date="order_date due_date receipt_date", number="ordered_qty received_qty unit_price"),
)

KIND = SourceKind(
    name="generic", raw_prefix="generic", entities=ENTITIES,
    settings=FOLDER_SETTINGS, required_settings=("path",), connect=connect_folder(GenericFileConnector), write_back=writeback.connect,
    demo=DEMO, inventory_entity="inventory", file_based=True)
