-- Plant database lines (lineas) in the common work-center shape.
select
    plant_code,
    work_center_code,
    work_center_name,
    hours_per_day,
    updated_at_local as version_at,
    load_id
from {{ ref('stg_plantdb__lineas') }}
