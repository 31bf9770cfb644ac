select
    plant_code,
    local_item_code,
    item_id
from {{ source('reference', 'item_xref') }}
qualify _loaded_at = max(_loaded_at) over ()
