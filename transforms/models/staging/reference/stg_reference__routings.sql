select
    plant_code,
    work_center_code,
    item_id,
    {{ number('hours_per_unit') }} as hours_per_unit
from {{ source('reference', 'routings') }}
qualify _loaded_at = max(_loaded_at) over ()
