select
    supplier_id,
    supplier_name,
    country,
    currency
from {{ source('reference', 'suppliers') }}
qualify _loaded_at = max(_loaded_at) over ()
