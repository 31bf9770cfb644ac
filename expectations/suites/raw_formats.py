"""The words raw rules are written in: value formats, kinds of number and their maxima, `TableRules`.

Kept apart from the suites (and from Great Expectations) so a table's description can name its fields'
formats and build its rules without loading GX.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
NO_SAP_DATE = "00000000"


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
    empty: tuple[str, ...] = ("",)  # the texts that mean "no value" (Odoo writes `false`)
