"""The one small interface every source connector implements.

A connector turns one (plant, entity) of its source into batches of text rows with the source's own
field names. It never transforms values: the raw layer stores what the source said, and staging casts.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field

import pandas as pd

from orchestration.sources.kind import SourceEntity


class SourceError(RuntimeError):
    """A source that cannot be read, named by plant, source, file or endpoint, row and field."""

    def __init__(self, plant: str, source: str, where: str, problem: str, row: int | None = None,
                 field_name: str | None = None):
        parts = [f"{plant} {source}", where]
        if row is not None:
            parts.append(f"row {row}")
        if field_name is not None:
            parts.append(f"field {field_name}")
        super().__init__(f"{': '.join(parts)}: {problem}")
        self.plant, self.source, self.where, self.row, self.field = plant, source, where, row, field_name


@dataclass(frozen=True)
class SourceState:
    """What was already loaded for a (plant, entity): the watermark, or the files and their hashes."""

    watermark: str | None = None
    files: dict[str, str] = field(default_factory=dict)  # file name -> sha256


UNRECOGNIZED_FILE = "unrecognized_file"  # a file in a source folder that no entity reads
NO_SOURCE_FILES = "no_source_files"  # an entity whose source has no file at all before its first load


@dataclass(frozen=True)
class SourceWarnings:
    """What one look at a source found that does not stop a load, for one (check, entity) scope; the
    scope is evaluated whole, so an empty `found` clears what an earlier look reported there."""

    check: str
    entity: str  # the entity, or the source system for what belongs to no entity
    found: dict[str, str]  # location -> message


@dataclass
class Batch:
    """Rows as text, in the source's field order, plus where each came from."""

    rows: pd.DataFrame  # columns: the entity's fields (+ _extra_fields JSON where the source had more)
    source_file: str  # file name, endpoint or table
    source_rows: list[int]  # 1-based row number in the file, record offset, or primary key
    file_sha256: str | None = None
    watermark: str | None = None


class Connector(ABC):
    """Reads one plant's source; `batches` yields only what is new since `state`."""

    source_system: str

    def __init__(self, plant_code: str):
        self.plant_code = plant_code

    @abstractmethod
    def batches(self, entity: SourceEntity, state: SourceState) -> Iterator[Batch]:
        """Yield new rows for the entity; raise SourceError naming what is wrong and where."""

    def warnings(self, entity: SourceEntity, state: SourceState) -> list[SourceWarnings]:
        """Warnings about the source for this load of the entity (after `batches`); none by default."""
        return []

    def error(self, where: str, problem: str, row: int | None = None, field_name: str | None = None) -> SourceError:
        return SourceError(self.plant_code, self.source_system, where, problem, row, field_name)

    def conform(self, frame: pd.DataFrame, entity: SourceEntity, where: str) -> pd.DataFrame:
        """Check the entity's fields are all there; keep extra fields as JSON rather than drop them."""
        missing = [f for f in entity.fields if f not in frame.columns]
        if missing:
            raise self.error(where, f"missing column {missing[0]} (expected {', '.join(entity.fields)}; "
                                    f"found {', '.join(map(str, frame.columns))})", field_name=missing[0])
        extra = [c for c in frame.columns if c not in entity.fields]
        out = frame[list(entity.fields)].copy()
        out["_extra_fields"] = (frame[extra].apply(lambda r: r.to_json(), axis=1) if extra and len(frame)
                                else None)
        return out
