"""Data quality as the pipeline recorded it: checks, quarantined rows, source freshness, exceptions."""

from __future__ import annotations

import pandas as pd

from dashboards.lib.warehouse import query

MAX_EXTRACT_AGE_HOURS = 36  # the pipeline's default `max_extract_age_hours`
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
    """The latest load per plant and source system, with its age and whether it is stale."""
    return query(f"""SELECT plant_code, source_system, max(finished_at) AS last_loaded_at,
                            date_diff('minute', max(finished_at), current_timestamp) / 60 AS age_hours,
                            date_diff('minute', max(finished_at), current_timestamp) / 60 > ? AS stale
                     FROM raw._loads WHERE {PLANT} AND plant_code <> 'NETWORK'
                     GROUP BY ALL ORDER BY stale DESC, plant_code, source_system""",
                 [MAX_EXTRACT_AGE_HOURS, plant, plant])


def open_exceptions(plant: str | None) -> pd.DataFrame:
    return query(f"""SELECT plant_code, check_name, entity, location, rows, severity, detail, first_seen_at, last_seen_at
                     FROM quality.data_exceptions WHERE status = 'open' AND {PLANT}
                     ORDER BY severity, first_seen_at, plant_code""", [plant, plant])
