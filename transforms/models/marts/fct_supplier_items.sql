-- Supply options with their price in EUR at the latest rate the network's FX table holds.
with latest_rates as (
    select
        currency,
        arg_max(rate_to_network, rate_date) as rate_to_network
    from {{ ref('stg_reference__fx_rates') }}
    group by currency
)

select
    cast(options.supplier_id as varchar) as supplier_id,
    cast(options.plant_code as varchar) as plant_code,
    cast(options.item_id as varchar) as item_id,
    cast(options.lead_time_days as integer) as lead_time_days,
    cast(options.min_order_qty as double) as min_order_qty,
    cast(options.capacity_per_week as double) as capacity_per_week,
    cast(options.unit_price as double) as unit_price,
    cast(options.currency as varchar) as currency,
    cast(options.unit_price * rates.rate_to_network as double) as unit_price_eur
from {{ ref('stg_reference__supply_options') }} as options
left join latest_rates as rates using (currency)
