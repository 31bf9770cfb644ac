"""The network config: one YAML file describing plants, customers, lanes and planning settings.

Validated against a JSON schema on load so a typo fails with the key, the plant and what was expected,
instead of surfacing later as a missing column deep inside an extract.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from orchestration.sources import erp_kinds

_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["network", "plants", "customers", "lanes"],
    "additionalProperties": False,
    "properties": {
        "network": {
            "type": "object",
            "required": ["name", "currency", "reference_path"],
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string"},
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                "reference_path": {"type": "string"},
                "sources_dir": {"type": "string"},
            },
        },
        "plants": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "name", "country", "time_zone", "currency", "erp"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "pattern": "^[A-Z][A-Z0-9]{1,9}$"},
                    "name": {"type": "string"},
                    "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
                    "time_zone": {"type": "string"},
                    "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                    "role": {"type": "string"},
                    "erp": {},  # one of the registered ERP kinds' blocks: see schema()
                    "events_path": {"type": "string"},
                    "max_extract_age_hours": {"type": "number", "exclusiveMinimum": 0},
                    "extract_cron": {"type": "string"},
                },
            },
        },
        "customers": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name", "kind", "country"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "kind": {"enum": ["oem", "aftermarket"]},
                    "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
                },
            },
        },
        "lanes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["from", "to", "transit_days", "cost_per_unit"],
                "additionalProperties": False,
                "properties": {
                    "from": {"type": "string"},
                    "to": {"type": "string"},
                    "transit_days": {"type": "integer", "minimum": 0},
                    "cost_per_unit": {"type": "number", "minimum": 0},
                    "capacity_per_day": {"type": ["number", "null"], "minimum": 0},
                },
            },
        },
        "automation": {
            "type": "object",
            "additionalProperties": False,
            "description": "whether schedules and sensors run without anyone switching them on",
            "properties": {"enabled": {"type": "boolean"}},
        },
        "planning": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "period_days": {"const": 7},
                "horizon_periods": {"type": "integer", "minimum": 1, "maximum": 104},
                "frozen_periods": {"type": "integer", "minimum": 0},
                "release_periods": {
                    "type": "integer", "minimum": 0,
                    "description": "the periods whose planned orders are released: written back to the plants' ERPs"},
                "overtime_share": {"type": "number", "minimum": 0},
                "cycle_stock_days": {
                    "type": "number", "minimum": 0,
                    "description": "days of demand a plant keeps above safety stock before stock counts as excess"},
                "time_limit_seconds": {"type": "number", "exclusiveMinimum": 0},
                "nightly_cron": {"type": "string", "description": "when the network is re-planned"},
                "time_zone": {"type": "string", "description": "the time zone of nightly_cron"},
                "assumed_outage_hours": {
                    "type": "number", "exclusiveMinimum": 0,
                    "description": "how long a machine stays down when its down event does not say"},
                "autonomous_replan": {
                    "type": "object",
                    "additionalProperties": False,
                    "description": "limits within which an event re-plan is published without an analyst",
                    "properties": {
                        "max_cost_increase_share": {"type": "number", "minimum": 0},
                        "max_load_moved_share": {"type": "number", "minimum": 0, "maximum": 1},
                    },
                },
            },
        },
    },
}


def schema() -> dict[str, Any]:
    """The config's JSON schema, with one `erp` block schema per ERP kind in the source-kind registry."""
    full = copy.deepcopy(_SCHEMA)
    full["properties"]["plants"]["items"]["properties"]["erp"] = {"oneOf": [k.config_schema for k in erp_kinds()]}
    return full


class ConfigError(ValueError):
    """A network config that cannot be used, with the place and the reason."""


@dataclass(frozen=True)
class Plant:
    code: str
    name: str
    country: str
    time_zone: str
    currency: str
    erp: dict[str, Any]
    role: str = ""
    events_path: str | None = None
    max_extract_age_hours: float = 36.0
    extract_cron: str = "0 * * * *"

    @property
    def erp_kind(self) -> str:
        return self.erp["kind"]


@dataclass(frozen=True)
class NetworkConfig:
    name: str
    currency: str
    plants: tuple[Plant, ...]
    customers: tuple[dict[str, Any], ...]
    lanes: tuple[dict[str, Any], ...]
    sources_dir: Path
    reference_path: str
    planning: dict[str, Any] = field(default_factory=dict)
    automation_enabled: bool = False
    path: Path | None = None

    def plant(self, code: str) -> Plant:
        for plant in self.plants:
            if plant.code == code:
                return plant
        raise KeyError(code)

    def resolve(self, relative: str) -> Path:
        """A path from the config, relative to the sources directory."""
        return (self.sources_dir / relative).resolve()


def _where(error: jsonschema.ValidationError, raw: dict[str, Any]) -> str:
    """Name the failing place the way a person reads the file: plants[DE2].erp.token_env."""
    parts: list[str] = []
    node: Any = raw
    for step in error.absolute_path:
        if isinstance(step, int) and isinstance(node, list):
            item = node[step]
            label = item.get("code") or item.get("id") if isinstance(item, dict) else None
            if label is None and isinstance(item, dict) and "from" in item:
                label = f"{item.get('from')}->{item.get('to')}"
            parts[-1] += f"[{label if label is not None else step}]"
            node = item
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts) or "(top level)"


def _semantic_errors(raw: dict[str, Any]) -> list[str]:
    """What the schema cannot say: unique codes, lanes that name known nodes, ERP kinds known."""
    errors = []
    codes = [p["code"] for p in raw["plants"]]
    for code in {c for c in codes if codes.count(c) > 1}:
        errors.append(f"plants: plant code {code!r} appears more than once")
    customer_ids = [c["id"] for c in raw["customers"]]
    nodes = set(codes) | set(customer_ids)
    for lane in raw["lanes"]:
        for end in ("from", "to"):
            if lane[end] not in nodes:
                errors.append(
                    f"lanes[{lane['from']}->{lane['to']}].{end}: {lane[end]!r} is not a plant or customer"
                )
        if lane["from"] not in codes:
            errors.append(f"lanes[{lane['from']}->{lane['to']}].from: lanes start at a plant")
    for plant in raw["plants"]:
        try:
            from zoneinfo import ZoneInfo

            ZoneInfo(plant["time_zone"])
        except Exception:
            errors.append(f"plants[{plant['code']}].time_zone: unknown time zone {plant['time_zone']!r}")
    return errors


def load_config(path: Path | str, sources_dir: Path | None = None) -> NetworkConfig:
    """Read and validate a network config; raise ConfigError naming the key and plant on failure."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: network config not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(raw), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        error = errors[0]
        if error.validator == "oneOf" and error.context:
            error = _best_erp_error(error)
        raise ConfigError(f"{path}: {_where(error, raw)}: {error.message}")
    problems = _semantic_errors(raw)
    if problems:
        raise ConfigError(f"{path}: {problems[0]}")
    from orchestration.core.paths import sources_dir as default_sources

    network = raw["network"]
    base = sources_dir or (
        (path.parent / network["sources_dir"]).resolve() if "sources_dir" in network else default_sources()
    )
    return NetworkConfig(
        name=network["name"],
        currency=network["currency"],
        plants=tuple(Plant(**p) for p in raw["plants"]),
        customers=tuple(raw["customers"]),
        lanes=tuple(raw["lanes"]),
        sources_dir=base,
        reference_path=network["reference_path"],
        planning=raw.get("planning", {}),
        automation_enabled=raw.get("automation", {}).get("enabled", False),
        path=path.resolve(),
    )


def _best_erp_error(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For an `erp` block, report against the schema of the kind it declares, not every kind's."""
    kind = error.instance.get("kind") if isinstance(error.instance, dict) else None
    names = [k.name for k in erp_kinds()]
    if kind not in names:
        error.message = f"erp.kind must be one of {', '.join(names)}, got {kind!r}"
        return error
    for sub in error.context:
        if sub.relative_schema_path[0] == names.index(kind):
            return sub
    return error
