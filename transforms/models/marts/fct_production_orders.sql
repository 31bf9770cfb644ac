select
    cast(plant_code || ':' || order_number as varchar) as production_order_id,
    cast(plant_code as varchar) as plant_code,
    cast(item_id as varchar) as item_id,
    cast(plant_code || '-' || work_center_code as varchar) as work_center_id,
    cast(start_date as date) as start_date,
    cast(due_date as date) as due_date,
    cast(finished_date as date) as finished_date,
    cast(planned_qty * unit_factor as double) as planned_qty,
    cast(produced_qty * unit_factor as double) as produced_qty,
    cast(scrap_qty * unit_factor as double) as scrap_qty,
    cast(status as varchar) as status
from {{ ref('int_production_orders_mapped') }}
where item_id is not null and unit_factor is not null
