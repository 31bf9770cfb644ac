select
    cast(plant_code as varchar) as plant_code,
    cast(plant_code || '-' || work_center_code as varchar) as work_center_id,
    cast(item_id as varchar) as item_id,
    cast(hours_per_unit as double) as hours_per_unit
from {{ ref('stg_reference__routings') }}
