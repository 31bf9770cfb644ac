"""Raw suites: what every row of a raw table must satisfy before it may reach the warehouse.

One suite per raw table (source kind and entity), built from the table's own `TableRules`, columns,
key, item and unit fields, which the table's description passes in (plantsync's source entities derive
their rules from their fields; this package imports nothing from orchestration). The rules:

- `required`     the value is present (not empty; Odoo's `false` counts as empty for cloud sources)
- `type`         the value parses in the source's own format: SAP decimal commas and YYYYMMDD dates
                 (00000000 = no date), ISO dates and date-times (events write `2026-11-23T06:00:00`),
                 plain numbers (`nan`, `inf` fail), Odoo `[id, "name"]` refs. Digits are ASCII only:
                 a regex digit class would also take `٣` or `３`, which DuckDB's casts do not
- `range`        no negative quantities; rates, hours and factors strictly positive
- `magnitude`    a number's absolute value is at most the maximum of its kind (`MAGNITUDE`): a value
                 the format allows but no plant means (`1e33`; `1e400`, which is infinite) would pass
                 the cast to DOUBLE and break a mart later, so it stops here. Every field with a
                 numeric format has a kind; a quantity unless the table says otherwise
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
from dataclasses import dataclass
from typing import Protocol

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd

from expectations.suites.raw_formats import FORMATS, NO_SAP_DATE, TableRules
from expectations.validate import ROW, Validation, validate

KEY_COPY = "_key_copy"


class SourceTable(Protocol):
    """What a raw suite needs to know of its table (plantsync's `SourceEntity` fits)."""

    entity: str
    fields: tuple[str, ...]
    key: tuple[str, ...]
    item_field: str | None
    unit_field: str | None

    @property
    def raw_table(self) -> str: ...

    @property
    def rules(self) -> TableRules: ...


@dataclass(frozen=True)
class KnownCodes:
    """The codes a table's values are checked against; None leaves that rule out."""

    plants: frozenset[str] | None = None
    own_plant: str | None = None  # the plant whose source is being loaded
    items: frozenset[str] | None = None
    units: frozenset[str] | None = None
    work_centers: frozenset[str] | None = None


def _value(column: str) -> str:
    return f"{column}__value"


def _code(column: str) -> str:
    return f"{column}__code"


def _meta(rule: str, about: str) -> dict:
    return {"rule": rule, "field": about}


def build_raw_suite(table: SourceTable, known: KnownCodes) -> gx.ExpectationSuite:
    """The raw suite for one table; run it on `prepare_raw_frame(rows, table)`."""
    rules = table.rules
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
    rules = table.rules
    present = [c for c in table.fields if c in rows.columns]
    frame = rows[present].astype(object).replace(dict.fromkeys(rules.empty))
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
