"""What a kind of source is: its entities with their fields, its settings, connector and demo writer.

Each kind of source (an ERP system type, the machine event feeds, the network reference data) is one
package under `orchestration/sources/` that builds one `SourceKind`; the registry in
`orchestration/sources/__init__.py` is the one place the rest of plantsync asks about kinds.

An entity is described once: its native name, its fields with how the source writes each one (format,
kind of number, required, sign, what a code names) and its key. The raw table's name, its columns and
its raw suite's rules (`SourceEntity.rules`) all follow from that one description.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from expectations.suites.raw_formats import FORMATS, MAGNITUDE, NUMERIC, TableRules

if TYPE_CHECKING:
    from orchestration.config import NetworkConfig, Plant
    from orchestration.demo.writer import PlantData, Writer
    from orchestration.sources.connector import Connector
    from orchestration.sources.order_writer import OrderWriter

META_COLUMNS = ("_plant_code", "_source_system", "_load_id", "_loaded_at", "_source_file", "_source_row")
ROLES = ("plant", "own_plant", "work_center")


@dataclass(frozen=True)
class SourceField:
    """One field of a source entity and how the source writes it."""

    name: str
    format: str | None = None  # a FORMATS name: the shape the text must have
    magnitude: str | None = None  # for a number, the MAGNITUDE kind bounding its absolute value
    required: bool = False
    minimum: str | None = None  # "non_negative" or "positive"
    role: str | None = None  # "plant" (a network plant code), "own_plant" (the source's own plant), "work_center"
    allowed: tuple[str, ...] = ()  # the values it may take, when a closed list


@dataclass(frozen=True)
class SourceEntity:
    """One table, model or file of a kind of source; `kind` and `raw_prefix` are set by its SourceKind."""

    entity: str
    native: str  # SAP table, cloud model, SQL table, or generic file stem
    source_fields: tuple[SourceField, ...]
    key: tuple[str, ...]  # identifies a record within one load
    item_field: str | None = None
    unit_field: str | None = None
    watermark_field: str | None = None  # for API and SQL sources; file sources track files instead
    lists_work_centers: str | None = None  # the code field, when this is the source's own work-center list
    essential: bool = False  # the network cannot be built without it: a first load with no file fails
    kind: str = ""
    raw_prefix: str = ""
    empty_values: tuple[str, ...] = ("",)  # the texts that mean "no value" in this kind of source

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.source_fields)

    @property
    def raw_table(self) -> str:
        return f"{self.raw_prefix}__{self.entity}"

    @property
    def rules(self) -> TableRules:
        """The raw suite's rules, read off the fields."""
        fields = self.source_fields
        return TableRules(
            required=tuple(f.name for f in fields if f.required),
            formats={f.name: f.format for f in fields if f.format},
            non_negative=tuple(f.name for f in fields if f.minimum == "non_negative"),
            positive=tuple(f.name for f in fields if f.minimum == "positive"),
            plants=tuple(f.name for f in fields if f.role == "plant"),
            own_plant=tuple(f.name for f in fields if f.role == "own_plant"),
            work_centers=tuple(f.name for f in fields if f.role == "work_center"),
            allowed={f.name: f.allowed for f in fields if f.allowed},
            maximum={f.name: MAGNITUDE[f.magnitude] for f in fields if f.magnitude},
            empty=self.empty_values)


def entity(name: str, native: str, fields: str, key: str, *, item: str | None = None, unit: str | None = None,
           watermark: str | None = None, lists_work_centers: str | None = None, essential: bool = False,
           required: str = "", non_negative: str = "", positive: str = "", plants: str = "", own_plant: str = "",
           work_centers: str = "", allowed: dict[str, str] | None = None, kinds: dict[str, str] | None = None,
           **formats: str) -> SourceEntity:
    """Compact spelling of an entity: field names space-separated, `sap_decimal="LABST INSME"` gives those
    fields that format, `kinds={"price": "precio"}` those numbers their kind (every other number is a
    quantity). A name that is not one of the entity's fields is an error, so the description agrees with
    itself."""
    names = fields.split()
    format_of = {f: fmt for fmt, listed in formats.items() for f in listed.split()}
    kind_of = {f: kind for kind, listed in (kinds or {}).items() for f in listed.split()}
    role_of = {f: role for role, listed in (("plant", plants), ("own_plant", own_plant),
                                            ("work_center", work_centers)) for f in listed.split()}
    minimum_of = {f: m for m, listed in (("non_negative", non_negative), ("positive", positive)) for f in listed.split()}
    allowed_of = {f: tuple(values.split()) for f, values in (allowed or {}).items()}
    named = [*key.split(), item, unit, watermark, lists_work_centers, *required.split(), *format_of, *kind_of,
             *role_of, *minimum_of, *allowed_of]
    if stray := sorted({n for n in named if n} - set(names)):
        raise ValueError(f"{name}: {', '.join(stray)} named but not among its fields")
    if unknown := sorted(set(format_of.values()) - set(FORMATS)):
        raise ValueError(f"{name}: unknown formats {unknown}")
    if stray := sorted(set(kind_of) - {f for f, fmt in format_of.items() if fmt in NUMERIC}):
        raise ValueError(f"{name}: kinds given to fields without a numeric format: {stray}")
    source_fields = tuple(SourceField(
        f, format_of.get(f), kind_of.get(f, "quantity") if format_of.get(f) in NUMERIC else None,
        f in required.split(), minimum_of.get(f), role_of.get(f), allowed_of.get(f, ())) for f in names)
    return SourceEntity(name, native, source_fields, tuple(key.split()), item, unit, watermark, lists_work_centers,
                        essential)


@dataclass(frozen=True)
class KindDemo:
    """How the demo generator writes a plant's data in this kind's native form."""

    # (this kind, the writer, the plant's canonical data, the as-of day, the history's first day)
    render: Callable[[SourceKind, Writer, PlantData, date, date], None]
    faulty: frozenset[str] = frozenset()  # entities that get injected faults and late files
    settings: Callable[[str], dict[str, Any]] | None = None  # a plant's `erp` block, for an ERP kind
    local_unit: str | None = None  # the unit code the plant writes for a piece
    item_code: Callable[[str, str, int], str] | None = None  # (plant, network item, item number) -> local code
    customer_code: Callable[[str, int], str] | None = None  # (network customer, customer number) -> local code
    supplier_code: Callable[[str, int], str] | None = None  # (network supplier, supplier number) -> local code


@dataclass(frozen=True)
class SourceKind:
    """One kind of source and every fact plantsync needs about it."""

    name: str  # the config's `erp.kind`, and each row's `_source_system`
    raw_prefix: str  # raw tables are raw.<raw_prefix>__<entity>, as is the dbt source's name
    entities: tuple[SourceEntity, ...]
    settings: Mapping[str, Any] | None = None  # JSON-schema properties of an `erp` block; None: not an ERP
    required_settings: tuple[str, ...] = ()
    # the connector: (config, plant or None for network-level data, addresses of simulated sources)
    connect: Callable[[NetworkConfig, Plant | None, Mapping[str, str]], Connector] | None = None
    simulate: Callable[[NetworkConfig, Plant], Any] | None = None  # a context manager serving a simulated source
    # the order writer: (config, plant, addresses of simulated sources); None: the kind takes no orders
    write_back: Callable[[NetworkConfig, Plant, Mapping[str, str]], OrderWriter] | None = None
    demo: KindDemo | None = None
    inventory_entity: str | None = None  # where the plant's extract freshness is checked
    file_based: bool = False  # extracts arrive as files (dated by their names; new-file sensors watch them)
    empty_values: tuple[str, ...] = ("",)
    _by_name: dict[str, SourceEntity] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        bound = tuple(replace(e, kind=self.name, raw_prefix=self.raw_prefix, empty_values=self.empty_values)
                      for e in self.entities)
        object.__setattr__(self, "entities", bound)
        object.__setattr__(self, "_by_name", {e.entity: e for e in bound})

    def entity(self, name: str) -> SourceEntity:
        return self._by_name[name]

    @property
    def is_erp(self) -> bool:
        return self.settings is not None

    @property
    def config_schema(self) -> dict[str, Any]:
        """The JSON schema of a plant's `erp` block of this kind."""
        return {"type": "object", "required": ["kind", *self.required_settings],
                "properties": {"kind": {"const": self.name}, **self.settings}, "additionalProperties": False}

    @property
    def work_center_list(self) -> SourceEntity | None:
        return next((e for e in self.entities if e.lists_work_centers), None)
