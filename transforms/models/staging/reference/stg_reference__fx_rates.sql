select
    {{ iso_date('rate_date') }} as rate_date,
    currency,
    {{ number('rate_to_network') }} as rate_to_network
from {{ source('reference', 'fx_rates') }}
qualify _loaded_at = max(_loaded_at) over ()
