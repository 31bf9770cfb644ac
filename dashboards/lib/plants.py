"""One plant in depth: capacity use by work center and day, downtime, output and quality."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboards.lib.warehouse import query


def plants() -> pd.DataFrame:
    return query("SELECT plant_code, plant_name, country, role FROM marts.dim_plant ORDER BY plant_code")


def utilization_by_day(plant: str, start: date, end: date) -> pd.DataFrame:
    """Loaded over available hours per work center and day; null on a day with no capacity."""
    return query("""SELECT c.date_day, c.work_center_id, w.work_center_name, c.available_hours, c.loaded_hours,
                           c.unplanned_downtime_hours, c.loaded_hours / nullif(c.available_hours, 0) AS utilization
                    FROM marts.fct_capacity_daily c JOIN marts.dim_work_center w USING (work_center_id)
                    WHERE c.plant_code = ? AND c.date_day BETWEEN ? AND ? ORDER BY 1, 2""", [plant, start, end])


def downtime_by_reason(plant: str, start: date, end: date) -> pd.DataFrame:
    return query("""SELECT coalesce(reason, 'unknown') AS reason, state, sum(duration_minutes) / 60 AS hours
                    FROM marts.fct_machine_events
                    WHERE plant_code = ? AND state IN ('DOWN', 'PLANNED_DOWN')
                      AND CAST(event_at_utc AS DATE) BETWEEN ? AND ?
                    GROUP BY ALL ORDER BY hours DESC""", [plant, start, end])


def output_by_week(plant: str, start: date, end: date) -> pd.DataFrame:
    """Finished production orders: good output and scrap by week and product family."""
    return query("""SELECT date_trunc('week', o.finished_date) AS week_start, i.product_family,
                           sum(o.produced_qty) AS produced_qty, sum(o.scrap_qty) AS scrap_qty
                    FROM marts.fct_production_orders o JOIN marts.dim_item i USING (item_id)
                    WHERE o.plant_code = ? AND o.finished_date BETWEEN ? AND ?
                    GROUP BY ALL ORDER BY 1, 2""", [plant, start, end])


def rejects_by_defect(plant: str, start: date, end: date) -> pd.DataFrame:
    return query("""SELECT coalesce(defect_code, 'none') AS defect_code, sum(inspected_qty) AS inspected_qty,
                           sum(rejected_qty) AS rejected_qty
                    FROM marts.fct_quality_inspections
                    WHERE plant_code = ? AND CAST(inspected_at_utc AS DATE) BETWEEN ? AND ?
                    GROUP BY ALL ORDER BY rejected_qty DESC""", [plant, start, end])
