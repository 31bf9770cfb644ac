-- production orders: plant item codes mapped to network items and units to base-unit factors (null when unknown).
select
    source.*,
    xref.item_id,
    units.factor as unit_factor
from {{ ref('int_production_orders_unioned') }} as source
left join {{ ref('stg_reference__item_xref') }} as xref using (plant_code, local_item_code)
left join {{ ref('stg_reference__unit_conversions') }} as units using (unit_code)
