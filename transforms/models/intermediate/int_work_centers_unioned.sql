-- Work centers and their daily hours from every kind of source; latest version per work center.
with unioned as (
    select
        c.plant_code,
        c.work_center_code,
        c.work_center_name,
        (k.end_seconds - k.start_seconds - k.break_seconds) / 3600.0 * k.utilization_pct / 100.0
        * k.capacity_count as hours_per_day,
        c.loaded_at as version_at,
        c.load_id
    from {{ ref('stg_sap__crhd') }} as c
    inner join {{ ref('stg_sap__kako') }} as k using (plant_code, capacity_id)
    union all by name
    select
        plant_code,
        work_center_code,
        work_center_name,
        hours_per_day,
        written_at_utc as version_at,
        load_id
    from {{ ref('stg_cloud__mrp_workcenter') }}
    union all by name
    select
        plant_code,
        work_center_code,
        work_center_name,
        hours_per_day,
        updated_at_local as version_at,
        load_id
    from {{ ref('stg_plantdb__lineas') }}
    union all by name
    select
        plant_code,
        work_center_code,
        work_center_name,
        hours_per_day,
        loaded_at as version_at,
        load_id
    from {{ ref('stg_generic__work_centers') }}
)

select
    plant_code,
    work_center_code,
    work_center_name,
    hours_per_day,
    plant_code || '-' || work_center_code as work_center_id
from unioned
{{ latest_version('plant_code, work_center_code') }}
