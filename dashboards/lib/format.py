"""Numbers as people read them: currency, units, shares and days with their unit attached."""

from __future__ import annotations

import math

import pandas as pd


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def eur(value, decimals: int = 0) -> str:
    if _missing(value):
        return "–"
    text = f"€{abs(value):,.{decimals}f}"
    return "-" + text if round(value, decimals) < 0 else text


def share(value, decimals: int = 1) -> str:
    return "–" if _missing(value) else f"{value:.{decimals}%}"


def units(value) -> str:
    return "–" if _missing(value) else f"{value:,.0f} units"


def count(value) -> str:
    """A number of things whose unit the label names, e.g. a tile "Output (units)"."""
    return "–" if _missing(value) else f"{value:,.0f}"


def unit_weeks(value) -> str:
    return "–" if _missing(value) else f"{value:,.0f} unit-weeks"


def hours(value) -> str:
    return "–" if _missing(value) else f"{value + 0.0:,.1f} h"


def days(value) -> str:
    return "–" if _missing(value) else f"{value:,.1f} days"


def months(value) -> str:
    return "–" if _missing(value) else f"{value:,.1f} months"


def by_unit(value, unit: str) -> str:
    """Format a figure whose unit is named in the data (plan_sync_summary.unit)."""
    return {"EUR": eur, "share": share, "units": units, "count": count, "unit-weeks": unit_weeks,
            "hours": hours, "days": days}.get(unit, str)(value)


COMPACT_UNITS = {"EUR": "€{}", "units": "{} units", "count": "{}", "hours": "{} h"}


def compact(value, unit: str) -> str:
    """A figure short enough for a metric tile (about nine characters at 1400 px: put a long unit in the
    label and use "count"): amounts from 10,000 up in thousands (k) or millions (M)."""
    size = 0 if _missing(value) else abs(value)
    if unit not in COMPACT_UNITS or size < 10_000:
        return by_unit(value, unit)
    number = f"{size / 1e6:,.2f}M" if size >= 999_950 else f"{size / 1e3:,.1f}k"
    return ("-" if value < 0 else "") + COMPACT_UNITS[unit].format(number)


def _size(value, unit: str, show) -> tuple[str, bool]:
    """A difference's size as `show` writes it (shares in percentage points), and whether it rounds to zero."""
    text = f"{abs(value) * 100:.1f} pp" if unit == "share" else show(abs(value), unit)
    return text, text in ("0.0 pp", show(0.0, unit))


def change(value, unit: str) -> str:
    """A signed difference, e.g. for a table's change column; one that rounds to zero is unsigned (`€0`)."""
    if _missing(value):
        return ""
    text, zero = _size(value, unit, by_unit)
    return text if zero else ("+" if value > 0 else "-") + text


def delta(value, unit: str, higher_is_better: bool = True) -> dict:
    """st.metric's delta arguments for a change: compact, coloured by whether it is good, and without
    colour or arrow when it rounds to zero (st.metric would colour "+€0" as a rise)."""
    if _missing(value):
        return {"delta": None}
    text, zero = _size(value, unit, compact)
    if zero:
        return {"delta": "no change", "delta_color": "off", "delta_arrow": "off"}
    return {"delta": ("-" if value < 0 else "+") + text, "delta_color": "normal" if higher_is_better else "inverse"}


def label(name: str) -> str:
    """A column or metric name as a heading: `total_cost` -> `Total cost`."""
    return name.replace("_", " ").capitalize()


def headings(frame: pd.DataFrame) -> dict[str, str]:
    """Readable headings for st.dataframe's column_config; the data keeps its column names."""
    return {column: label(column) for column in frame.columns}


def figures_table(frame: pd.DataFrame, units: list[str], values: dict[str, str],
                  change_column: str | None = None, change_heading: str = "Change") -> pd.DataFrame:
    """Figures of different units in one table (one row per `metric`), each formatted in its own unit."""
    shown = pd.DataFrame({"Figure": frame.metric.map(label)})
    for column, heading in values.items():
        shown[heading] = [by_unit(v, u) for v, u in zip(frame[column], units)]
    if change_column:
        shown[change_heading] = [change(v, u) for v, u in zip(frame[change_column], units)]
    return shown
