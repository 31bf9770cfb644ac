"""The one validate function every suite goes through: a DataFrame in, failing rows and a record out.

GX runs on an ephemeral context with a pandas data source (the SQL data source on DuckDB is broken in
GX 1.24), so callers read their table into a DataFrame first. Each expectation carries `meta` with the
`rule` it enforces and the source `field` it is about; a failure comes back as the rows it hit, by the
frame's `_row` column, so the caller can quarantine exactly those rows with their reason.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import great_expectations as gx
import pandas as pd
from great_expectations.data_context.types.base import ProgressBarsConfig

ROW = "_row"  # the index column every validated frame carries: 0..n-1, the position of the row


class ValidationError(RuntimeError):
    """An expectation could not be evaluated (a missing column, a bad suite): never a silent pass."""


@dataclass(frozen=True)
class Failure:
    """One expectation that failed: which rule, about which field, and the rows and values it hit."""

    rule: str
    field: str | None
    expectation: str
    rows: tuple[int, ...]  # values of `_row`; empty for a table-level failure
    values: tuple[Any, ...]
    blocking: bool = True


@dataclass
class Validation:
    """What one suite said about one frame: per expectation, its outcome; and the failures."""

    suite: str
    element_count: int
    results: list[dict] = field(default_factory=list)  # one per expectation: rule, field, success, counts
    failures: list[Failure] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return not self.failures

    def failing_rows(self) -> set[int]:
        return {row for failure in self.failures for row in failure.rows}


@cache
def _batch_definition():
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("plantsync").add_dataframe_asset("frame")
    return asset.add_batch_definition_whole_dataframe("whole_frame")


def validate(frame: pd.DataFrame, suite: gx.ExpectationSuite, sample_size: int = 20) -> Validation:
    """Validate `frame` (which has a `_row` column) against `suite`; return per-expectation results."""
    if ROW not in frame.columns:
        raise ValueError(f"the frame to validate needs a {ROW!r} column (the row's position)")
    outcome = Validation(suite.name, len(frame))
    if not suite.expectations:
        return outcome
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
    result = batch.validate(suite, result_format={"result_format": "COMPLETE",
                                                  "unexpected_index_column_names": [ROW]})
    for item in result.results:
        config = item.expectation_config
        meta = config.meta or {}
        rule, about = meta.get("rule", config.type), meta.get("field", config.kwargs.get("column"))
        if item.exception_info and item.exception_info.get("raised_exception"):
            raise ValidationError(f"suite {suite.name}: {config.type} on {about} could not run: "
                                  f"{item.exception_info.get('exception_message')}")
        details = item.result or {}
        indexes = details.get("unexpected_index_list") or []
        rows = tuple(int(entry[ROW]) for entry in indexes if isinstance(entry, dict))
        values = tuple(_plain(v) for v in details.get("unexpected_list") or [])
        outcome.results.append({
            "rule": rule, "field": about, "expectation": config.type, "success": bool(item.success),
            "element_count": int(details.get("element_count", len(frame)) or 0),
            "unexpected_count": int(details.get("unexpected_count", 0) or 0),
            "sample": json.dumps([_plain(v) for v in values[:sample_size]], default=str),
            "kwargs": json.dumps({k: v for k, v in config.kwargs.items() if k != "value_set"}, default=str),
            "blocking": bool(meta.get("blocking", True)),
        })
        if not item.success:
            outcome.failures.append(Failure(rule, about, config.type, rows, values, bool(meta.get("blocking", True))))
    return outcome


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value
