-- SAP work centers (CRHD) with their daily hours from the capacity header (KAKO): shift less breaks,
-- at the utilization rate, times the capacity count.
select
    c.plant_code,
    c.work_center_code,
    c.work_center_name,
    c.loaded_at as version_at,
    c.load_id,
    (k.end_seconds - k.start_seconds - k.break_seconds) / 3600.0 * k.utilization_pct / 100.0
    * k.capacity_count as hours_per_day
from {{ ref('stg_sap__crhd') }} as c
inner join {{ ref('stg_sap__kako') }} as k using (plant_code, capacity_id)
