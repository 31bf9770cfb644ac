"""Mart suites: what the planner and downstream systems may rely on in the `marts` schema.

Written against docs/contracts.md. Each expectation is either blocking (bad data there would make the
planner plan wrong: negative capacity or stock, an unknown plant, item or work center, a zero-rate
routing, a duplicated grain) or a warning (worth a look, but a plan can still be made). Known codes
are data, so each builder takes a `MartReference`; a set left as None leaves that rule out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd

from expectations.validate import ROW, Failure, Validation, validate

NETWORK = "NETWORK"  # where a failure belongs to no single plant


@dataclass(frozen=True)
class MartReference:
    plants: frozenset[str]  # the network's plants (the config; dim_plant must agree)
    items: frozenset[str] | None = None  # marts.dim_item.item_id
    work_centers: frozenset[str] | None = None  # marts.dim_work_center.work_center_id


def _meta(rule: str, about: str, blocking: bool) -> dict:
    return {"rule": rule, "field": about, "blocking": blocking}


def not_null(column: str, blocking: bool = True) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToNotBeNull(column=column, meta=_meta("required", column, blocking))


def unique(*columns: str, blocking: bool = True) -> gxe.Expectation:
    about = ",".join(columns)
    if len(columns) == 1:
        return gxe.ExpectColumnValuesToBeUnique(column=columns[0], meta=_meta("unique_key", about, blocking))
    return gxe.ExpectCompoundColumnsToBeUnique(column_list=list(columns), meta=_meta("unique_key", about, blocking))


def at_least(column: str, minimum: float = 0, strict: bool = False, blocking: bool = True) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=minimum, strict_min=strict,
                                             meta=_meta("range", column, blocking))


def rate(column: str, blocking: bool = False) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, max_value=1,
                                             meta=_meta("range", column, blocking))


def one_of(column: str, values: frozenset[str] | tuple[str, ...] | None, rule: str,
           blocking: bool = True) -> list[gxe.Expectation]:
    if values is None:
        return []
    return [gxe.ExpectColumnValuesToBeInSet(column=column, value_set=sorted(values), meta=_meta(rule, column, blocking))]


def _suite(name: str, *parts: gxe.Expectation | list[gxe.Expectation]) -> gx.ExpectationSuite:
    expectations = [e for part in parts for e in (part if isinstance(part, list) else [part])]
    return gx.ExpectationSuite(name=f"marts.{name}", expectations=expectations)


def build_dim_plant_suite(ref: MartReference) -> gx.ExpectationSuite:
    return _suite("dim_plant", not_null("plant_code"), unique("plant_code"),
                  one_of("plant_code", ref.plants, "known_plant"))


def build_dim_item_suite(ref: MartReference) -> gx.ExpectationSuite:
    return _suite("dim_item", not_null("item_id"), unique("item_id"),
                  one_of("base_unit", ("PC",), "known_unit", blocking=False),
                  at_least("standard_cost_eur", blocking=False))


def build_dim_work_center_suite(ref: MartReference) -> gx.ExpectationSuite:
    return _suite("dim_work_center", not_null("work_center_id"), unique("work_center_id"),
                  one_of("plant_code", ref.plants, "known_plant"),
                  gxe.ExpectColumnValuesToBeBetween(column="hours_per_day", min_value=0, max_value=24,
                                                    meta=_meta("range", "hours_per_day", True)))


def build_dim_lane_suite(ref: MartReference) -> gx.ExpectationSuite:
    return _suite("dim_lane", unique("lane_id"), one_of("from_code", ref.plants, "known_plant"),
                  at_least("transit_days"), at_least("cost_per_unit_eur"), at_least("capacity_per_day"))


def build_fct_inventory_daily_suite(ref: MartReference) -> gx.ExpectationSuite:
    return _suite("fct_inventory_daily", unique("plant_code", "item_id", "snapshot_date"),
                  one_of("plant_code", ref.plants, "known_plant"), one_of("item_id", ref.items, "known_item"),
                  at_least("on_hand_qty"), at_least("in_inspection_qty", blocking=False),
                  at_least("blocked_qty", blocking=False), at_least("in_transit_qty", blocking=False))


def build_fct_capacity_daily_suite(ref: MartReference) -> gx.ExpectationSuite:
    return _suite("fct_capacity_daily", unique("work_center_id", "date_day"),
                  one_of("plant_code", ref.plants, "known_plant"),
                  one_of("work_center_id", ref.work_centers, "known_work_center"),
                  at_least("available_hours"), at_least("planned_downtime_hours", blocking=False),
                  at_least("unplanned_downtime_hours", blocking=False), at_least("loaded_hours", blocking=False))


def build_fct_routings_suite(ref: MartReference) -> gx.ExpectationSuite:
    return _suite("fct_routings", unique("plant_code", "work_center_id", "item_id"),
                  one_of("plant_code", ref.plants, "known_plant"), one_of("item_id", ref.items, "known_item"),
                  one_of("work_center_id", ref.work_centers, "known_work_center"),
                  at_least("hours_per_unit", strict=True))


def build_fct_bom_suite(ref: MartReference) -> gx.ExpectationSuite:
    return _suite("fct_bom", unique("parent_item_id", "component_item_id"),
                  one_of("parent_item_id", ref.items, "known_item"), one_of("component_item_id", ref.items, "known_item"),
                  at_least("qty_per", strict=True))


def build_fct_demand_suite(ref: MartReference) -> gx.ExpectationSuite:
    return _suite("fct_demand", one_of("plant_code", ref.plants, "known_plant"),
                  one_of("item_id", ref.items, "known_item"), at_least("qty"),
                  one_of("source", ("open_orders", "forecast"), "known_value", blocking=False))


def build_inventory_position_suite(ref: MartReference) -> gx.ExpectationSuite:
    return _suite("inventory_position", unique("plant_code", "item_id"),
                  one_of("plant_code", ref.plants, "known_plant"), one_of("item_id", ref.items, "known_item"),
                  at_least("on_hand_qty"), at_least("safety_stock_qty", blocking=False),
                  one_of("status", ("shortage", "ok", "excess"), "known_value", blocking=False))


def build_fct_order_lines_suite(ref: MartReference) -> gx.ExpectationSuite:
    return _suite("fct_order_lines", unique("order_line_id", blocking=False),
                  one_of("plant_code", ref.plants, "known_plant", blocking=False),
                  one_of("item_id", ref.items, "known_item", blocking=False),
                  at_least("ordered_qty", blocking=False), at_least("shipped_qty", blocking=False))


def build_fct_production_orders_suite(ref: MartReference) -> gx.ExpectationSuite:
    return _suite("fct_production_orders", unique("production_order_id", blocking=False),
                  one_of("plant_code", ref.plants, "known_plant", blocking=False),
                  one_of("status", ("planned", "released", "in_progress", "done"), "known_value", blocking=False),
                  at_least("planned_qty", blocking=False), at_least("produced_qty", blocking=False),
                  at_least("scrap_qty", blocking=False))


def build_fct_transfers_suite(ref: MartReference) -> gx.ExpectationSuite:
    return _suite("fct_transfers", unique("transfer_id", blocking=False),
                  one_of("from_plant_code", ref.plants, "known_plant", blocking=False),
                  one_of("to_plant_code", ref.plants, "known_plant", blocking=False),
                  at_least("qty", strict=True, blocking=False))


def build_fct_supplier_items_suite(ref: MartReference) -> gx.ExpectationSuite:
    return _suite("fct_supplier_items", unique("supplier_id", "plant_code", "item_id"),
                  one_of("plant_code", ref.plants, "known_plant"), one_of("item_id", ref.items, "known_item"),
                  at_least("lead_time_days"), at_least("min_order_qty"), at_least("capacity_per_week", strict=True),
                  not_null("unit_price_eur", blocking=False))


def build_fct_purchase_orders_suite(ref: MartReference) -> gx.ExpectationSuite:
    return _suite("fct_purchase_orders", unique("purchase_order_line_id", blocking=False),
                  one_of("plant_code", ref.plants, "known_plant", blocking=False),
                  one_of("item_id", ref.items, "known_item", blocking=False),
                  one_of("status", ("open", "received", "cancelled"), "known_value", blocking=False),
                  at_least("ordered_qty", blocking=False), at_least("open_qty", blocking=False))


def build_fct_machine_events_suite(ref: MartReference) -> gx.ExpectationSuite:
    return _suite("fct_machine_events", one_of("plant_code", ref.plants, "known_plant", blocking=False),
                  one_of("state", ("RUNNING", "DOWN", "PLANNED_DOWN", "IDLE"), "known_value", blocking=False),
                  at_least("duration_minutes", blocking=False))


def build_fct_quality_inspections_suite(ref: MartReference) -> gx.ExpectationSuite:
    return _suite("fct_quality_inspections", one_of("plant_code", ref.plants, "known_plant", blocking=False),
                  at_least("inspected_qty", blocking=False), at_least("rejected_qty", blocking=False),
                  gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                      column_A="inspected_qty", column_B="rejected_qty", or_equal=True,
                      meta=_meta("range", "rejected_qty", False)))


KPI_RATES = ("otif_rate", "fill_rate", "reject_rate")


def build_kpi_plant_daily_suite(ref: MartReference) -> gx.ExpectationSuite:
    return _suite("kpi_plant_daily", unique("plant_code", "date_day", blocking=False),
                  one_of("plant_code", ref.plants, "known_plant", blocking=False), [rate(c) for c in KPI_RATES])


def build_kpi_network_daily_suite(ref: MartReference) -> gx.ExpectationSuite:
    return _suite("kpi_network_daily", unique("date_day", blocking=False), [rate(c) for c in KPI_RATES])


MART_SUITES: dict[str, Callable[[MartReference], gx.ExpectationSuite]] = {
    "dim_plant": build_dim_plant_suite,
    "dim_item": build_dim_item_suite,
    "dim_work_center": build_dim_work_center_suite,
    "dim_lane": build_dim_lane_suite,
    "fct_inventory_daily": build_fct_inventory_daily_suite,
    "fct_capacity_daily": build_fct_capacity_daily_suite,
    "fct_routings": build_fct_routings_suite,
    "fct_bom": build_fct_bom_suite,
    "fct_demand": build_fct_demand_suite,
    "inventory_position": build_inventory_position_suite,
    "fct_order_lines": build_fct_order_lines_suite,
    "fct_production_orders": build_fct_production_orders_suite,
    "fct_transfers": build_fct_transfers_suite,
    "fct_supplier_items": build_fct_supplier_items_suite,
    "fct_purchase_orders": build_fct_purchase_orders_suite,
    "fct_machine_events": build_fct_machine_events_suite,
    "fct_quality_inspections": build_fct_quality_inspections_suite,
    "kpi_plant_daily": build_kpi_plant_daily_suite,
    "kpi_network_daily": build_kpi_network_daily_suite,
}


def is_blocking(suite: gx.ExpectationSuite) -> bool:
    """A suite stops the planner when any of its expectations is blocking."""
    return any((e.meta or {}).get("blocking", True) for e in suite.expectations)


@dataclass
class MartCheck:
    """A mart suite's verdict on a table: blocking failures stop the planner, warnings do not."""

    table: str
    validation: Validation
    failing: pd.DataFrame  # one row per failing (row, rule, field): plant_code (or NETWORK), rule, field, value

    @property
    def blocking_failures(self) -> list[Failure]:
        return [f for f in self.validation.failures if f.blocking]

    @property
    def warnings(self) -> list[Failure]:
        return [f for f in self.validation.failures if not f.blocking]

    def counts(self) -> dict[str, int]:
        return {f"{f.rule}:{f.field}": len(f.rows) or 1 for f in self.validation.failures}

    def sample(self, size: int = 10) -> list[dict]:
        return self.failing.head(size).to_dict("records")


def check_mart(table: str, frame: pd.DataFrame, ref: MartReference) -> MartCheck:
    """Run a mart's suite on its rows (as read from DuckDB) and list the failing rows by plant."""
    frame = frame.reset_index(drop=True).assign(**{ROW: range(len(frame))})
    validation = validate(frame, MART_SUITES[table](ref))
    rows = []
    for failure in validation.failures:
        for row, value in zip(failure.rows, failure.values or (None,) * len(failure.rows)):
            plant = frame.at[row, "plant_code"] if "plant_code" in frame else NETWORK
            rows.append({"plant_code": plant or NETWORK, "rule": failure.rule, "field": failure.field,
                         "value": None if value is None else str(value), "blocking": failure.blocking, ROW: row})
        if not failure.rows:  # a table-level failure: no single row to blame
            rows.append({"plant_code": NETWORK, "rule": failure.rule, "field": failure.field, "value": None,
                         "blocking": failure.blocking, ROW: None})
    return MartCheck(table, validation, pd.DataFrame(rows, columns=["plant_code", "rule", "field", "value",
                                                                    "blocking", ROW]))
