select
    cast(plant_code || '-' || work_center_code as varchar) as work_center_id,
    cast(plant_code as varchar) as plant_code,
    cast(work_center_code as varchar) as work_center_code,
    cast(work_center_name as varchar) as work_center_name,
    cast(hours_per_day as double) as hours_per_day
from {{ ref('int_work_centers_unioned') }}
