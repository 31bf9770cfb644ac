"""Data quality as the pipeline recorded it: checks, quarantined rows, source freshness, exceptions."""

from __future__ import annotations

import pandas as pd

from dashboards.lib.warehouse import query
from orchestration.core import clock

PLANT = "(?::VARCHAR IS NULL OR plant_code = ?)"


def checks_by_plant(plant: str | None) -> pd.DataFrame:
    return query(f"""SELECT plant_code, count(*) AS checks, count(*) FILTER (WHERE NOT success) AS failed,
                            count(*) FILTER (WHERE NOT success AND blocking) AS blocking_failed,
                            max(validated_at) AS last_validated_at
                     FROM quality.validation_results WHERE {PLANT} GROUP BY ALL ORDER BY plant_code""",
                 [plant, plant])


def checks_by_run(plant: str | None) -> pd.DataFrame:
    """One row per validation run: a raw load (its load id) or a mart check (its run id)."""
    return query(f"""SELECT plant_code, coalesce(run_id, load_id) AS run, target, min(validated_at) AS validated_at,
                            count(*) AS checks, count(*) FILTER (WHERE NOT success) AS failed,
                            sum(unexpected_count) FILTER (WHERE NOT success) AS failing_rows
                     FROM quality.validation_results WHERE {PLANT}
                     GROUP BY ALL ORDER BY failed DESC, validated_at DESC""", [plant, plant])


def quarantine(plant: str | None) -> pd.DataFrame:
    return query(f"""SELECT plant_code, entity, rule, field, value, source_file, source_row, quarantined_at
                     FROM raw._quarantine WHERE {PLANT}
                     ORDER BY quarantined_at DESC, plant_code, source_file, source_row""", [plant, plant])


def sources(plant: str | None) -> pd.DataFrame:
    """The latest load per plant and source system, its age by plantsync's clock, and whether the
    pipeline's freshness check holds the plant stale (an open `freshness` exception: each plant's own
    limit, judged where the extract time is known, from the file's date or the pull)."""
    return query("""WITH stale AS (
                         SELECT DISTINCT plant_code FROM quality.data_exceptions
                         WHERE status = 'open' AND check_name = 'freshness')
                     SELECT l.plant_code, l.source_system, max(l.finished_at) AS last_loaded_at,
                            date_diff('minute', max(l.finished_at), ?::TIMESTAMPTZ) / 60 AS age_hours,
                            bool_or(s.plant_code IS NOT NULL) AS stale
                     FROM raw._loads l LEFT JOIN stale s USING (plant_code)
                     WHERE (?::VARCHAR IS NULL OR l.plant_code = ?) AND l.plant_code <> 'NETWORK'
                     GROUP BY ALL ORDER BY stale DESC, l.plant_code, l.source_system""",
                 [clock.now(), plant, plant])


def open_exceptions(plant: str | None) -> pd.DataFrame:
    return query(f"""SELECT plant_code, check_name, entity, location, rows, severity, detail, first_seen_at, last_seen_at
                     FROM quality.data_exceptions WHERE status = 'open' AND {PLANT}
                     ORDER BY severity, first_seen_at, plant_code""", [plant, plant])
