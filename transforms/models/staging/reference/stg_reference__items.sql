select
    item_id,
    item_name,
    product_family,
    item_kind,
    base_unit,
    {{ number('standard_cost') }} as standard_cost,
    cost_currency,
    _load_id as load_id
from {{ source('reference', 'items') }}
qualify _loaded_at = max(_loaded_at) over ()
