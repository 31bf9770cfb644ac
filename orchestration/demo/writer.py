"""What every kind's demo writer shares: the writer that injects faults and logs them in the manifest,
the plant's canonical data it renders, and the generic file formats (CSV, JSON lines, monthly extracts).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from orchestration.sources.kind import SourceEntity

UNKNOWN_UNIT = "BOX"


@dataclass
class Manifest:
    """What the generator wrote, so tests can reconcile loads and quarantine against it."""

    settings: dict
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # plant -> entity -> rows
    faults: list[dict] = field(default_factory=list)
    late_files: list[dict] = field(default_factory=list)

    def add_rows(self, plant: str, entity: str, rows: int) -> None:
        self.counts.setdefault(plant, {}).setdefault(entity, 0)
        self.counts[plant][entity] += rows

    def to_json(self) -> str:
        return json.dumps({"settings": self.settings, "counts": self.counts, "faults": self.faults,
                           "late_files": self.late_files}, indent=1, sort_keys=True, default=str)


class Writer:
    """Writes frames, injecting faults at the configured rate and logging each one in the manifest."""

    def __init__(self, out: Path, manifest: Manifest, rng: np.random.Generator, fault_rate: float,
                 faulty: frozenset[str]):
        self.out, self.manifest, self.rng, self.fault_rate, self.faulty = out, manifest, rng, fault_rate, faulty

    def inject(self, frame: pd.DataFrame, spec: SourceEntity, plant: str, where: str) -> pd.DataFrame:
        if self.fault_rate <= 0 or spec.entity not in self.faulty or frame.empty:
            return frame
        kinds = ["duplicate"] + (["unknown_item"] if spec.item_field else []) + (
            ["unit_mismatch"] if spec.unit_field else [])
        hit = np.flatnonzero(self.rng.random(len(frame)) < self.fault_rate)
        chosen = self.rng.choice(kinds, size=len(hit))
        frame = frame.reset_index(drop=True).copy()
        for position, kind in zip(hit, chosen):
            if kind == "unknown_item":
                frame.loc[position, spec.item_field] = f"UNKNOWN-{int(position):05d}"
            elif kind == "unit_mismatch":
                frame.loc[position, spec.unit_field] = _with_unit(frame.loc[position, spec.unit_field])
        duplicates = hit[chosen == "duplicate"]
        source_rows = np.sort(np.concatenate([np.arange(len(frame)), duplicates]), kind="stable")
        frame = frame.iloc[source_rows].reset_index(drop=True)
        first_row = np.searchsorted(source_rows, hit)  # 0-based position of each hit row's first copy
        for kind, first in zip(chosen, first_row):
            row = int(first) + (2 if kind == "duplicate" else 1)  # 1-based data row; a duplicate is the copy
            self.manifest.faults.append({
                "plant": plant, "entity": spec.entity, "where": where, "row": row, "kind": str(kind),
                "field": {"unknown_item": spec.item_field, "unit_mismatch": spec.unit_field}.get(kind),
                "key": {k: plain(frame.iloc[row - 1][k]) for k in spec.key},
            })
        return frame

    def late(self, plant: str, relative: Path) -> bool:
        return self.fault_rate > 0 and self.rng.random() < min(1.0, self.fault_rate * 5)

    def file(self, plant: str, spec: SourceEntity, relative: Path, frame: pd.DataFrame,
             dump: Callable[[pd.DataFrame, Path], None], may_be_late: bool = True) -> None:
        frame = self.inject(frame, spec, plant, relative.as_posix())
        target = self.out / plant / relative
        if may_be_late and spec.entity in self.faulty and self.late(plant, relative):
            target = self.out / plant / "_late" / relative
            self.manifest.late_files.append({"plant": plant, "entity": spec.entity,
                                             "file": f"{plant}/{relative.as_posix()}", "rows": len(frame)})
        target.parent.mkdir(parents=True, exist_ok=True)
        dump(frame, target)
        self.manifest.add_rows(plant, spec.entity, len(frame))


def _with_unit(value: object) -> object:
    """Replace a unit code with one no conversion table knows, keeping JSON-list shape for cloud fields."""
    if isinstance(value, str) and value.startswith("["):
        return json.dumps([99, UNKNOWN_UNIT])
    return UNKNOWN_UNIT


def plain(value: object) -> object:
    return value.item() if hasattr(value, "item") else value


def dump_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8")


def dump_jsonl(frame: pd.DataFrame, path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in frame.to_dict("records"):
            handle.write(json.dumps({k: _json_value(v) for k, v in record.items()}, ensure_ascii=False) + "\n")


def _json_value(value: object) -> object:
    if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        return json.loads(value)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return plain(value)


def by_month(frame: pd.DataFrame, column: str, as_of: date) -> list[tuple[str, pd.DataFrame]]:
    """Split a frame into monthly extracts named by the month's last day (or the as-of day); with no rows,
    one extract of the as-of day holding just the header, as an export job that found nothing writes."""
    if frame.empty:
        return [(as_of.strftime("%Y%m%d"), frame.drop(columns=[column]))]
    months = pd.to_datetime(frame[column]).dt.to_period("M").clip(upper=pd.Period(as_of, "M"))
    out = []
    for month, part in frame.groupby(months, sort=True):
        stamp = min(month.end_time.date(), as_of)
        out.append((stamp.strftime("%Y%m%d"), part.drop(columns=[column])))
    return out


def iso(values: pd.Series) -> pd.Series:
    return values.map(lambda d: "" if d is None or pd.isna(d) else d.isoformat())




@dataclass
class PlantData:
    plant: pd.Series
    fx: float
    inventory: pd.DataFrame
    orders: pd.DataFrame
    production: pd.DataFrame
    transfers: pd.DataFrame
    purchases: pd.DataFrame  # the plant's purchase order lines, prices in the supplier's currency
    work_centers: pd.DataFrame
    events: pd.DataFrame
    inspections: pd.DataFrame
    item_code: dict[str, str]
    customer_code: dict[str, str]
    supplier_code: dict[str, str]
    items: pd.DataFrame
