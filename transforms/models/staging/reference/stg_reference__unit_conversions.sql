select
    unit_code,
    base_unit,
    {{ number('factor') }} as factor
from {{ source('reference', 'unit_conversions') }}
qualify _loaded_at = max(_loaded_at) over ()
