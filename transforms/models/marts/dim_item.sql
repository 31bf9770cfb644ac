select
    cast(item_id as varchar) as item_id,
    cast(item_name as varchar) as item_name,
    cast(product_family as varchar) as product_family,
    cast(item_kind as varchar) as item_kind,
    cast(base_unit as varchar) as base_unit,
    cast(standard_cost as double) as standard_cost_eur
from {{ ref('stg_reference__items') }}
