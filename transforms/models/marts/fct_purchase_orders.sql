select
    cast(plant_code || ':' || purchase_order_line_number as varchar) as purchase_order_line_id,
    cast(plant_code as varchar) as plant_code,
    cast(supplier_id as varchar) as supplier_id,
    cast(item_id as varchar) as item_id,
    cast(order_date as date) as order_date,
    cast(due_date as date) as due_date,
    cast(ordered_qty * unit_factor as double) as ordered_qty,
    cast(received_qty * unit_factor as double) as received_qty,
    cast(case when status = 'open' then greatest(ordered_qty - received_qty, 0) * unit_factor else 0 end as double)
        as open_qty,
    cast(unit_price / unit_factor * fx_rate as double) as unit_price_eur,
    cast(status as varchar) as status,
    cast(status = 'open' as boolean) as is_open
from {{ ref('int_purchase_orders_mapped') }}
where item_id is not null and unit_factor is not null and supplier_id is not null and fx_rate is not null
