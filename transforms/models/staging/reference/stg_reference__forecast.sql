select
    customer_id,
    item_id,
    {{ iso_date('week_start') }} as week_start,
    {{ number('qty') }} as qty
from {{ source('reference', 'forecast') }}
qualify _loaded_at = max(_loaded_at) over ()
