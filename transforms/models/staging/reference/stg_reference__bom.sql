select
    parent_item_id,
    component_item_id,
    {{ number('qty_per') }} as qty_per
from {{ source('reference', 'bom') }}
qualify _loaded_at = max(_loaded_at) over ()
