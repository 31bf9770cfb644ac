select
    supplier_id,
    plant_code,
    item_id,
    try_cast(lead_time_days as integer) as lead_time_days,
    coalesce({{ number('min_order_qty') }}, 0) as min_order_qty,
    {{ number('capacity_per_week') }} as capacity_per_week,
    {{ number('unit_price') }} as unit_price,
    currency
from {{ source('reference', 'supply_options') }}
qualify _loaded_at = max(_loaded_at) over ()
