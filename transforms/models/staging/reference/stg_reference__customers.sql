select
    customer_id,
    customer_name,
    customer_kind,
    country
from {{ source('reference', 'customers') }}
