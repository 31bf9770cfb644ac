select
    plant_code,
    local_customer_code,
    customer_id
from {{ source('reference', 'customer_xref') }} as r
where {{ not_quarantined('r') }}
qualify _loaded_at = max(_loaded_at) over ()
