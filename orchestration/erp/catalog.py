"""What each kind of source holds: per entity, the native table or model name and its field names.

The one list both the demo generator (writing sources) and the connectors (reading them) follow, and
which names the raw tables: `raw.<prefix>__<entity>`, one per source kind and entity, shared by plants.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceEntity:
    kind: str
    entity: str
    native: str  # SAP table, cloud model, SQL table, or generic file stem
    fields: tuple[str, ...]
    key: tuple[str, ...]  # identifies a record within one load
    item_field: str | None = None
    unit_field: str | None = None
    watermark_field: str | None = None  # for API and SQL sources; file sources track files instead
    required: bool = False  # the network cannot be built without it: a first load with no file fails

    @property
    def raw_table(self) -> str:
        return f"{RAW_PREFIX[self.kind]}__{self.entity}"


RAW_PREFIX = {"sap_files": "sap", "cloud_api": "cloud", "plant_db": "plantdb", "generic": "generic",
              "events": "events", "reference": "reference"}


def _entities(kind: str, specs: list[tuple]) -> dict[str, SourceEntity]:
    out = {}
    for spec in specs:
        entity, native, fields, key, *rest = spec
        item_field, unit_field, watermark = (list(rest) + [None, None, None])[:3]
        out[entity] = SourceEntity(kind, entity, native, tuple(fields.split()), tuple(key.split()),
                                   item_field, unit_field, watermark,
                                   required=kind == "reference" and entity in REQUIRED_REFERENCE)
    return out


REQUIRED_REFERENCE = ("items", "item_xref", "customer_xref", "routings", "unit_conversions", "fx_rates")

CATALOG: dict[str, dict[str, SourceEntity]] = {
    "sap_files": _entities("sap_files", [
        ("mara", "MARA", "MATNR MTART MATKL MEINS MAKTX BRGEW GEWEI", "MATNR", "MATNR", "MEINS"),
        ("marc", "MARC", "MATNR WERKS EISBE PLIFZ DISPO BESKZ", "MATNR WERKS", "MATNR"),
        ("mard", "MARD", "MATNR WERKS LGORT STICHTAG LABST INSME SPEME", "MATNR WERKS LGORT STICHTAG", "MATNR"),
        ("vbak", "VBAK", "VBELN ERDAT AUART KUNNR WAERK VKORG", "VBELN"),
        ("vbap", "VBAP", "VBELN POSNR MATNR WERKS KWMENG VRKME NETWR WAERK", "VBELN POSNR", "MATNR", "VRKME"),
        ("vbep", "VBEP", "VBELN POSNR ETENR EDATU WMENG BMENG", "VBELN POSNR ETENR"),
        ("lips", "LIPS", "VBELN POSNR VGBEL VGPOS MATNR WERKS LFIMG VRKME WADAT_IST", "VBELN POSNR", "MATNR",
         "VRKME"),
        ("afko", "AFKO", "AUFNR GSTRP GLTRP GETRI GAMNG IGMNG IASMG GMEIN ARBPL", "AUFNR", None, "GMEIN"),
        ("afpo", "AFPO", "AUFNR POSNR MATNR PSMNG WEMNG AMEIN PWERK", "AUFNR POSNR", "MATNR", "AMEIN"),
        ("crhd", "CRHD", "OBJID ARBPL WERKS KTEXT VERWE KAPID", "OBJID"),
        ("kako", "KAKO", "KAPID KAPAR BEGZT ENDZT PAUSE NGRAD AZNOR", "KAPID"),
        ("ekpo", "EKPO", "EBELN EBELP MATNR WERKS RESWK MENGE MEINS BEDAT EINDT WEDAT", "EBELN EBELP", "MATNR",
         "MEINS"),
    ]),
    "cloud_api": _entities("cloud_api", [
        ("stock_quant", "stock.quant",
         "id product_id default_code location_id quantity reserved_quantity product_uom_id inventory_date "
         "write_date", "id", "default_code", "product_uom_id", "write_date"),
        ("sale_order_line", "sale.order.line",
         "id order_id order_partner_id product_id default_code product_uom_qty qty_delivered product_uom "
         "price_unit currency_id date_order x_requested_date commitment_date x_delivered_date write_date",
         "id", "default_code", "product_uom", "write_date"),
        ("mrp_workcenter", "mrp.workcenter", "id name code time_efficiency x_hours_per_day write_date", "id",
         None, None, "write_date"),
        ("mrp_production", "mrp.production",
         "id name product_id default_code product_qty qty_produced x_qty_scrap product_uom_id workcenter_id "
         "date_start date_deadline date_finished state write_date", "id", "default_code", "product_uom_id",
         "write_date"),
        ("stock_picking", "stock.picking",
         "id name product_id default_code quantity product_uom_id location_dest_id scheduled_date date_deadline "
         "date_done state write_date", "id", "default_code", "product_uom_id", "write_date"),
    ]),
    "plant_db": _entities("plant_db", [
        ("existencias", "existencias",
         "id fecha num_parte almacen cant_libre cant_inspeccion cant_bloqueada unidad actualizado", "id",
         "num_parte", "unidad", "actualizado"),
        ("pedidos", "pedidos",
         "id pedido renglon cliente num_parte cantidad unidad precio moneda fecha_pedido fecha_requerida "
         "fecha_promesa fecha_embarque cant_embarcada actualizado", "id", "num_parte", "unidad", "actualizado"),
        ("ordenes_trabajo", "ordenes_trabajo",
         "id orden num_parte linea cant_plan cant_buena cant_scrap unidad inicio fin_plan fin_real estado "
         "actualizado", "id", "num_parte", "unidad", "actualizado"),
        ("lineas", "lineas", "id linea descripcion turnos horas_turno actualizado", "id", None, None,
         "actualizado"),
        ("traspasos", "traspasos",
         "id folio num_parte planta_destino cantidad unidad fecha_salida fecha_llegada_plan fecha_llegada "
         "actualizado", "id", "num_parte", "unidad", "actualizado"),
    ]),
    "generic": _entities("generic", [
        ("inventory", "inventory",
         "snapshot_date item_code on_hand_qty in_inspection_qty blocked_qty unit", "snapshot_date item_code",
         "item_code", "unit"),
        ("order_lines", "order_lines",
         "order_id line_id customer_code item_code order_date requested_date promised_date shipped_date "
         "ordered_qty shipped_qty unit unit_price currency", "order_id line_id", "item_code", "unit"),
        ("production_orders", "production_orders",
         "production_order_id item_code work_center_code start_date due_date finished_date planned_qty "
         "produced_qty scrap_qty unit status", "production_order_id", "item_code", "unit"),
        ("work_centers", "work_centers", "work_center_code work_center_name hours_per_day", "work_center_code"),
        ("transfers", "transfers",
         "transfer_id item_code to_plant_code qty unit ship_date planned_receipt_date receipt_date",
         "transfer_id", "item_code", "unit"),
    ]),
    "events": _entities("events", [
        ("machine_events", "machine_events", "event_id machine ts state reason", "event_id"),
        ("quality_inspections", "quality_inspections",
         "inspection_id ts item machine inspected rejected defect", "inspection_id", "item"),
    ]),
    "reference": _entities("reference", [
        ("items", "items", "item_id item_name product_family item_kind base_unit standard_cost cost_currency",
         "item_id"),
        ("item_xref", "item_xref", "plant_code local_item_code item_id", "plant_code local_item_code"),
        ("customer_xref", "customer_xref", "plant_code local_customer_code customer_id",
         "plant_code local_customer_code"),
        ("bom", "bom", "parent_item_id component_item_id qty_per", "parent_item_id component_item_id"),
        ("routings", "routings", "plant_code work_center_code item_id hours_per_unit",
         "plant_code work_center_code item_id"),
        ("unit_conversions", "unit_conversions", "unit_code base_unit factor", "unit_code"),
        ("fx_rates", "fx_rates", "rate_date currency rate_to_network", "rate_date currency"),
        ("safety_stock", "safety_stock", "plant_code item_id safety_stock_qty", "plant_code item_id"),
        ("forecast", "forecast", "customer_id item_id week_start qty", "customer_id item_id week_start"),
    ]),
}

META_COLUMNS = ("_plant_code", "_source_system", "_load_id", "_loaded_at", "_source_file", "_source_row")


def entities_for(kind: str) -> dict[str, SourceEntity]:
    return CATALOG[kind]
