"""The two checks every extract reports about its own load, computed in the extract step itself.

Run inside the extract (as the asset's check specs) rather than as separate check steps: they read
what the load just wrote, and a step per check per asset cost a DuckDB open each, most of a demo run.
"""

import dagster as dg
import pandas as pd

from orchestration.raw import RAW_SCHEMA, ensure_raw_table
from orchestration.sources import SourceEntity

SAMPLE = 10
RAW_CHECKS = {
    "rows_reconciled": ("Every load: rows read = rows passed + rows quarantined = rows in the raw table.", True),
    "raw_suite": ("The raw suite: rows the latest load quarantined, by rule, with a sample.", False),
}


def raw_check_specs(key: dg.AssetKey) -> list[dg.AssetCheckSpec]:
    return [dg.AssetCheckSpec(name, asset=key, description=text, blocking=blocking)
            for name, (text, blocking) in RAW_CHECKS.items()]


def _markdown(frame: pd.DataFrame) -> str:
    return dg.MetadataValue.md(frame.head(SAMPLE).to_markdown(index=False, disable_numparse=True)) if len(frame) else "none"


def reconciliation(con, plant_code: str, entity: SourceEntity) -> pd.DataFrame:
    """Per load of (plant, entity): rows read, passed, quarantined (distinct rows) and held in the raw table."""
    table = ensure_raw_table(con, entity)
    return con.execute(f"""
        SELECT l.load_id, l.rows_read, l.rows_loaded AS rows_passed, coalesce(q.rows, 0) AS rows_quarantined,
               coalesce(r.rows, 0) AS rows_in_raw
        FROM {RAW_SCHEMA}._loads l
        LEFT JOIN (SELECT load_id, count(DISTINCT (source_file, source_row)) AS rows FROM {RAW_SCHEMA}._quarantine
                   GROUP BY load_id) q USING (load_id)
        LEFT JOIN (SELECT _load_id AS load_id, count(*) AS rows FROM {table} WHERE _plant_code = ?
                   GROUP BY _load_id) r USING (load_id)
        WHERE l.plant_code = ? AND l.entity = ? ORDER BY l.finished_at""", [plant_code, plant_code, entity.entity]).df()


def rows_reconciled(con, site: str, entity: SourceEntity) -> dg.AssetCheckResult:
    loads = reconciliation(con, site, entity)
    bad = loads[(loads.rows_read != loads.rows_passed + loads.rows_quarantined) | (loads.rows_in_raw != loads.rows_read)]
    return dg.AssetCheckResult(check_name="rows_reconciled", passed=bad.empty, metadata={
        "loads": len(loads), "rows_read": int(loads.rows_read.sum()), "rows_passed": int(loads.rows_passed.sum()),
        "rows_quarantined": int(loads.rows_quarantined.sum()), "loads_not_reconciled": len(bad),
        "not_reconciled": _markdown(bad)})


def raw_suite(con, site: str, entity: SourceEntity, load_id: str, rows_read: int) -> dg.AssetCheckResult:
    failing = con.execute(f"SELECT source_file, source_row, rule, field, value FROM {RAW_SCHEMA}._quarantine "
                          "WHERE load_id = ? ORDER BY source_file, source_row, rule", [load_id]).df()
    all_loads = con.execute(f"SELECT count(*) FROM {RAW_SCHEMA}._quarantine WHERE plant_code = ? AND entity = ?",
                            [site, entity.entity]).fetchone()[0]
    by_rule = failing.drop_duplicates(["source_file", "source_row", "rule"]).groupby("rule").size()
    return dg.AssetCheckResult(
        check_name="raw_suite", passed=failing.empty, severity=dg.AssetCheckSeverity.WARN,
        metadata={"load_id": load_id, "rows_read": rows_read,
                  "rows_quarantined": int(failing[["source_file", "source_row"]].drop_duplicates().shape[0]),
                  "quarantined_by_rule": {str(k): int(v) for k, v in by_rule.items()},
                  "quarantine_entries_all_loads": int(all_loads), "sample": _markdown(failing)})
