-- Generic-format work centers in the common work-center shape.
select
    plant_code,
    work_center_code,
    work_center_name,
    hours_per_day,
    loaded_at as version_at,
    load_id
from {{ ref('stg_generic__work_centers') }}
