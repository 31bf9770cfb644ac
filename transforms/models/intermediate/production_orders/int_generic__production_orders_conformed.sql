-- Generic-format production orders in the common production-order shape.
select
    plant_code,
    order_number,
    local_item_code,
    work_center_code,
    start_date,
    due_date,
    finished_date,
    planned_qty,
    produced_qty,
    scrap_qty,
    unit_code,
    status,
    loaded_at as version_at,
    load_id,
    source_file,
    source_row,
    'generic' as source_system
from {{ ref('stg_generic__production_orders') }}
