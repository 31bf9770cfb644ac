select
    plant_code,
    local_supplier_code,
    supplier_id
from {{ source('reference', 'supplier_xref') }}
qualify _loaded_at = max(_loaded_at) over ()
