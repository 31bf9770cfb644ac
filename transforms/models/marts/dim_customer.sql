select
    cast(customer_id as varchar) as customer_id,
    cast(customer_name as varchar) as customer_name,
    cast(customer_kind as varchar) as customer_kind,
    cast(country as varchar) as country
from {{ ref('stg_network_config__customers') }}
