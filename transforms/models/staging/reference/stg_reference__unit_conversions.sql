select
    unit_code,
    base_unit,
    {{ number('factor') }} as factor
from {{ source('reference', 'unit_conversions') }} as r
where {{ not_quarantined('r') }}
qualify _loaded_at = max(_loaded_at) over ()
