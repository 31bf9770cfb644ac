"""Asset checks wrapping the expectations suites.

On every extract asset: `rows_reconciled` (blocking: for every load, rows read = rows passed + rows
quarantined, and the raw table holds exactly the rows read) and `raw_suite` (a warning: what the latest
load quarantined, by rule, with a sample). On each plant's inventory extract: `extract_fresh` (a
warning: the plant's latest ERP extract is within its max_extract_age_hours). On each mart the
contract names: `mart_suite`, blocking where bad data must stop the planner, a warning elsewhere.
Every check keeps its validation in quality.validation_results and its findings as data exceptions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import dagster as dg
import duckdb
import pandas as pd

from expectations.exceptions import Finding, sync_exceptions
from expectations.results import record_validation
from expectations.suites.freshness import build_extract_freshness_suite
from expectations.suites.marts import MART_SUITES, NETWORK, MartReference, check_mart, is_blocking
from expectations.validate import ROW, validate
from orchestration.config import NetworkConfig
from orchestration.core import clock
from orchestration.core.notifications import alert_new_exceptions
from orchestration.defs.extract.assets import raw_asset_key
from orchestration.defs.quality.freshness import plant_freshness
from orchestration.defs.resources import PlantSources
from orchestration.raw import connect, quote
from orchestration.sources import SOURCE_KINDS

SAMPLE = 10


def freshness_findings(frame: pd.DataFrame, stale_rows: set[int]) -> list[Finding]:
    out = []
    for row in sorted(stale_rows):
        plant = frame.iloc[row]
        age = "no extract yet" if pd.isna(plant.age_hours) else f"latest extract {plant.latest_extract_at:%Y-%m-%d %H:%M} UTC, {plant.age_hours:.0f} h old"
        out.append(Finding(plant.plant_code, "freshness", "*", f"{plant.erp_kind} extract", 0,
                           f"stale: {age} (allowed {plant.max_extract_age_hours:g} h)", severity="warning"))
    return out


def check_freshness(sources: PlantSources, config: NetworkConfig, plant_code: str | None = None,
                    now: datetime | None = None) -> tuple[pd.DataFrame, set[int]]:
    """Validate extract freshness, keep the result and sync stale-plant exceptions; return the frame and
    the positions of stale plants (all plants, or the one asked for)."""
    now = now or clock.now()
    con = connect(sources.warehouse)
    try:
        frame = plant_freshness(con, config, now)
        if plant_code is not None:
            frame = frame[frame.plant_code == plant_code].reset_index(drop=True)
        frame[ROW] = range(len(frame))
        validation = validate(frame, build_extract_freshness_suite())
        stale = validation.failing_rows()
        con.execute("BEGIN TRANSACTION")
        record_validation(con, validation, target="raw._loads", plant_code=plant_code, validated_at=now)
        for position, plant in frame.iterrows():
            sync_exceptions(con, freshness_findings(frame, stale & {position}), plant_code=plant.plant_code,
                            check_like="freshness", now=now)
        con.execute("COMMIT")
    finally:
        con.close()
    alert_new_exceptions(sources.warehouse)
    return frame, stale


def _freshness_check(config: NetworkConfig, plant_code: str, entity: str) -> dg.AssetChecksDefinition:
    limit = config.plant(plant_code).max_extract_age_hours

    @dg.asset_check(asset=raw_asset_key(plant_code, entity), name="extract_fresh",
                    description=f"{plant_code}'s latest ERP extract is at most {limit:g} hours old.")
    def extract_fresh(sources: PlantSources) -> dg.AssetCheckResult:
        frame, stale = check_freshness(sources, sources.network(), plant_code)
        plant = frame.iloc[0]
        return dg.AssetCheckResult(passed=not stale, severity=dg.AssetCheckSeverity.WARN, metadata={
            "latest_extract_at": str(plant.latest_extract_at), "max_extract_age_hours": float(plant.max_extract_age_hours),
            "age_hours": None if pd.isna(plant.age_hours) else round(float(plant.age_hours), 1)})

    return extract_fresh


def raw_checks(config: NetworkConfig) -> list[dg.AssetChecksDefinition]:
    """Freshness on each plant's inventory extract (reconciliation and the raw suite run in the extract)."""
    return [_freshness_check(config, plant.code, SOURCE_KINDS[plant.erp_kind].inventory_entity)
            for plant in config.plants]


def mart_reference(con, config: NetworkConfig) -> MartReference:
    """The codes marts are checked against: the config's plants; items and work centers from the dims."""
    def values(table: str, column: str) -> frozenset[str] | None:
        exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'marts' "
                             "AND table_name = ?", [table]).fetchone()[0]
        if not exists:
            return None
        return frozenset(r[0] for r in con.execute(f"SELECT DISTINCT {quote(column)} FROM marts.{quote(table)}").fetchall())

    work_centers = values("dim_work_center", "work_center_id")
    if work_centers is not None and values("fct_routings", "work_center_id") is not None:
        # A plant whose work-center list never loaded (its source down on a first run; that load failure
        # is its own open exception) flows through empty: its routings are checked once the list loads.
        work_centers |= {r[0] for r in con.execute(
            """SELECT work_center_id FROM marts.fct_routings
               WHERE plant_code NOT IN (SELECT plant_code FROM marts.dim_work_center)""").fetchall()}
    return MartReference(frozenset(p.code for p in config.plants), values("dim_item", "item_id"), work_centers)


def run_mart_suite(sources: PlantSources, table: str, now: datetime | None = None) -> dg.AssetCheckResult:
    """Validate one mart, keep the results, sync its exceptions per plant, and say pass, warn or block."""
    now = now or clock.now()
    con = connect(sources.warehouse)
    try:
        try:
            frame = con.execute(f"SELECT * FROM marts.{quote(table)}").df()
        except duckdb.Error as exc:  # the mart is not built (yet): say so rather than pass
            return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.ERROR,
                                       metadata={"error": f"marts.{table} unreadable: {str(exc).splitlines()[0]}"})
        result = check_mart(table, frame, mart_reference(con, sources.network()))
        findings = [Finding(plant, f"mart:{rule}", table, f"marts.{table}.{field}", len(group),
                            f"{len(group)} row(s) of marts.{table} fail {rule} on {field}; e.g. {group.value.iloc[0]!r}",
                            "error" if blocking else "warning")
                    for (plant, rule, field, blocking), group in result.failing.groupby(
                        ["plant_code", "rule", "field", "blocking"], dropna=False)]
        con.execute("BEGIN TRANSACTION")
        record_validation(con, result.validation, target=f"marts.{table}", validated_at=now)
        sync_exceptions(con, findings, plant_code=None, check_like="mart:%", entity=table, now=now)
        con.execute("COMMIT")
    finally:
        con.close()
    alert_new_exceptions(sources.warehouse)
    blocking = result.blocking_failures
    sample = result.failing.drop(columns=[ROW]).head(SAMPLE)
    return dg.AssetCheckResult(
        passed=result.validation.success,
        severity=dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN,
        metadata={"rows": len(frame), "failures": result.counts(),
                  "blocking_failures": [f"{f.rule}:{f.field}" for f in blocking],
                  "warnings": [f"{f.rule}:{f.field}" for f in result.warnings],
                  "plants_affected": sorted(set(result.failing.plant_code) - {NETWORK}),
                  "sample": dg.MetadataValue.md(sample.to_markdown(index=False, disable_numparse=True)) if len(sample) else "none"})


def _mart_check(key: dg.AssetKey, table: str) -> dg.AssetChecksDefinition:
    blocking = is_blocking(MART_SUITES[table](MartReference(frozenset())))

    @dg.asset_check(asset=key, name="mart_suite", blocking=blocking,
                    description=f"The mart suite for marts.{table}" + (" (blocking: the planner reads it)."
                                                                      if blocking else " (warnings)."))
    def mart_suite(sources: PlantSources) -> dg.AssetCheckResult:
        return run_mart_suite(sources, table)

    return mart_suite


def mart_checks(asset_keys: Iterable[dg.AssetKey]) -> list[dg.AssetChecksDefinition]:
    """A mart suite check on each asset whose key ends in a mart's name (["marts", name] or [name])."""
    return [_mart_check(key, key.path[-1]) for key in asset_keys
            if key.path[-1] in MART_SUITES and (len(key.path) == 1 or key.path[-2] == "marts")]


def quality_checks(config: NetworkConfig, asset_keys: Iterable[dg.AssetKey] = ()) -> list[dg.AssetChecksDefinition]:
    """Every quality check: raw checks from the config, mart checks for the mart assets among `asset_keys`."""
    return raw_checks(config) + mart_checks(asset_keys)
