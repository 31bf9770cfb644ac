select
    cast(supplier_id as varchar) as supplier_id,
    cast(supplier_name as varchar) as supplier_name,
    cast(country as varchar) as country,
    cast(currency as varchar) as currency
from {{ ref('stg_reference__suppliers') }}
