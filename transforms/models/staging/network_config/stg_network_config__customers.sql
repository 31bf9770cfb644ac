select
    customer_id,
    customer_name,
    customer_kind,
    country
from {{ source('network_config', 'customers') }}
