select
    cast(parent_item_id as varchar) as parent_item_id,
    cast(component_item_id as varchar) as component_item_id,
    cast(qty_per as double) as qty_per
from {{ ref('stg_reference__bom') }}
