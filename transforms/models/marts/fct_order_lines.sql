select
    cast(plant_code || ':' || order_line_number as varchar) as order_line_id,
    cast(plant_code as varchar) as plant_code,
    cast(customer_id as varchar) as customer_id,
    cast(item_id as varchar) as item_id,
    cast(order_date as date) as order_date,
    cast(requested_date as date) as requested_date,
    cast(promised_date as date) as promised_date,
    cast(shipped_date as date) as shipped_date,
    cast(ordered_qty * unit_factor as double) as ordered_qty,
    cast(coalesce(shipped_qty, 0) * unit_factor as double) as shipped_qty,
    cast(net_value * fx_rate as double) as net_value_eur,
    cast(shipped_date is null as boolean) as is_open,
    cast(shipped_date is not null and shipped_date <= requested_date as boolean) as is_on_time,
    cast(shipped_date is not null and coalesce(shipped_qty, 0) >= ordered_qty as boolean) as is_in_full
from {{ ref('int_order_lines_mapped') }}
where item_id is not null and unit_factor is not null and customer_id is not null and fx_rate is not null
