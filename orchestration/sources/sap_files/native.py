"""How SAP-style flat files write a value: decimal commas, YYYYMMDD dates (00000000 = none)."""

from __future__ import annotations

from datetime import date


def sap_number(value: float) -> str:
    return f"{value:.3f}".replace(".", ",")


def sap_date(value: date | None) -> str:
    return "00000000" if value is None else value.strftime("%Y%m%d")


def from_sap_number(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))
