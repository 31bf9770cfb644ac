"""Raw suites: what every row of a raw table must satisfy before it may reach the warehouse.

One suite per raw table (source kind and entity), built from `RAW_RULES` below plus the table's own
columns, key, item and unit fields (the connector catalog passes those in: this package imports
nothing from orchestration). The rules:

- `required`     the value is present (not empty; Odoo's `false` counts as empty for cloud sources)
- `type`         the value parses in the source's own format: SAP decimal commas and YYYYMMDD dates
                 (00000000 = no date), ISO dates and date-times (events write `2026-11-23T06:00:00`),
                 plain numbers (`nan`, `inf` fail), Odoo `[id, "name"]` refs. Digits are ASCII only:
                 a regex digit class would also take `٣` or `３`, which DuckDB's casts do not
- `range`        no negative quantities; rates, hours and factors strictly positive
- `magnitude`    a number's absolute value is at most the maximum of its kind (`MAGNITUDE`): a value
                 the format allows but no plant means (`1e33`; `1e400`, which is infinite) would pass
                 the cast to DOUBLE and break a mart later, so it stops here. Every field with a
                 numeric format has a kind; a quantity unless the table says otherwise (`kinds=`)
- `known_plant`, `known_item`, `known_unit`, `known_work_center`, `known_value`
                 the code is one the network knows (item via the plant's item cross-reference, unit via
                 the unit conversions, work center via the routings and the plant's own work centers)
- `own_plant`    stock and plant master data name the plant whose source they come from (`WERKS`, an
                 Odoo location `DE2/Stock`): a row naming another plant would count as this plant's
- `unique_key`   the row's key has not already appeared earlier in the same load: only the second and
                 later copies fail, so the original row still loads

Known codes are data, so `build_raw_suite` takes them as an argument (`KnownCodes`); a set left as
None means that rule does not apply to the table (reference tables are not checked against themselves).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Protocol

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd

from expectations.validate import ROW, Validation, validate

KEY_COPY = "_key_copy"

# Each format: the shape a value must have (regex, ASCII digits only) and, for dates, the calendar check.
FORMATS: dict[str, tuple[str, str | None]] = {
    "sap_decimal": (r"^-?[0-9]+(,[0-9]+)?$", None),
    "sap_date": (r"^[0-9]{8}$", "%Y%m%d"),
    "integer": (r"^-?[0-9]+$", None),
    "number": (r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$", None),
    "iso_date": (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "%Y-%m-%d"),
    "iso_datetime": (r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$", "%Y-%m-%d %H:%M:%S"),
    "iso_datetime_t": (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$", "%Y-%m-%dT%H:%M:%S"),
    "odoo_ref": (r'^\[[0-9]+, ".*"\]$', None),
}
# The largest absolute value each kind of number may have. Staging casts numbers to DOUBLE and the KPI
# marts sum them as DECIMAL(38, 9) (below 1e29): at every maximum one row's inventory value is
# quantity x unit factor x cost = 1e24, so a plant-day would need 100,000 such rows to overflow, and
# planned hours (quantity x factor x hours per unit) stay below 1e19.
MAGNITUDE: dict[str, float] = {
    "quantity": 1e9,  # units of an item in any unit of measure (stock, ordered, produced, inspected, weight)
    "price": 1e9,  # money per unit in the source's currency (unit price, standard cost)
    "amount": 1e18,  # money of a whole line (SAP NETWR): a price times a quantity
    "factor": 1e6,  # units per unit: a unit conversion, a BOM quantity per parent
    "rate": 1e6,  # an exchange rate to the network currency
    "hours": 1e4,  # hours per day, per shift or per unit
    "seconds": 172_800,  # SAP capacity start and end as seconds after midnight: a shift may end the next day
    "percent": 1e3,  # SAP utilization, Odoo time efficiency
    "count": 1e3,  # shifts per day, individual capacities, planned delivery days
    "identifier": 1e18,  # numeric record ids and line numbers (staging keeps them as text)
}
NUMERIC = {"sap_decimal", "integer", "number"}
EMPTY = {"": None}
EMPTY_BY_KIND = {"cloud_api": {"": None, "false": None}}
NO_SAP_DATE = "00000000"


class SourceTable(Protocol):
    """What a raw suite needs to know of its table (the connector catalog's `SourceEntity` fits)."""

    kind: str
    entity: str
    fields: tuple[str, ...]
    key: tuple[str, ...]
    item_field: str | None
    unit_field: str | None

    @property
    def raw_table(self) -> str: ...


@dataclass(frozen=True)
class TableRules:
    required: tuple[str, ...] = ()
    formats: dict[str, str] = field(default_factory=dict)  # field -> format name
    non_negative: tuple[str, ...] = ()
    positive: tuple[str, ...] = ()
    plants: tuple[str, ...] = ()  # fields holding a network plant code (or an Odoo location 'DE3/Stock')
    own_plant: tuple[str, ...] = ()  # plant fields that must name the plant whose source this is
    work_centers: tuple[str, ...] = ()
    allowed: dict[str, tuple[str, ...]] = field(default_factory=dict)  # field -> the values it may take
    maximum: dict[str, float] = field(default_factory=dict)  # numeric field -> its largest absolute value


@dataclass(frozen=True)
class KnownCodes:
    """The codes a table's values are checked against; None leaves that rule out."""

    plants: frozenset[str] | None = None
    own_plant: str | None = None  # the plant whose source is being loaded
    items: frozenset[str] | None = None
    units: frozenset[str] | None = None
    work_centers: frozenset[str] | None = None


def _rules(required: str = "", non_negative: str = "", positive: str = "", plants: str = "",
           own_plant: str = "", work_centers: str = "", allowed: dict[str, str] | None = None, kinds: dict[str, str] | None = None,
           **formats: str) -> TableRules:
    """Compact spelling: `sap_decimal="LABST INSME SPEME"` gives those fields that format, and
    `kinds={"price": "precio"}` those numbers their kind's maximum (every other number is a quantity)."""
    formats_by_field = {f: fmt for fmt, names in formats.items() for f in names.split()}
    kind_by_field = {f: kind for kind, names in (kinds or {}).items() for f in names.split()}
    if stray := set(kind_by_field) - {f for f, fmt in formats_by_field.items() if fmt in NUMERIC}:
        raise ValueError(f"kinds given to fields without a numeric format: {sorted(stray)}")
    return TableRules(
        required=tuple(required.split()), non_negative=tuple(non_negative.split()),
        positive=tuple(positive.split()), plants=tuple(plants.split()), own_plant=tuple(own_plant.split()),
        work_centers=tuple(work_centers.split()),
        formats=formats_by_field, allowed={f: tuple(values.split()) for f, values in (allowed or {}).items()},
        maximum={f: MAGNITUDE[kind_by_field.get(f, "quantity")] for f, fmt in formats_by_field.items()
                 if fmt in NUMERIC})


RAW_RULES: dict[str, TableRules] = {
    # SAP-style flat files
    "sap__mara": _rules("MATNR MEINS", "BRGEW", sap_decimal="BRGEW"),
    "sap__marc": _rules("MATNR WERKS", "EISBE PLIFZ", own_plant="WERKS", sap_decimal="EISBE", integer="PLIFZ",
                        kinds={"count": "PLIFZ"}),
    "sap__mard": _rules("MATNR WERKS LGORT STICHTAG LABST", "LABST INSME SPEME", own_plant="WERKS",
                        sap_date="STICHTAG", sap_decimal="LABST INSME SPEME"),
    "sap__vbak": _rules("VBELN ERDAT KUNNR", sap_date="ERDAT"),
    "sap__vbap": _rules("VBELN POSNR MATNR WERKS KWMENG VRKME", "KWMENG NETWR", plants="WERKS",
                        sap_decimal="KWMENG NETWR", kinds={"amount": "NETWR"}),
    "sap__vbep": _rules("VBELN POSNR ETENR EDATU", "WMENG BMENG", sap_date="EDATU", sap_decimal="WMENG BMENG"),
    "sap__lips": _rules("VBELN POSNR MATNR WERKS LFIMG VRKME", "LFIMG", plants="WERKS", sap_decimal="LFIMG",
                        sap_date="WADAT_IST"),
    "sap__afko": _rules("AUFNR GSTRP GLTRP GAMNG GMEIN ARBPL", "GAMNG IGMNG IASMG", work_centers="ARBPL",
                        sap_date="GSTRP GLTRP GETRI", sap_decimal="GAMNG IGMNG IASMG"),
    "sap__afpo": _rules("AUFNR POSNR MATNR PSMNG AMEIN PWERK", "PSMNG WEMNG", plants="PWERK",
                        sap_decimal="PSMNG WEMNG"),
    "sap__crhd": _rules("OBJID ARBPL WERKS KAPID", own_plant="WERKS"),
    "sap__kako": _rules("KAPID BEGZT ENDZT", "BEGZT ENDZT PAUSE NGRAD AZNOR", integer="BEGZT ENDZT PAUSE NGRAD AZNOR",
                        kinds={"seconds": "BEGZT ENDZT PAUSE", "percent": "NGRAD", "count": "AZNOR"}),
    "sap__ekpo": _rules("EBELN EBELP MATNR WERKS RESWK MENGE MEINS BEDAT EINDT", "MENGE", plants="WERKS RESWK",
                        sap_decimal="MENGE", sap_date="BEDAT EINDT WEDAT"),
    # cloud ERP (Odoo-like JSON API)
    "cloud__stock_quant": _rules(
        "id default_code quantity product_uom_id location_id inventory_date write_date",
        "quantity reserved_quantity", own_plant="location_id", integer="id", number="quantity reserved_quantity", odoo_ref="product_id location_id product_uom_id",
        iso_date="inventory_date", iso_datetime="write_date", kinds={"identifier": "id"}),
    "cloud__sale_order_line": _rules(
        "id default_code product_uom_qty product_uom date_order write_date",
        "product_uom_qty qty_delivered price_unit", integer="id", number="product_uom_qty qty_delivered price_unit",
        odoo_ref="order_id order_partner_id product_id product_uom currency_id",
        iso_date="x_requested_date x_delivered_date", iso_datetime="date_order commitment_date write_date",
        kinds={"identifier": "id", "price": "price_unit"}),
    "cloud__mrp_workcenter": _rules("id code x_hours_per_day", "time_efficiency", "x_hours_per_day",
                                    integer="id", number="time_efficiency x_hours_per_day", iso_datetime="write_date",
                                    kinds={"identifier": "id", "percent": "time_efficiency",
                                           "hours": "x_hours_per_day"}),
    "cloud__mrp_production": _rules(
        "id default_code product_qty product_uom_id workcenter_id date_start write_date",
        "product_qty qty_produced x_qty_scrap", work_centers="workcenter_id", integer="id",
        number="product_qty qty_produced x_qty_scrap", odoo_ref="product_id product_uom_id workcenter_id",
        iso_datetime="date_start date_deadline date_finished write_date", kinds={"identifier": "id"}),
    "cloud__stock_picking": _rules(
        "id default_code quantity product_uom_id location_dest_id scheduled_date write_date", "quantity",
        plants="location_dest_id", integer="id", number="quantity",
        odoo_ref="product_id product_uom_id location_dest_id",
        iso_datetime="scheduled_date date_deadline date_done write_date", kinds={"identifier": "id"}),
    # plant database (SQL)
    "plantdb__existencias": _rules("id fecha num_parte cant_libre unidad", "cant_libre cant_inspeccion cant_bloqueada",
                                   integer="id", iso_date="fecha", number="cant_libre cant_inspeccion cant_bloqueada",
                                   iso_datetime="actualizado", kinds={"identifier": "id"}),
    "plantdb__pedidos": _rules("id pedido num_parte cantidad unidad fecha_pedido", "cantidad cant_embarcada precio",
                               integer="id renglon", number="cantidad cant_embarcada precio",
                               iso_date="fecha_pedido fecha_requerida fecha_promesa fecha_embarque",
                               iso_datetime="actualizado", kinds={"identifier": "id renglon", "price": "precio"}),
    "plantdb__ordenes_trabajo": _rules("id orden num_parte linea cant_plan unidad inicio",
                                       "cant_plan cant_buena cant_scrap", work_centers="linea", integer="id",
                                       number="cant_plan cant_buena cant_scrap",
                                       iso_datetime="inicio fin_plan fin_real actualizado",
                                       kinds={"identifier": "id"}),
    "plantdb__lineas": _rules("id linea horas_turno", "turnos", "horas_turno", integer="id turnos",
                              number="horas_turno", iso_datetime="actualizado",
                              kinds={"identifier": "id", "count": "turnos", "hours": "horas_turno"}),
    "plantdb__traspasos": _rules("id folio num_parte planta_destino cantidad unidad fecha_salida", "cantidad",
                                 plants="planta_destino", integer="id", number="cantidad",
                                 iso_date="fecha_salida fecha_llegada_plan fecha_llegada", iso_datetime="actualizado",
                                 kinds={"identifier": "id"}),
    # the documented generic format
    "generic__inventory": _rules("snapshot_date item_code on_hand_qty unit",
                                 "on_hand_qty in_inspection_qty blocked_qty", iso_date="snapshot_date",
                                 number="on_hand_qty in_inspection_qty blocked_qty"),
    "generic__order_lines": _rules("order_id line_id item_code order_date ordered_qty unit",
                                   "ordered_qty shipped_qty unit_price", integer="line_id",
                                   iso_date="order_date requested_date promised_date shipped_date",
                                   number="ordered_qty shipped_qty unit_price",
                                   kinds={"identifier": "line_id", "price": "unit_price"}),
    "generic__production_orders": _rules(
        "production_order_id item_code work_center_code start_date due_date planned_qty unit status",
        "planned_qty produced_qty scrap_qty", work_centers="work_center_code",
        iso_date="start_date due_date finished_date", number="planned_qty produced_qty scrap_qty",
        allowed={"status": "planned in_progress done"}),
    "generic__work_centers": _rules("work_center_code hours_per_day", positive="hours_per_day", number="hours_per_day",
                                    kinds={"hours": "hours_per_day"}),
    "generic__transfers": _rules("transfer_id item_code to_plant_code qty unit ship_date", "qty",
                                 plants="to_plant_code", number="qty",
                                 iso_date="ship_date planned_receipt_date receipt_date"),
    # machine and quality events
    "events__machine_events": _rules("event_id machine ts state", work_centers="machine",
                                     allowed={"state": "RUNNING DOWN PLANNED_DOWN IDLE"}, iso_datetime_t="ts"),
    "events__quality_inspections": _rules("inspection_id ts item machine inspected rejected", "inspected rejected",
                                          work_centers="machine", number="inspected rejected", iso_datetime_t="ts"),
    # network reference data
    "reference__items": _rules("item_id base_unit standard_cost", "standard_cost", number="standard_cost",
                               kinds={"price": "standard_cost"}),
    "reference__item_xref": _rules("plant_code local_item_code item_id", plants="plant_code"),
    "reference__customer_xref": _rules("plant_code local_customer_code customer_id", plants="plant_code"),
    "reference__bom": _rules("parent_item_id component_item_id qty_per", positive="qty_per", number="qty_per",
                             kinds={"factor": "qty_per"}),
    "reference__routings": _rules("plant_code work_center_code item_id hours_per_unit", positive="hours_per_unit",
                                  plants="plant_code", number="hours_per_unit", kinds={"hours": "hours_per_unit"}),
    "reference__unit_conversions": _rules("unit_code base_unit factor", positive="factor", number="factor",
                                          kinds={"factor": "factor"}),
    "reference__fx_rates": _rules("rate_date currency rate_to_network", positive="rate_to_network",
                                  iso_date="rate_date", number="rate_to_network", kinds={"rate": "rate_to_network"}),
    "reference__safety_stock": _rules("plant_code item_id safety_stock_qty", "safety_stock_qty", plants="plant_code",
                                      number="safety_stock_qty"),
    "reference__forecast": _rules("customer_id item_id week_start qty", "qty", iso_date="week_start", number="qty"),
}


def rules_for(table: SourceTable) -> TableRules:
    try:
        return RAW_RULES[table.raw_table]
    except KeyError:
        raise KeyError(f"no raw suite rules for raw.{table.raw_table}: add them to RAW_RULES") from None


def _value(column: str) -> str:
    return f"{column}__value"


def _code(column: str) -> str:
    return f"{column}__code"


def _meta(rule: str, about: str) -> dict:
    return {"rule": rule, "field": about}


def build_raw_suite(table: SourceTable, known: KnownCodes) -> gx.ExpectationSuite:
    """The raw suite for one table; run it on `prepare_raw_frame(rows, table)`."""
    rules = rules_for(table)
    expectations: list[gxe.Expectation] = []
    add = expectations.append
    for column in table.fields:
        add(gxe.ExpectColumnToExist(column=column, meta=_meta("required_column", column)))
    for column in dict.fromkeys((*table.key, *rules.required, table.item_field, table.unit_field)):
        if column:
            add(gxe.ExpectColumnValuesToNotBeNull(column=column, meta=_meta("required", column)))
    for column, fmt in rules.formats.items():
        regex, strftime = FORMATS[fmt]
        add(gxe.ExpectColumnValuesToMatchRegex(column=column, regex=regex, meta=_meta("type", column)))
        if strftime:
            add(gxe.ExpectColumnValuesToMatchStrftimeFormat(column=column, strftime_format=strftime,
                                                            meta=_meta("type", column)))
    for column in rules.non_negative:
        add(gxe.ExpectColumnValuesToBeBetween(column=_value(column), min_value=0, meta=_meta("range", column)))
    for column in rules.positive:
        add(gxe.ExpectColumnValuesToBeBetween(column=_value(column), min_value=0, strict_min=True,
                                              meta=_meta("range", column)))
    for column, maximum in rules.maximum.items():
        add(gxe.ExpectColumnValuesToBeBetween(column=_value(column), min_value=-maximum, max_value=maximum,
                                              meta=_meta("magnitude", column)))
    codes = [("known_plant", rules.plants, known.plants), ("known_work_center", rules.work_centers,
                                                           known.work_centers),
             ("own_plant", rules.own_plant, None if known.own_plant is None else {known.own_plant})]
    if table.item_field:
        codes.append(("known_item", (table.item_field,), known.items))
    if table.unit_field:
        codes.append(("known_unit", (table.unit_field,), known.units))
    for rule, columns, value_set in codes:
        for column in columns if value_set is not None else ():
            add(gxe.ExpectColumnValuesToBeInSet(column=_code(column), value_set=sorted(value_set),
                                                meta=_meta(rule, column)))
    for column, values in rules.allowed.items():
        add(gxe.ExpectColumnValuesToBeInSet(column=column, value_set=list(values), meta=_meta("known_value", column)))
    add(gxe.ExpectColumnValuesToBeBetween(column=KEY_COPY, max_value=1, meta=_meta("unique_key", ",".join(table.key))))
    return gx.ExpectationSuite(name=f"raw.{table.raw_table}", expectations=expectations)


def prepare_raw_frame(rows: pd.DataFrame, table: SourceTable) -> pd.DataFrame:
    """The frame a raw suite runs on: the source's text with empties as null, plus parsed helper columns.

    `<field>__value` holds each number parsed in the source's format (for range and magnitude; null where
    the text is not in that format, which the type rule reports), `<field>__code` the code
    a field names (an Odoo ref's name, a location's plant), `_key_copy` the 1-based copy number of the
    row's key within the load. The raw table itself keeps the text exactly as the source gave it.
    """
    rules = rules_for(table)
    present = [c for c in table.fields if c in rows.columns]
    frame = rows[present].astype(object).replace(EMPTY_BY_KIND.get(table.kind, EMPTY))
    frame = frame.where(frame.notna(), None).reset_index(drop=True)
    for column, fmt in rules.formats.items():
        if fmt == "sap_date" and column in frame:
            frame[column] = frame[column].where(frame[column] != NO_SAP_DATE, None)
    for column in dict.fromkeys((*rules.non_negative, *rules.positive, *rules.maximum)):
        if column in frame:
            frame[_value(column)] = _numbers(frame[column], rules.formats.get(column))
    coded = [*rules.plants, *rules.own_plant, *rules.work_centers, table.item_field, table.unit_field]
    for column in dict.fromkeys(filter(None, coded)):
        if column in frame:
            fmt, is_plant = rules.formats.get(column), column in (*rules.plants, *rules.own_plant)
            frame[_code(column)] = [_code_of(v, fmt, is_plant) for v in frame[column]]
    key = [c for c in table.key if c in frame]
    frame[KEY_COPY] = (frame[key].fillna("\x00").groupby(key, sort=False).cumcount() + 1) if key else 1
    frame[ROW] = range(len(frame))
    return frame


def _numbers(values: pd.Series, fmt: str | None) -> pd.Series:
    """The numbers of the values in their format; `1e400` is infinite, so it fails any magnitude."""
    text = values.astype("string")
    if fmt:
        text = text.where(text.str.fullmatch(FORMATS[fmt][0]).fillna(False).astype(bool))
    if fmt == "sap_decimal":
        text = text.str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").astype("float64")


def _code_of(value: str | None, fmt: str | None, is_plant: bool) -> str | None:
    if value is None:
        return None
    if fmt == "odoo_ref":
        try:
            value = str(json.loads(value)[1])
        except (ValueError, IndexError, TypeError, KeyError):
            return None  # the type rule reports it
    return value.split("/", 1)[0] if is_plant else value


def check_raw_rows(rows: pd.DataFrame, table: SourceTable, known: KnownCodes) -> tuple[Validation, pd.DataFrame]:
    """Validate a load's rows; return the validation and one failure row per (row, rule, field).

    The failures frame has `_row` (position in `rows`), `rule`, `field` and `value` (the source's own
    text; for a duplicate key, the key as JSON).
    """
    frame = prepare_raw_frame(rows, table)
    validation = validate(frame, build_raw_suite(table, known))
    original = rows.reset_index(drop=True)
    out = []
    for failure in validation.failures:
        for row in failure.rows:
            if failure.rule == "unique_key":
                value = json.dumps({k: original.at[row, k] for k in table.key}, default=str)
            else:
                value = original.at[row, failure.field] if failure.field in original else None
            out.append((row, failure.rule, failure.field, value))
    if not out and not validation.success:  # a table-level failure with no rows (a missing column)
        raise ValueError(f"raw.{table.raw_table}: " + "; ".join(f"{f.rule} {f.field}" for f in validation.failures))
    failures = pd.DataFrame(out, columns=[ROW, "rule", "field", "value"]).drop_duplicates([ROW, "rule", "field"])
    return validation, failures.sort_values([ROW, "rule", "field"], kind="stable").reset_index(drop=True)
