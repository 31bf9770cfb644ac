select
    plant_code,
    item_id,
    {{ number('safety_stock_qty') }} as safety_stock_qty
from {{ source('reference', 'safety_stock') }}
qualify _loaded_at = max(_loaded_at) over ()
