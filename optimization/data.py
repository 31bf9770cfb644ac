"""Planning inputs: tidy tables with a documented schema, validated before any model is built.

Every table is a pandas DataFrame; `PlanningData.validate()` names the table, row and column of the
first problem it finds, so bad inputs fail with a sentence, not a solver error.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

SCHEMA: dict[str, dict[str, str]] = {
    "plants": {"plant_code": "text"},
    "items": {"item_id": "text", "production_cost": "number", "holding_cost": "number", "backlog_penalty": "number"},
    "capacity": {"plant_code": "text", "work_center_id": "text", "period": "int", "available_hours": "number",
                 "overtime_limit_hours": "number", "overtime_cost": "number"},
    "routings": {"plant_code": "text", "work_center_id": "text", "item_id": "text", "hours_per_unit": "number"},
    "bom": {"parent_item_id": "text", "component_item_id": "text", "qty_per": "number"},
    "lanes": {"from_plant_code": "text", "to_plant_code": "text", "transit_days": "number", "cost_per_unit": "number",
              "capacity_per_period": "number?"},
    "delivery_lanes": {"plant_code": "text", "customer_id": "text", "cost_per_unit": "number"},
    "demand": {"customer_id": "text", "item_id": "text", "period": "int", "qty": "number", "home_plant_code": "text"},
    "initial_inventory": {"plant_code": "text", "item_id": "text", "qty": "number"},
    "safety_stock": {"plant_code": "text", "item_id": "text", "qty": "number"},
    "fixed_supply": {"from_plant_code": "text", "to_plant_code": "text", "item_id": "text",
                     "qty_per_period": "number?"},
    "scheduled_receipts": {"plant_code": "text", "item_id": "text", "period": "int", "qty": "number", "source": "text"},
    "supply_options": {"supplier_id": "text", "plant_code": "text", "item_id": "text", "lead_time_days": "number",
                       "min_order_qty": "number", "unit_price": "number"},
    "supplier_capacity": {"supplier_id": "text", "item_id": "text", "qty_per_period": "number"},
    "supplier_shares": {"supplier_id": "text", "item_id": "text", "plant_code": "text", "share": "number"},
    "orders": {"order_line_id": "text", "customer_id": "text", "item_id": "text", "period": "int", "qty": "number"},
}
NON_NEGATIVE = {"production_cost", "holding_cost", "backlog_penalty", "available_hours", "overtime_limit_hours",
                "overtime_cost", "hours_per_unit", "qty_per", "transit_days", "cost_per_unit",
                "capacity_per_period", "qty", "qty_per_period", "lead_time_days", "min_order_qty", "unit_price"}
RECEIPT_SOURCES = ("production_order", "transfer", "purchase_order")


class PlanningInputError(ValueError):
    """A planning input that cannot be used: which table, which row, which column, what is wrong."""


def empty(name: str) -> pd.DataFrame:
    """Table `name` with its columns and no rows: the default of the tables a run may leave out."""
    kinds = {"text": "object", "number": "float64", "int": "int64"}
    return pd.DataFrame({column: pd.Series(dtype=kinds[kind.rstrip("?")]) for column, kind in SCHEMA[name].items()})


@dataclass
class PlanningData:
    """The inputs of one planning run. `periods` are 1..n; quantities in base units, money in EUR."""

    periods: int
    plants: pd.DataFrame
    items: pd.DataFrame
    capacity: pd.DataFrame
    routings: pd.DataFrame
    bom: pd.DataFrame
    lanes: pd.DataFrame
    delivery_lanes: pd.DataFrame
    demand: pd.DataFrame
    initial_inventory: pd.DataFrame
    safety_stock: pd.DataFrame
    fixed_supply: pd.DataFrame  # what each plant receives when it plans alone: at most qty_per_period (NaN: any)
    # supply already on its way (open production orders, transfers in transit, open purchase orders) by arrival period
    scheduled_receipts: pd.DataFrame = field(default_factory=lambda: empty("scheduled_receipts"))
    # which supplier can deliver which material to which plant; unit_price in EUR
    supply_options: pd.DataFrame = field(default_factory=lambda: empty("supply_options"))
    # a supplier's units per period of an item, shared by every plant it serves
    supplier_capacity: pd.DataFrame = field(default_factory=lambda: empty("supplier_capacity"))
    # each plant's share of a supplier's capacity when plants plan alone (their allocation); none given: equal
    supplier_shares: pd.DataFrame = field(default_factory=lambda: empty("supplier_shares"))
    # the open order lines inside `demand` (due period); the rest of `demand` is forecast
    orders: pd.DataFrame = field(default_factory=lambda: empty("orders"))
    shortfall_penalty: float = 2.0  # per unit and period below safety stock
    days_per_period: int = 7  # lead times in days become fractions of a period
    frozen_periods: int = 0  # no new production in periods 1..frozen_periods: only scheduled receipts supply them
    source_load_ids: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in SCHEMA}

    def validate(self) -> PlanningData:
        if self.periods < 1:
            raise PlanningInputError(f"periods: must be at least 1, got {self.periods}")
        if self.days_per_period < 1:
            raise PlanningInputError(f"days_per_period: must be at least 1, got {self.days_per_period}")
        if not 0 <= self.frozen_periods <= self.periods:
            raise PlanningInputError(f"frozen_periods: must be within 0..{self.periods}, got {self.frozen_periods}")
        for name, frame in self.tables().items():
            _check_table(name, frame)
        plants = set(self.plants.plant_code)
        items = set(self.items.item_id)
        for name, frame in self.tables().items():
            for column, known, what in (("plant_code", plants, "plant"), ("from_plant_code", plants, "plant"),
                                        ("to_plant_code", plants, "plant"), ("home_plant_code", plants, "plant"),
                                        ("item_id", items, "item"), ("parent_item_id", items, "item"),
                                        ("component_item_id", items, "item")):
                if column in frame.columns:
                    bad = ~frame[column].isin(known)
                    if bad.any():
                        row = int(bad.to_numpy().argmax())
                        raise PlanningInputError(f"{name}: row {row}: column {column}: unknown {what} "
                                                 f"{frame[column].iloc[row]!r}")
            if "period" in frame.columns:
                bad = ~frame.period.between(1, self.periods)
                if bad.any():
                    row = int(bad.to_numpy().argmax())
                    raise PlanningInputError(f"{name}: row {row}: column period: {frame.period.iloc[row]} is "
                                             f"outside 1..{self.periods}")
        unknown = ~self.scheduled_receipts.source.isin(RECEIPT_SOURCES)
        if unknown.any():
            row = int(unknown.to_numpy().argmax())
            raise PlanningInputError(f"scheduled_receipts: row {row}: column source: {self.scheduled_receipts.source.iloc[row]!r}"
                                     f" is not one of {', '.join(RECEIPT_SOURCES)}")
        zero_rate = self.routings.hours_per_unit <= 0
        if zero_rate.any():
            row = int(zero_rate.to_numpy().argmax())
            raise PlanningInputError(f"routings: row {row}: column hours_per_unit: must be positive")
        return self


def supplier_capacity_by_period(data: PlanningData) -> pd.DataFrame:
    """`supplier_capacity` with a period column: a row given without one holds in every period."""
    capacity = data.supplier_capacity
    if "period" in capacity.columns:
        return capacity
    return capacity.merge(pd.DataFrame({"period": range(1, data.periods + 1)}), how="cross")


def shortfall_penalties(data: PlanningData, item_ids: pd.Series) -> np.ndarray:
    """Penalty per unit below safety stock, by item (rows, in `item_ids` order) and period (columns).

    `shortfall_penalty` in every period, plus the item's backlog penalty at the horizon's end: without
    that end term a plan runs stock down in its last weeks, saving production that the week after the
    horizon needs (the end-of-horizon effect)."""
    backlog = data.items.set_index("item_id").backlog_penalty.reindex(item_ids).to_numpy(float)
    penalties = np.full((len(backlog), data.periods), data.shortfall_penalty)
    penalties[:, -1] += backlog
    return penalties


def _check_table(name: str, frame: pd.DataFrame) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise PlanningInputError(f"{name}: expected a DataFrame, got {type(frame).__name__}")
    for column, kind in SCHEMA[name].items():
        if column not in frame.columns:
            raise PlanningInputError(f"{name}: missing column {column} (expected {', '.join(SCHEMA[name])})")
        values = frame[column]
        optional = kind.endswith("?")
        if kind.rstrip("?") in ("number", "int"):
            numeric = pd.to_numeric(values, errors="coerce")
            bad = numeric.isna() & ~(optional & values.isna())
            if bad.any():
                row = int(bad.to_numpy().argmax())
                raise PlanningInputError(f"{name}: row {row}: column {column}: {values.iloc[row]!r} is not a number")
            if column in NON_NEGATIVE and (numeric < 0).any():
                row = int((numeric < 0).to_numpy().argmax())
                raise PlanningInputError(f"{name}: row {row}: column {column}: {values.iloc[row]} is negative")
        elif values.isna().any():
            row = int(values.isna().to_numpy().argmax())
            raise PlanningInputError(f"{name}: row {row}: column {column}: missing value")
