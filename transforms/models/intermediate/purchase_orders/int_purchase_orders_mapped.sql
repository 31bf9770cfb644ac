-- Purchase order lines: item and supplier codes mapped, units to base-unit factors, prices to EUR at the
-- order day's rate.
select
    source.*,
    xref.item_id,
    suppliers.supplier_id,
    units.factor as unit_factor,
    fx.rate_to_network as fx_rate
from {{ ref('int_purchase_orders_unioned') }} as source
left join {{ ref('stg_reference__item_xref') }} as xref using (plant_code, local_item_code)
left join {{ ref('stg_reference__supplier_xref') }} as suppliers using (plant_code, local_supplier_code)
left join {{ ref('stg_reference__unit_conversions') }} as units using (unit_code)
left join {{ ref('stg_reference__fx_rates') }} as fx
    on source.currency = fx.currency and source.order_date = fx.rate_date
