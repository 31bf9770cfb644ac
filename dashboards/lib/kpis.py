"""The network's and each plant's KPIs over a period, against the period before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from dashboards.lib import format as fmt
from dashboards.lib.warehouse import NO_DATA, WarehouseUnavailable, query


@dataclass(frozen=True)
class Kpi:
    column: str
    label: str
    unit: str  # as dashboards.lib.format.by_unit names it
    higher_is_better: bool

    def show(self, value) -> str:
        return fmt.compact(value, self.unit)

    @property
    def axis_title(self) -> str:
        """The KPI with its unit, for a chart axis."""
        return f"{self.label} ({AXIS_UNITS[self.unit]})"


AXIS_UNITS = {"EUR": "EUR", "days": "days", "share": "%"}
KPIS = [
    Kpi("inventory_value_eur", "Inventory value", "EUR", False),
    Kpi("days_of_supply", "Days of supply", "days", False),
    Kpi("otif_rate", "On-time in-full", "share", True),
    Kpi("avg_lead_time_days", "Lead time", "days", False),
    Kpi("utilization", "Utilization", "share", True),
    Kpi("reject_rate", "Reject rate", "share", False),
]
COLUMNS = ", ".join(f"avg({k.column}) AS {k.column}" for k in KPIS)


def latest_day() -> date:
    """The last day with measured stock: the KPI marts run on into the planning horizon with nulls."""
    found = query("SELECT max(date_day) AS day FROM marts.kpi_network_daily WHERE inventory_value_eur IS NOT NULL")
    if found.empty or pd.isna(found.day.iloc[0]):
        raise WarehouseUnavailable(NO_DATA)
    return pd.Timestamp(found.day.iloc[0]).date()


def first_day() -> date:
    found = query("SELECT min(date_day) AS day FROM marts.kpi_network_daily WHERE inventory_value_eur IS NOT NULL")
    return pd.Timestamp(found.day.iloc[0]).date()


def period(end: date, days: int) -> tuple[date, date]:
    return end - timedelta(days=days - 1), end


def previous(start: date, end: date) -> tuple[date, date]:
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def network_averages(start: date, end: date) -> pd.Series:
    """Each KPI's daily average over [start, end]: stock figures as average stock, rates as average rate."""
    return query(f"SELECT {COLUMNS} FROM marts.kpi_network_daily WHERE date_day BETWEEN ? AND ?",
                 [start, end]).iloc[0]


def plant_averages(start: date, end: date) -> pd.DataFrame:
    """The same averages per plant, for comparing plants side by side."""
    return query(f"""SELECT k.plant_code, p.plant_name, {COLUMNS} FROM marts.kpi_plant_daily k
                     JOIN marts.dim_plant p USING (plant_code)
                     WHERE date_day BETWEEN ? AND ? GROUP BY ALL ORDER BY k.plant_code""", [start, end])


def network_daily(start: date, end: date) -> pd.DataFrame:
    return query("SELECT * FROM marts.kpi_network_daily WHERE date_day BETWEEN ? AND ? ORDER BY date_day",
                 [start, end])
