select
    plant_code,
    local_customer_code,
    customer_id
from {{ source('reference', 'customer_xref') }}
qualify _loaded_at = max(_loaded_at) over ()
